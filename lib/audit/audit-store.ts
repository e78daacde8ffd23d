import { and, asc, desc, eq, gte, ilike, inArray, lt, type SQL } from "drizzle-orm";
import { auditEvents, environments, flags } from "@/db/schema";
import type { Db } from "@/lib/db/client";
import type { AuditSource } from "./audit-source";
import { enqueueNotifications } from "./notification-outbox";

export interface NewAuditEvent {
  actor: string;
  source: AuditSource;
  action: string;
  environmentId?: number | null;
  flagId?: number | null;
  before?: unknown;
  after?: unknown;
  reason?: string | null;
  requestId?: string | null;
}

export interface AuditEventView {
  id: number;
  at: string;
  actor: string;
  source: AuditSource;
  environment: string | null;
  flag: string | null;
  action: string;
  before: unknown;
  after: unknown;
  reason: string | null;
  requestId: string | null;
}

/**
 * Call inside the transaction that makes the change, so the event and the change commit
 * together; so do the notifications it makes (notification-outbox.ts).
 */
export async function recordAuditEvent(db: Db, event: NewAuditEvent): Promise<void> {
  const [recorded] = await db.insert(auditEvents).values({
    actor: event.actor,
    source: event.source,
    action: event.action,
    environmentId: event.environmentId ?? null,
    flagId: event.flagId ?? null,
    before: event.before ?? null,
    after: event.after ?? null,
    reason: event.reason || null,
    requestId: event.requestId ?? null,
  }).returning();
  await enqueueNotifications(db, recorded!);
}

export interface AuditEventFilter {
  flagId?: number;
  environmentId?: number;
  /** Part of the actor, any case. */
  actorContains?: string;
  action?: string;
  /** At or after `from`, before `to`. */
  from?: Date;
  to?: Date;
  /** Return events older than this id (the previous page's nextCursor). */
  beforeId?: number;
  limit: number;
}

/** `%` and `_` typed into a filter mean themselves, not LIKE wildcards. */
function likeContains(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Newest first; fetches one extra row to know whether another page exists. */
export async function findAuditEvents(
  db: Db,
  filter: AuditEventFilter,
): Promise<{ events: AuditEventView[]; nextCursor: string | null }> {
  const conditions: SQL[] = [];
  if (filter.flagId !== undefined) conditions.push(eq(auditEvents.flagId, filter.flagId));
  if (filter.environmentId !== undefined) conditions.push(eq(auditEvents.environmentId, filter.environmentId));
  if (filter.actorContains !== undefined) conditions.push(ilike(auditEvents.actor, likeContains(filter.actorContains)));
  if (filter.action !== undefined) conditions.push(eq(auditEvents.action, filter.action));
  if (filter.from !== undefined) conditions.push(gte(auditEvents.at, filter.from));
  if (filter.to !== undefined) conditions.push(lt(auditEvents.at, filter.to));
  if (filter.beforeId !== undefined) conditions.push(lt(auditEvents.id, filter.beforeId));

  const rows = await db
    .select({ event: auditEvents, environment: environments.key, flag: flags.key })
    .from(auditEvents)
    .leftJoin(environments, eq(environments.id, auditEvents.environmentId))
    .leftJoin(flags, eq(flags.id, auditEvents.flagId))
    .where(and(...conditions))
    .orderBy(desc(auditEvents.id))
    .limit(filter.limit + 1);

  const page = rows.slice(0, filter.limit);
  const events = page.map(({ event, environment, flag }) => ({
    id: event.id,
    at: event.at.toISOString(),
    actor: event.actor,
    source: event.source,
    environment,
    flag,
    action: event.action,
    before: event.before,
    after: event.after,
    reason: event.reason,
    requestId: event.requestId,
  }));
  const nextCursor = rows.length > filter.limit ? String(page[page.length - 1].event.id) : null;
  return { events, nextCursor };
}

/** Every action the trail holds, for the audit page's filter. */
export async function findAuditActions(db: Db): Promise<string[]> {
  const rows = await db.selectDistinct({ action: auditEvents.action }).from(auditEvents).orderBy(asc(auditEvents.action));
  return rows.map((row) => row.action);
}

/** A flag's state changes in one environment since a time, oldest first: chart markers. */
export async function findStateChanges(db: Db, filter: { flagId: number; environmentId: number; since: Date }) {
  return db
    .select({ at: auditEvents.at, action: auditEvents.action, actor: auditEvents.actor, before: auditEvents.before, after: auditEvents.after })
    .from(auditEvents)
    .where(
      and(
        eq(auditEvents.flagId, filter.flagId),
        eq(auditEvents.environmentId, filter.environmentId),
        gte(auditEvents.at, filter.since),
        inArray(auditEvents.action, ["flag.state_updated", "flag.killed", "flag.restored"]),
      ),
    )
    .orderBy(auditEvents.id);
}
