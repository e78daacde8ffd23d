import { metricBatches } from "@/db/schema";
import type { Db } from "@/lib/db/client";
import type { Environment } from "@/lib/environments/environment-store";
import { ValidationError } from "@/lib/errors";
import { decodeSketch } from "./latency-sketch";
import { addToBucket, findFlagIds, markEvaluated, RESOLUTION_MS, type PathAggregate } from "./path-metrics-store";
import { MAX_WINDOW_AGE_MS, type MetricsBatchInput } from "./schemas";

export interface IngestResult {
  batchId: string;
  /** False when this batch id was stored before: a retry, acknowledged and not counted again. */
  stored: boolean;
  samples: number;
  /** Entries for flags that do not exist here (or are archived): acknowledged, not stored. */
  ignoredEntries: number;
}

/**
 * Stores one SDK batch: its aggregates merged into the minute and hour rows of each flag × path,
 * and the last-evaluated time of each flag it has entries for or lists in `evaluated` (an SDK
 * that only calls `evaluate()` sends no entries). Telemetry, not a change of state: no audit event.
 */
export async function ingestMetrics(db: Db, environment: Environment, batch: MetricsBatchInput, now = new Date()): Promise<IngestResult> {
  assertPlausibleWindow(batch, now);
  batch.entries.forEach((entry, index) => {
    try {
      decodeSketch(entry.sketch);
    } catch {
      throw new ValidationError("invalid_sketch", "An entry's sketch is not a DDSketch.", [
        { path: `entries.${index}.sketch`, message: "must be a base64 DDSketch protobuf" },
      ]);
    }
  });

  const samples = batch.entries.reduce((sum, entry) => sum + entry.count, 0);
  return db.transaction(async (tx) => {
    const [fresh] = await tx
      .insert(metricBatches)
      .values({ batchId: batch.batchId, environmentId: environment.id, instanceId: batch.instanceId, samples, dropped: batch.dropped })
      .onConflictDoNothing()
      .returning({ batchId: metricBatches.batchId });
    if (!fresh) return { batchId: batch.batchId, stored: false, samples, ignoredEntries: 0 };

    const flagIds = await findFlagIds(tx, [...new Set([...batch.entries.map((entry) => entry.flag), ...(batch.evaluated ?? [])])]);
    const aggregates = new Map<string, PathAggregate>();
    let ignoredEntries = 0;
    for (const entry of batch.entries) {
      const flag = flagIds.get(entry.flag);
      if (!flag || flag.archived) {
        ignoredEntries += 1;
        continue;
      }
      const flagId = flag.id;
      const key = `${flagId}:${entry.path}`;
      const aggregate = aggregates.get(key) ?? { flagId, path: entry.path, requests: 0, errors: 0, reasons: {}, sketches: [] };
      aggregate.requests += entry.count;
      aggregate.errors += entry.errors;
      aggregate.reasons[entry.reason] = (aggregate.reasons[entry.reason] ?? 0) + entry.count;
      aggregate.sketches.push(entry.sketch);
      aggregates.set(key, aggregate);
    }

    // Sorted, so two batches lock the same rows in the same order and never deadlock.
    const ordered = [...aggregates.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, aggregate]) => aggregate);
    for (const resolution of ["minute", "hour"] as const) {
      const bucketStart = new Date(Math.floor(batch.windowStart / RESOLUTION_MS[resolution]) * RESOLUTION_MS[resolution]);
      for (const aggregate of ordered) await addToBucket(tx, environment.id, resolution, bucketStart, aggregate);
    }
    // Archived flags too: code still asking for one after archiving is the hazard the flag page warns of.
    const evaluatedIds = [...new Set([...flagIds.values()].map((flag) => flag.id))].sort((a, b) => a - b);
    await markEvaluated(tx, environment.id, evaluatedIds, new Date(batch.windowEnd));
    return { batchId: batch.batchId, stored: true, samples, ignoredEntries };
  });
}

function assertPlausibleWindow(batch: MetricsBatchInput, now: Date): void {
  const skew = 5 * 60_000;
  if (batch.windowStart < now.getTime() - MAX_WINDOW_AGE_MS || batch.windowEnd > now.getTime() + skew) {
    throw new ValidationError("invalid_window", "The batch window is more than a day old or in the future.", [
      { path: "windowStart", message: "must be within the last 24 hours" },
    ]);
  }
}
