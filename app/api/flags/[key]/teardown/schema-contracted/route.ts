import { environmentQuerySchema, flagActionInputSchema } from "@/lib/flags/schemas";
import { confirmSchemaContracted } from "@/lib/lifecycle/teardown";
import { apiRoute, envOfQuery, json } from "@/lib/http/api-route";
import { readJsonBody } from "@/lib/http/request-body";
import { flagKeyParams } from "@/lib/http/route-params";

export const POST = apiRoute(
  { role: "operator", params: flagKeyParams, query: environmentQuerySchema, environment: envOfQuery },
  async ({ request, params: { key }, query: { env }, ctx }) => {
    const { reason } = await readJsonBody(request, flagActionInputSchema);
    return json(await confirmSchemaContracted({ ctx, key, env, reason }));
  },
);
