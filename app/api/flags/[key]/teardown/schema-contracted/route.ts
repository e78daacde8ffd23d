import { environmentQuerySchema, flagActionInputSchema } from "@/lib/flags/schemas";
import { confirmSchemaContracted } from "@/lib/lifecycle/teardown";
import { apiRoute, envFromQuery, json, parseQuery } from "@/lib/http/api-route";
import { readJsonBody } from "@/lib/http/request-body";
import { parseFlagKeyParam } from "@/lib/http/route-params";

export const POST = apiRoute<{ key: string }>({ role: "operator", environment: envFromQuery }, async ({ request, params, url, ctx }) => {
  const key = parseFlagKeyParam(params);
  const { env } = parseQuery(url, environmentQuerySchema);
  const { reason } = await readJsonBody(request, flagActionInputSchema);
  return json(await confirmSchemaContracted({ ctx, key, env, reason }));
});
