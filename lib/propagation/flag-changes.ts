import { sql } from "drizzle-orm";
import type { Db } from "@/lib/db/client";

/** The NOTIFY channel every control-plane instance listens on; the payload is the environment key. */
export const FLAG_CHANGES_CHANNEL = "rampart_flag_changes";

/** A probe's payload begins with "?", which no environment key can, so no instance takes it for a change. */
export const NOTIFY_PROBE_PREFIX = "?";

const FLAG_CHANGE_LOCK_SPACE = 72_043;

/** The next position in the SDK change stream, for `flag_states.change_seq`. */
export const nextChangeSeq = sql<number>`nextval('flag_states_change_seq_seq')`;

/**
 * Serialises flag-state changes per environment until commit, so change_seq order is commit
 * order there and a stream that has seen seq N has seen every change before N. Call it before
 * reading the state to change; ids are locked in order so two callers cannot deadlock.
 */
export async function lockEnvironmentsForChange(tx: Db, environmentIds: number[]): Promise<void> {
  for (const id of [...new Set(environmentIds)].sort((a, b) => a - b)) {
    await tx.execute(sql`select pg_advisory_xact_lock(${FLAG_CHANGE_LOCK_SPACE}, ${id})`);
  }
}

/** Tells every instance, at commit and only if the transaction commits, that this environment changed. */
export async function notifyFlagChange(tx: Db, environmentKey: string): Promise<void> {
  await tx.execute(sql`select pg_notify(${FLAG_CHANGES_CHANNEL}, ${environmentKey})`);
}

/** Sends a probe down the flag-change channel at once, to time how long the channel takes. */
export async function sendNotifyProbe(db: Db, payload: string): Promise<void> {
  await db.execute(sql`select pg_notify(${FLAG_CHANGES_CHANNEL}, ${payload})`);
}

/**
 * The share of the database's NOTIFY queue in use, 0 to 1. A listener that stops reading holds
 * the queue; at 1 every NOTIFY fails, and with it every flag change's commit.
 */
export async function readNotifyQueueUsage(db: Db): Promise<number> {
  const result = await db.execute(sql`select pg_notification_queue_usage() as usage`);
  return Number((result as unknown as { rows: { usage: number | string }[] }).rows[0]?.usage ?? 0);
}
