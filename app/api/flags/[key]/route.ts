import { getFlag } from "@/lib/flags/read-flags";
import { environmentQuerySchema, flagStatePatchSchema } from "@/lib/flags/schemas";
import { updateFlagState } from "@/lib/flags/update-flag-state";
import { apiRoute, envFromQuery, json, parseQuery } from "@/lib/http/api-route";
import { readIfMatch, readJsonBody } from "@/lib/http/request-body";
import { parseFlagKeyParam } from "@/lib/http/route-params";

export const GET = apiRoute<{ key: string }>({ role: "viewer", environment: envFromQuery }, async ({ params, url, ctx }) => {
  const key = parseFlagKeyParam(params);
  const { env } = parseQuery(url, environmentQuerySchema);
  const flag = await getFlag({ db: ctx.db, key, env });
  return json(flag, { headers: { etag: `"${flag.state.version}"` } });
});

export const PATCH = apiRoute<{ key: string }>({ role: "operator", environment: envFromQuery }, async ({ request, params, url, ctx }) => {
  const key = parseFlagKeyParam(params);
  const { env } = parseQuery(url, environmentQuerySchema);
  const expectedVersion = readIfMatch(request);
  const patch = await readJsonBody(request, flagStatePatchSchema);
  const result = await updateFlagState({ ctx, input: { key, env, patch, expectedVersion } });
  return json(result, { headers: { etag: `"${result.state.version}"` } });
});
