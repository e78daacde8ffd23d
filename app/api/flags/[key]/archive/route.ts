import { environmentQuerySchema, flagActionInputSchema } from "@/lib/flags/schemas";
import { archiveFlag } from "@/lib/lifecycle/teardown";
import { apiRoute, json, parseQuery } from "@/lib/http/api-route";
import { readJsonBody } from "@/lib/http/request-body";
import { parseFlagKeyParam } from "@/lib/http/route-params";

// Archiving takes the flag out of every environment, so an environment-scoped token may not.
export const POST = apiRoute<{ key: string }>({ role: "operator" }, async ({ request, params, url, ctx }) => {
  const key = parseFlagKeyParam(params);
  const { env } = parseQuery(url, environmentQuerySchema);
  const { reason } = await readJsonBody(request, flagActionInputSchema);
  return json(await archiveFlag({ ctx, key, env, reason }));
});
