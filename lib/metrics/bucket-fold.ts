import { newLatencySketch, type LatencySketch } from "@rampart/sdk";
import { decodeSketch, encodeSketch } from "./latency-sketch";
import { cohortOf } from "./metric-cohort";
import { bucketKeyOf, RESOLUTION_MS, type PathBucketKey, type PathBucketRow } from "./path-metrics-store";
import type { MetricsBatchInput } from "./schemas";

const RESOLUTIONS = ["minute", "hour"] as const;

/** A validated batch with its sketches already decoded (validation had to decode them anyway). */
export interface DecodedBatch {
  batch: MetricsBatchInput;
  sketches: LatencySketch[];
}

interface BucketDelta {
  key: PathBucketKey;
  requests: number;
  errors: number;
  reasons: Record<string, number>;
  sketches: LatencySketch[];
}

/**
 * What a set of batches adds to each minute and hour bucket of one environment. Entries for
 * flags not in `flagIds` (unknown or archived) are left out.
 */
export function bucketDeltas(environmentId: number, batches: DecodedBatch[], flagIds: Map<string, number>): BucketDelta[] {
  const deltas = new Map<string, BucketDelta>();
  for (const { batch, sketches } of batches) {
    batch.entries.forEach((entry, index) => {
      const flagId = flagIds.get(entry.flag);
      if (flagId === undefined) return;
      for (const resolution of RESOLUTIONS) {
        const size = RESOLUTION_MS[resolution];
        const key: PathBucketKey = { environmentId, flagId, resolution, path: entry.path, cohort: cohortOf(entry.reason), bucketStart: new Date(Math.floor(batch.windowStart / size) * size) };
        const id = bucketKeyOf(key);
        let delta = deltas.get(id);
        if (!delta) deltas.set(id, (delta = { key, requests: 0, errors: 0, reasons: {}, sketches: [] }));
        delta.requests += entry.count;
        delta.errors += entry.errors;
        delta.reasons[entry.reason] = (delta.reasons[entry.reason] ?? 0) + entry.count;
        delta.sketches.push(sketches[index]);
      }
    });
  }
  return [...deltas.values()];
}

/** Each bucket once: what it held (if anything) plus everything the deltas add. */
export function foldIntoRows(deltas: BucketDelta[], stored: PathBucketRow[]): PathBucketRow[] {
  const existing = new Map(stored.map((row) => [bucketKeyOf(row), row]));
  return deltas.map(({ key, requests, errors, reasons, sketches }) => {
    const row = existing.get(bucketKeyOf(key));
    const mergedReasons = { ...(row?.reasons ?? {}) };
    for (const [reason, n] of Object.entries(reasons)) mergedReasons[reason] = (mergedReasons[reason] ?? 0) + n;
    // Into a fresh sketch: the decoded ones are shared by the minute and hour deltas.
    const merged = mergeInto(row?.sketch ? decodeSketch(row.sketch) : newLatencySketch(), sketches);
    return {
      ...key,
      requests: (row?.requests ?? 0) + requests,
      errors: (row?.errors ?? 0) + errors,
      reasons: mergedReasons,
      sketch: encodeSketch(merged),
    };
  });
}

/**
 * Merges sketches into `into`, its bins sized once for all their keys: merged one at a time, each
 * sketch reaching past the range so far re-centres (copies) the bins, and a write merges thousands.
 */
function mergeInto(into: LatencySketch, sketches: LatencySketch[]): LatencySketch {
  let min = Infinity;
  let max = -Infinity;
  for (const { store } of sketches) {
    if (store.count === 0) continue;
    min = Math.min(min, store.minKey);
    max = Math.max(max, store.maxKey);
  }
  let index = 0;
  // An empty store takes the first sketch's bins as they are; only then can its range be widened.
  while (into.store.count === 0 && index < sketches.length) into.merge(sketches[index++]);
  if (into.store.count > 0 && min <= max) {
    into.store.add(max, 0);
    into.store.add(min, 0);
  }
  for (; index < sketches.length; index++) into.merge(sketches[index]);
  return into;
}
