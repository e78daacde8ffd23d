import { environmentQuerySchema, flagActionInputSchema } from "@/lib/flags/schemas";
import { confirmSchemaContracted } from "@/lib/lifecycle/confirm-schema-contracted";
import { apiRoute, envOfQuery, json } from "@/lib/http/api-route";
import { flagKeyParams } from "@/lib/http/route-params";

export const POST = apiRoute(
  { role: "operator", params: flagKeyParams, query: environmentQuerySchema, environment: envOfQuery, body: flagActionInputSchema },
  async ({ params: { key }, query: { env }, body: { reason }, ctx }) => json(await confirmSchemaContracted({ ctx, input: { key, env, reason } })),
);
