import type { AuditSource } from "@/lib/audit/audit-source";
import type { Actor } from "@/lib/auth/actor";
import type { Db } from "@/lib/db/client";

/** What every service receives: who acts, from where, and the db (or transaction) to use. */
export interface ServiceContext {
  db: Db;
  actor: Actor;
  source: AuditSource;
  requestId?: string;
}
