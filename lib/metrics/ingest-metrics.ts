import { newLatencySketch, type LatencySketch } from "@rampart/sdk";
import type { Environment } from "@/lib/environments/environment-store";
import { ValidationError } from "@/lib/errors";
import { getIngestQueue, type IngestResult } from "./ingest-queue";
import { decodeSketch } from "./latency-sketch";
import { MAX_WINDOW_AGE_MS, type MetricsBatchInput } from "./schemas";

export type { IngestResult };

/**
 * Stores one SDK batch: its aggregates merged into the minute and hour rows of each flag × path,
 * and the last-evaluated time of each flag it has entries for or lists in `evaluated` (an SDK
 * that only calls `evaluate()` sends no entries). Resolves once the batch is durable, written
 * together with the batches that arrived meanwhile. Telemetry, not a change of state: no audit event.
 */
export async function ingestMetrics(environment: Environment, batch: MetricsBatchInput, now = new Date()): Promise<IngestResult> {
  assertPlausibleWindow(batch, now);
  const sketches = batch.entries.map((entry, index) => mergeableSketch(entry.sketch, index));
  return (await getIngestQueue()).submit(environment, { batch, sketches });
}

/** Refuses a batch at once when ingest is behind (429 with Retry-After), before its body is read. */
export async function admitMetricsBatch(): Promise<void> {
  (await getIngestQueue()).admit();
}

const MERGEABLE = newLatencySketch();

/** Decoded, and checked to merge with ours (same index mapping), so a write never fails on it. */
function mergeableSketch(base64: string, index: number): LatencySketch {
  try {
    const sketch = decodeSketch(base64);
    if (!MERGEABLE.mergeable(sketch)) throw new Error("another index mapping");
    return sketch;
  } catch {
    throw new ValidationError("invalid_sketch", "An entry's sketch is not a DDSketch Rampart can merge.", [
      { path: `entries.${index}.sketch`, message: "must be a base64 DDSketch protobuf with a 1% relative-accuracy log mapping" },
    ]);
  }
}

function assertPlausibleWindow(batch: MetricsBatchInput, now: Date): void {
  const skew = 5 * 60_000;
  if (batch.windowStart < now.getTime() - MAX_WINDOW_AGE_MS || batch.windowEnd > now.getTime() + skew) {
    throw new ValidationError("invalid_window", "The batch window is more than a day old or in the future.", [
      { path: "windowStart", message: "must be within the last 24 hours" },
    ]);
  }
}
