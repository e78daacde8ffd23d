import { apiRoute, envFromQuery, json, parseQuery } from "@/lib/http/api-route";
import { parseFlagKeyParam } from "@/lib/http/route-params";
import { metricsQuerySchema, readFlagMetrics } from "@/lib/metrics/read-flag-metrics";

export const GET = apiRoute<{ key: string }>({ role: "viewer", environment: envFromQuery }, async ({ params, url, ctx }) => {
  const key = parseFlagKeyParam(params);
  const { env, window } = parseQuery(url, metricsQuerySchema);
  return json(await readFlagMetrics({ db: ctx.db, key, env, window }));
});
