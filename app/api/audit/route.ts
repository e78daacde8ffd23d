import { listAuditEvents } from "@/lib/audit/list-audit-events";
import { auditQuerySchema } from "@/lib/audit/schemas";
import { apiRoute, json, optionalEnvFromQuery, parseQuery } from "@/lib/http/api-route";

export const GET = apiRoute({ role: "viewer", environment: optionalEnvFromQuery }, async ({ url, ctx }) => {
  const query = parseQuery(url, auditQuerySchema);
  return json(await listAuditEvents({ db: ctx.db, query }));
});
