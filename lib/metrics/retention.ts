import { lt, sql } from "drizzle-orm";
import { environments, metricBatches } from "@/db/schema";
import type { Db } from "@/lib/db/client";
import { deleteGuardWindowsBefore } from "./guard-window-store";
import { deleteMinuteBucketsBefore } from "./path-metrics-store";

const DAY_MS = 86_400_000;
/** Minute rows live a week; the hour rows written beside them at ingest are the roll-up. */
export const MINUTE_RETENTION_MS = 7 * DAY_MS;
/** Batch ids are remembered long enough to catch any SDK retry (they give up within minutes). */
export const BATCH_ID_RETENTION_MS = 2 * DAY_MS;
const RETENTION_LOCK_ID = 7_204_316_003;

/** One instance at a time (try-lock: the others skip this round). */
export async function applyMetricsRetention(db: Db, now = new Date()): Promise<{ minuteRows: number } | null> {
  return db.transaction(async (tx) => {
    // Selected through a table so the answer is typed; environments always has rows.
    const [{ locked }] = await tx
      .select({ locked: sql<boolean>`pg_try_advisory_xact_lock(${RETENTION_LOCK_ID})` })
      .from(environments)
      .limit(1);
    if (!locked) return null;
    const minuteRows = await deleteMinuteBucketsBefore(tx, new Date(now.getTime() - MINUTE_RETENTION_MS));
    // The longest hold a plan allows is a day, extended to three: four days covers any step.
    await deleteGuardWindowsBefore(tx, new Date(now.getTime() - 4 * DAY_MS));
    await tx.delete(metricBatches).where(lt(metricBatches.receivedAt, new Date(now.getTime() - BATCH_ID_RETENTION_MS)));
    return { minuteRows };
  });
}
