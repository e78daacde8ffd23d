// The audit trail as people read it: events named by flag and environment key. It sits above
// audit, flags and environments, which all record through lib/audit/audit-store.
import type { Db } from "@/lib/db/client";
import { requireEnvironment } from "@/lib/environments/environment-store";
import { requireFlag } from "@/lib/flags/flag-store";
import { findAuditEvents } from "@/lib/audit/audit-store";
import type { AuditQuery } from "./schemas";

/** One page of the audit trail, newest first, optionally for one flag and/or environment. */
export async function listAuditEvents({ db, query }: { db: Db; query: AuditQuery }) {
  const flag = query.flag ? await requireFlag(db, query.flag) : undefined;
  const environment = query.env ? await requireEnvironment(db, query.env) : undefined;
  return findAuditEvents(db, {
    flagId: flag?.id,
    environmentId: environment?.id,
    beforeId: query.cursor ? Number(query.cursor) : undefined,
    limit: query.limit,
  });
}
