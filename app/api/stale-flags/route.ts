import { z } from "zod";
import { DEFAULT_ENVIRONMENT } from "@/lib/environments/default-environment";
import { environmentKeySchema } from "@/lib/environments/schemas";
import { listStaleFlags, staleFlagsCsv } from "@/lib/lifecycle/stale-flags";
import { sortOrders, staleSorts } from "@/lib/lifecycle/stale-sorts";
import { apiRoute, envOfQuery, json } from "@/lib/http/api-route";

const staleQuerySchema = z.strictObject({
  env: environmentKeySchema.default(DEFAULT_ENVIRONMENT),
  sort: z.enum(staleSorts).optional(),
  order: z.enum(sortOrders).optional(),
  format: z.enum(["json", "csv"]).default("json"),
});

export const GET = apiRoute({ role: "viewer", query: staleQuerySchema, environment: envOfQuery }, async ({ query, ctx }) => {
  const { env, sort, order, format } = query;
  const stale = await listStaleFlags({ db: ctx.db, env, sort, order });
  if (format === "json") return json(stale);
  return new Response(staleFlagsCsv(stale.environment, stale.flags), {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="rampart-stale-flags-${stale.environment}.csv"`,
    },
  });
});
