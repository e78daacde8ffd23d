import { environmentQuerySchema, flagActionInputSchema } from "@/lib/flags/schemas";
import { restoreFlag } from "@/lib/flags/kill-switch";
import { apiRoute, envOfQuery, json } from "@/lib/http/api-route";
import { readJsonBody } from "@/lib/http/request-body";
import { flagKeyParams } from "@/lib/http/route-params";

export const POST = apiRoute(
  { role: "operator", params: flagKeyParams, query: environmentQuerySchema, environment: envOfQuery },
  async ({ request, params: { key }, query: { env }, ctx }) => {
    const { reason } = await readJsonBody(request, flagActionInputSchema);
    return json(await restoreFlag({ ctx, input: { key, env, reason } }));
  },
);
