import { listAuditEvents } from "@/lib/audit-trail/list-audit-events";
import { auditQuerySchema } from "@/lib/audit-trail/schemas";
import { apiRoute, envOfQuery, json } from "@/lib/http/api-route";

export const GET = apiRoute({ role: "viewer", query: auditQuerySchema, environment: envOfQuery }, async ({ query, ctx }) =>
  json(await listAuditEvents({ db: ctx.db, query })),
);
