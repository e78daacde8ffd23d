import { randomUUID } from "node:crypto";
import { and, eq, isNull, lt, or } from "drizzle-orm";
import { notificationDestinations } from "@/db/schema";
import { publicUrl } from "@/lib/audit/notification-outbox";
import { recordAuditEvent } from "@/lib/audit/audit-store";
import type { Db } from "@/lib/db/client";
import { listEnvironments } from "@/lib/environments/environment-store";
import { describeStaleReason, listStaleFlags, type StaleFlag } from "@/lib/lifecycle/stale-flags";
import { insertDelivery, type DestinationRow } from "./delivery-store";

const WEEK_MS = 7 * 24 * 3_600_000;
/** Monday 09:00 UTC: the start of a manager's week in most places that run Rampart. */
const SLOT_DAY_MS = 9 * 3_600_000;
/** A digest lists at most this many flags per environment, most neglected first, and counts the rest. */
export const DIGEST_FLAGS_PER_ENVIRONMENT = 100;

export interface StaleDigestFlag {
  key: string;
  owner: string;
  ageDays: number;
  /** Each reason in words, as the stale page and its CSV say it. */
  reasons: string[];
  removalOverdue: boolean;
  dueDate: string | null;
  link: string;
}

/** The generic JSON a webhook destination gets each week; Slack gets it as Block Kit. */
export interface StaleDigestPayload {
  id: string;
  type: "stale_digest";
  severity: "info";
  summary: string;
  /** Rampart's stale page. */
  link: string;
  occurredAt: string;
  /** The weekly slot (a Monday, 09:00 UTC) this digest is for. */
  week: string;
  environments: { environment: string; count: number; overdueTickets: number; flags: StaleDigestFlag[]; more: number }[];
}

/** The latest Monday 09:00 UTC at or before `now`. */
export function digestSlot(now: Date): Date {
  const day = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const sinceMonday = (now.getUTCDay() + 6) % 7;
  const slot = day - sinceMonday * 86_400_000 + SLOT_DAY_MS;
  return new Date(slot <= now.getTime() ? slot : slot - WEEK_MS);
}

/**
 * Each destination that wants the digest and has not had this week's gets it queued in the
 * outbox, delivered and retried as any notification is. A destination turned on mid-week gets
 * the current week's at the next run. Nothing stale in its environments: the week is marked, no message.
 */
export async function queueStaleDigests(db: Db, now = new Date()): Promise<number> {
  const slot = digestSlot(now);
  const due = await db
    .select({ id: notificationDestinations.id })
    .from(notificationDestinations)
    .where(and(eq(notificationDestinations.staleDigest, true), eq(notificationDestinations.enabled, true), or(isNull(notificationDestinations.staleDigestSlot), lt(notificationDestinations.staleDigestSlot, slot))));
  let queued = 0;
  for (const { id } of due) if (await queueOne(db, id, slot, now)) queued += 1;
  return queued;
}

async function queueOne(db: Db, destinationId: number, slot: Date, now: Date): Promise<boolean> {
  return db.transaction(async (tx) => {
    // Claimed by the update, so two ticks (or two instances) cannot both queue this week's.
    const [destination] = await tx
      .update(notificationDestinations)
      .set({ staleDigestSlot: slot })
      .where(and(eq(notificationDestinations.id, destinationId), or(isNull(notificationDestinations.staleDigestSlot), lt(notificationDestinations.staleDigestSlot, slot))))
      .returning();
    if (!destination) return false;
    const payload = await staleDigestPayload(tx, destination, slot, now);
    const total = payload.environments.reduce((sum, env) => sum + env.count, 0);
    if (total > 0) {
      await insertDelivery(tx, { destinationId, eventId: payload.id, eventType: "stale_digest", severity: "info", payload });
    }
    await recordAuditEvent(tx, {
      actor: "rampart",
      source: "controller",
      action: "notification_destination.stale_digest",
      after: { name: destination.name, week: payload.week, staleFlags: total, sent: total > 0 },
      reason: total > 0 ? payload.summary : `Nothing stale in ${destination.name}'s environments this week; no message sent.`,
    });
    return total > 0;
  });
}

export async function staleDigestPayload(db: Db, destination: DestinationRow, slot: Date, now: Date): Promise<StaleDigestPayload> {
  const wanted = destination.environments;
  const keys = (await listEnvironments(db)).map((env) => env.key).filter((key) => wanted === null || wanted.includes(key));
  const base = publicUrl();
  const environments = [];
  for (const key of keys) {
    const { flags } = await listStaleFlags({ db, env: key, now, sort: "age", order: "desc" });
    if (flags.length === 0) continue;
    environments.push({
      environment: key,
      count: flags.length,
      overdueTickets: flags.filter(isRemovalOverdue).length,
      flags: flags.slice(0, DIGEST_FLAGS_PER_ENVIRONMENT).map((flag) => digestFlag(flag, key, base)),
      more: Math.max(0, flags.length - DIGEST_FLAGS_PER_ENVIRONMENT),
    });
  }
  return {
    id: randomUUID(),
    type: "stale_digest",
    severity: "info",
    summary: digestSummary(environments),
    link: `${base}/stale`,
    occurredAt: now.toISOString(),
    week: slot.toISOString(),
    environments,
  };
}

function isRemovalOverdue(flag: StaleFlag): boolean {
  return flag.reasons.some((reason) => reason.kind === "removal_overdue");
}

function digestFlag(flag: StaleFlag, environment: string, base: string): StaleDigestFlag {
  return {
    key: flag.key,
    owner: flag.owner,
    ageDays: flag.ageDays,
    reasons: flag.reasons.map(describeStaleReason),
    removalOverdue: isRemovalOverdue(flag),
    dueDate: flag.dueDate?.slice(0, 10) ?? null,
    link: `${base}/flags/${encodeURIComponent(flag.key)}?env=${encodeURIComponent(environment)}`,
  };
}

function digestSummary(environments: { environment: string; count: number; overdueTickets: number }[]): string {
  if (environments.length === 0) return "Stale flags this week: none";
  const overdue = environments.reduce((sum, env) => sum + env.overdueTickets, 0);
  const where = environments.map((env) => `${env.count} in ${env.environment}`).join(", ");
  return `Stale flags this week: ${where}${overdue > 0 ? ` (${overdue} removal ${overdue === 1 ? "ticket" : "tickets"} overdue)` : ""}`;
}
