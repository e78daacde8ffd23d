import { and, eq, gte, inArray, isNull, lt, or, sql } from "drizzle-orm";
import { flagStates, flags, metricBatches, pathMetrics } from "@/db/schema";
import type { Db } from "@/lib/db/client";
import type { MetricCohort } from "./metric-cohort";
import type { MetricResolution } from "./metric-resolution";

/** One bucket row as stored: the key, and what it adds up to so far. */
export type PathBucketRow = typeof pathMetrics.$inferSelect;
export type PathBucketKey = Pick<PathBucketRow, "environmentId" | "flagId" | "resolution" | "path" | "cohort" | "bucketStart">;

export const RESOLUTION_MS: Record<MetricResolution, number> = { minute: 60_000, hour: 3_600_000 };

/** Flag ids by key, for the keys that exist, and whether each is archived. */
export async function findFlagIds(db: Db, keys: string[]): Promise<Map<string, { id: number; archived: boolean }>> {
  if (keys.length === 0) return new Map();
  const rows = await db.select({ id: flags.id, key: flags.key, archivedAt: flags.archivedAt }).from(flags).where(inArray(flags.key, keys));
  return new Map(rows.map((row) => [row.key, { id: row.id, archived: row.archivedAt !== null }]));
}

/**
 * Records the batch ids of an environment; answers the ids that were new. A retried batch's id
 * is already there, so its samples are not added again.
 */
export async function insertNewBatchIds(db: Db, rows: (typeof metricBatches.$inferInsert)[]): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  const inserted = await db.insert(metricBatches).values(rows).onConflictDoNothing().returning({ batchId: metricBatches.batchId });
  return new Set(inserted.map((row) => row.batchId));
}

/** The stored rows among these bucket keys (all of one environment). */
export async function findBucketRows(db: Db, environmentId: number, keys: PathBucketKey[]): Promise<PathBucketRow[]> {
  if (keys.length === 0) return [];
  const flagIds = [...new Set(keys.map((key) => key.flagId))];
  const starts = [...new Set(keys.map((key) => key.bucketStart.getTime()))].map((t) => new Date(t));
  const rows = await db
    .select()
    .from(pathMetrics)
    .where(and(eq(pathMetrics.environmentId, environmentId), inArray(pathMetrics.flagId, flagIds), inArray(pathMetrics.bucketStart, starts)));
  const wanted = new Set(keys.map(bucketKeyOf));
  return rows.filter((row) => wanted.has(bucketKeyOf(row)));
}

/**
 * Writes whole bucket rows, each once: inserted, or replacing what findBucketRows read. The rows
 * travel as one JSON parameter: a write carries up to hundreds of rows with kilobyte sketches, and
 * a parameter per column per row cost more CPU to build than the rest of the write.
 */
export async function upsertBucketRows(db: Db, rows: PathBucketRow[]): Promise<void> {
  if (rows.length === 0) return;
  const json = JSON.stringify(
    rows.map((row) => ({
      environment_id: row.environmentId,
      flag_id: row.flagId,
      path: row.path,
      cohort: row.cohort,
      resolution: row.resolution,
      bucket_start: row.bucketStart.toISOString(),
      requests: row.requests,
      errors: row.errors,
      reasons: row.reasons,
      sketch: row.sketch,
    })),
  );
  await db.execute(sql`
    insert into path_metrics (environment_id, flag_id, path, cohort, resolution, bucket_start, requests, errors, reasons, sketch)
    select environment_id, flag_id, path, cohort, resolution, bucket_start, requests, errors, reasons, sketch
    from jsonb_to_recordset(${json}::jsonb) as r(environment_id integer, flag_id integer, path text, cohort text, resolution text,
      bucket_start timestamptz, requests bigint, errors bigint, reasons jsonb, sketch text)
    on conflict (environment_id, flag_id, resolution, path, cohort, bucket_start) do update
    set requests = excluded.requests, errors = excluded.errors, reasons = excluded.reasons, sketch = excluded.sketch`);
}

export function bucketKeyOf(key: PathBucketKey): string {
  return `${key.environmentId}:${key.flagId}:${key.resolution}:${key.path}:${key.cohort}:${key.bucketStart.getTime()}`;
}

/**
 * Records that SDKs evaluated these flags here, up to `at`; never moves backwards, and leaves
 * rows already as new untouched so a busy fleet does not rewrite them on every batch.
 */
export async function markEvaluated(db: Db, environmentId: number, flagIds: number[], at: Date) {
  if (flagIds.length === 0) return;
  await db
    .update(flagStates)
    .set({ lastEvaluatedAt: at })
    .where(
      and(
        eq(flagStates.environmentId, environmentId),
        inArray(flagStates.flagId, flagIds),
        or(isNull(flagStates.lastEvaluatedAt), lt(flagStates.lastEvaluatedAt, at)),
      ),
    );
}

/** One cohort's rows of a flag (rollout traffic unless asked): the new-against-legacy comparison. */
export async function findBuckets(db: Db, filter: { environmentId: number; flagId: number; cohort?: MetricCohort; resolution: MetricResolution; from: Date; to: Date }) {
  return db
    .select()
    .from(pathMetrics)
    .where(
      and(
        eq(pathMetrics.environmentId, filter.environmentId),
        eq(pathMetrics.flagId, filter.flagId),
        eq(pathMetrics.cohort, filter.cohort ?? "ramp"),
        eq(pathMetrics.resolution, filter.resolution),
        gte(pathMetrics.bucketStart, filter.from),
        lt(pathMetrics.bucketStart, filter.to),
      ),
    )
    .orderBy(pathMetrics.bucketStart);
}

/** Retention: minute rows older than this go; hour rows, written alongside them, stay. */
export async function deleteMinuteBucketsBefore(db: Db, before: Date): Promise<number> {
  const deleted = await db
    .delete(pathMetrics)
    .where(and(eq(pathMetrics.resolution, "minute"), lt(pathMetrics.bucketStart, before)))
    .returning({ flagId: pathMetrics.flagId });
  return deleted.length;
}

/** Every flag's rollout minute rows in an environment since a time, without sketches: list summaries. */
export async function findMinuteCountsSince(db: Db, environmentId: number, since: Date) {
  return db
    .select({
      flagKey: flags.key,
      path: pathMetrics.path,
      bucketStart: pathMetrics.bucketStart,
      requests: pathMetrics.requests,
      errors: pathMetrics.errors,
    })
    .from(pathMetrics)
    .innerJoin(flags, eq(flags.id, pathMetrics.flagId))
    .where(and(eq(pathMetrics.environmentId, environmentId), eq(pathMetrics.cohort, "ramp"), eq(pathMetrics.resolution, "minute"), gte(pathMetrics.bucketStart, since)));
}

/** Hour rows of one flag, every cohort, from the hour holding `from` up to `to`: a targeted request on the legacy path is legacy traffic too. */
export async function findHourCounts(db: Db, filter: { environmentId: number; flagId: number; from: Date; to: Date }) {
  const fromHour = new Date(Math.floor(filter.from.getTime() / RESOLUTION_MS.hour) * RESOLUTION_MS.hour);
  return db
    .select({ path: pathMetrics.path, requests: pathMetrics.requests, reasons: pathMetrics.reasons })
    .from(pathMetrics)
    .where(
      and(
        eq(pathMetrics.environmentId, filter.environmentId),
        eq(pathMetrics.flagId, filter.flagId),
        eq(pathMetrics.resolution, "hour"),
        gte(pathMetrics.bucketStart, fromHour),
        lt(pathMetrics.bucketStart, filter.to),
      ),
    );
}
