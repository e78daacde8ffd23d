import { environmentQuerySchema, zeroFallbackInputSchema } from "@/lib/flags/schemas";
import { confirmZeroFallback } from "@/lib/lifecycle/confirm-zero-fallback";
import { apiRoute, envOfQuery, json } from "@/lib/http/api-route";
import { flagKeyParams } from "@/lib/http/route-params";

export const POST = apiRoute(
  { role: "operator", params: flagKeyParams, query: environmentQuerySchema, environment: envOfQuery, body: zeroFallbackInputSchema },
  async ({ params: { key }, query: { env }, body: { reason, overrideUnproven }, ctx }) => json(await confirmZeroFallback({ ctx, input: { key, env, reason, overrideUnproven } })),
);
