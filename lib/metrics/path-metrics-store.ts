import { and, eq, gte, inArray, lt, sql } from "drizzle-orm";
import { flagStates, flags, pathMetrics, type MetricResolution } from "@/db/schema";
import type { Db } from "@/lib/db/client";
import { encodeSketch, mergeSketches } from "./latency-sketch";

export interface PathAggregate {
  flagId: number;
  path: "new" | "legacy";
  requests: number;
  errors: number;
  reasons: Record<string, number>;
  sketches: string[];
}

export const RESOLUTION_MS: Record<MetricResolution, number> = { minute: 60_000, hour: 3_600_000 };

/** Flag ids by key, for the keys that exist, and whether each is archived. */
export async function findFlagIds(db: Db, keys: string[]): Promise<Map<string, { id: number; archived: boolean }>> {
  if (keys.length === 0) return new Map();
  const rows = await db.select({ id: flags.id, key: flags.key, archivedAt: flags.archivedAt }).from(flags).where(inArray(flags.key, keys));
  return new Map(rows.map((row) => [row.key, { id: row.id, archived: row.archivedAt !== null }]));
}

/**
 * Adds an aggregate into its bucket row. The row is created empty first and then locked, so
 * concurrent batches for the same bucket merge one after the other instead of losing a sketch.
 */
export async function addToBucket(db: Db, environmentId: number, resolution: MetricResolution, bucketStart: Date, aggregate: PathAggregate) {
  const key = { environmentId, flagId: aggregate.flagId, path: aggregate.path, resolution, bucketStart };
  await db.insert(pathMetrics).values(key).onConflictDoNothing();
  const thisBucket = and(
    eq(pathMetrics.environmentId, environmentId),
    eq(pathMetrics.flagId, aggregate.flagId),
    eq(pathMetrics.resolution, resolution),
    eq(pathMetrics.path, aggregate.path),
    eq(pathMetrics.bucketStart, bucketStart),
  );
  const [current] = await db
    .select()
    .from(pathMetrics)
    .where(thisBucket)
    .for("update");
  const reasons = { ...current.reasons };
  for (const [reason, n] of Object.entries(aggregate.reasons)) reasons[reason] = (reasons[reason] ?? 0) + n;
  const sketch = mergeSketches([current.sketch, ...aggregate.sketches]);
  await db
    .update(pathMetrics)
    .set({
      requests: current.requests + aggregate.requests,
      errors: current.errors + aggregate.errors,
      reasons,
      sketch: sketch ? encodeSketch(sketch) : null,
    })
    .where(thisBucket);
}

/** Records that SDKs evaluated these flags here, up to `at`; never moves backwards. */
export async function markEvaluated(db: Db, environmentId: number, flagIds: number[], at: Date) {
  if (flagIds.length === 0) return;
  await db
    .update(flagStates)
    .set({ lastEvaluatedAt: sql`greatest(${flagStates.lastEvaluatedAt}, ${at.toISOString()}::timestamptz)` })
    .where(and(eq(flagStates.environmentId, environmentId), inArray(flagStates.flagId, flagIds)));
}

export async function findBuckets(db: Db, filter: { environmentId: number; flagId: number; resolution: MetricResolution; from: Date; to: Date }) {
  return db
    .select()
    .from(pathMetrics)
    .where(
      and(
        eq(pathMetrics.environmentId, filter.environmentId),
        eq(pathMetrics.flagId, filter.flagId),
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

/** Every flag's minute rows in an environment since a time, without sketches: list summaries. */
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
    .where(and(eq(pathMetrics.environmentId, environmentId), eq(pathMetrics.resolution, "minute"), gte(pathMetrics.bucketStart, since)));
}

/** Hour rows of one flag from the hour holding `from` up to `to`: the long windows teardown looks at. */
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
