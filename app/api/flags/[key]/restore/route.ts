import { environmentQuerySchema, flagActionInputSchema } from "@/lib/flags/schemas";
import { restoreFlag } from "@/lib/flags/kill-switch";
import { apiRoute, envOfQuery, json } from "@/lib/http/api-route";
import { flagKeyParams } from "@/lib/http/route-params";

export const POST = apiRoute(
  { role: "operator", params: flagKeyParams, query: environmentQuerySchema, environment: envOfQuery, body: flagActionInputSchema },
  async ({ params: { key }, query: { env }, body: { reason }, ctx }) => json(await restoreFlag({ ctx, input: { key, env, reason } })),
);
