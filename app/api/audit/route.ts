import { listAuditEvents } from "@/lib/audit/list-audit-events";
import { auditQuerySchema } from "@/lib/audit/schemas";
import { apiRoute, envOfQuery, json } from "@/lib/http/api-route";

export const GET = apiRoute({ role: "viewer", query: auditQuerySchema, environment: envOfQuery }, async ({ query, ctx }) =>
  json(await listAuditEvents({ db: ctx.db, query })),
);
