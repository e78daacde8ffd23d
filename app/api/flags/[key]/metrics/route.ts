import { apiRoute, envOfQuery, json } from "@/lib/http/api-route";
import { flagKeyParams } from "@/lib/http/route-params";
import { metricsQuerySchema, readFlagMetrics } from "@/lib/metrics/read-flag-metrics";

export const GET = apiRoute(
  { role: "viewer", params: flagKeyParams, query: metricsQuerySchema, environment: envOfQuery },
  async ({ params: { key }, query: { env, window }, ctx }) => json(await readFlagMetrics({ db: ctx.db, key, env, window })),
);
