import { getFlag } from "@/lib/flags/read-flags";
import { environmentQuerySchema, flagStatePatchSchema } from "@/lib/flags/schemas";
import { updateFlagState } from "@/lib/flags/update-flag-state";
import { apiRoute, envOfQuery, json } from "@/lib/http/api-route";
import { readIfMatch } from "@/lib/http/request-body";
import { flagKeyParams } from "@/lib/http/route-params";

const oneFlag = { params: flagKeyParams, query: environmentQuerySchema, environment: envOfQuery };

export const GET = apiRoute({ role: "viewer", ...oneFlag }, async ({ params: { key }, query: { env }, ctx }) => {
  const flag = await getFlag({ db: ctx.db, key, env });
  return json(flag, { headers: { etag: `"${flag.state.version}"` } });
});

export const PATCH = apiRoute(
  { role: "operator", ...oneFlag, body: flagStatePatchSchema },
  async ({ request, params: { key }, query: { env }, body: patch, ctx }) => {
    const expectedVersion = readIfMatch(request);
    const result = await updateFlagState({ ctx, input: { key, env, patch, expectedVersion } });
    return json(result, { headers: { etag: `"${result.state.version}"` } });
  },
);
