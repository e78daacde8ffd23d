import { randomUUID } from "node:crypto";
import { decodeSketch, encodeSketch, newLatencySketch, type LatencySketch } from "./latency-sketch";
import { EVALUATION_REASONS, type EvaluationReason, type GatePath, type MetricsBatch, type MetricsEntry } from "./protocol";

/** The control plane's flag key rule: an entry with any other key would get the whole batch refused. */
const FLAG_KEY = /^[a-z0-9][a-z0-9_.-]{0,63}$/;
/** The control plane refuses a larger `dropped`, entry count or error count; the rest waits for the next batch. */
const MAX_DROPPED_PER_BATCH = 1e9;
const MAX_ENTRY_COUNT = 1e9;
/** The control plane's limit on a batch's samples in all (MAX_BATCH_SAMPLES). */
const MAX_BATCH_SAMPLES = 1e12;
/** Distinct evaluated flag keys per window: the control plane's limit for `evaluated`. */
const MAX_EVALUATED_PER_WINDOW = 5_000;
/** Longer is a caller's bug (or a unit mix-up), not a latency: dropped rather than skewing p99. */
const MAX_LATENCY_MS = 24 * 60 * 60 * 1000;

const PATHS: readonly GatePath[] = ["new", "legacy"];
const SLOTS = PATHS.length * EVALUATION_REASONS.length;

/** One flag × path × reason aggregate in the open window. */
class PathSeries {
  count = 0;
  errors = 0;
  readonly latency: LatencySketch = newLatencySketch();
}

export interface PathMetricsOptions {
  /** Identifies this process's client in every batch. */
  instanceId?: string;
  /** Distinct flag × path × reason series per window; samples for more are dropped and counted. */
  maxSeries?: number;
  /** Distinct evaluated flag keys noted per window (at most 5,000, the control plane's limit); more are not noted. */
  maxEvaluated?: number;
  /** When the first window opens (epoch ms). */
  windowStart?: number;
}

export interface PathMetricsCounts {
  /** Samples aggregated since the start. */
  recorded: number;
  /** Samples lost since the start: bad input, the series bound, batches that were never delivered. */
  dropped: number;
}

/**
 * Aggregates gated calls in memory, per window, into one count, error count and latency sketch
 * per flag × path × reason. Samples are looked up by flag and then a small slot array, so
 * recording builds no key strings, and allocates only when a new series or sketch bin appears.
 * Separately it notes which flag keys were evaluated in the window, so the control plane knows a
 * flag is still referenced in code even when no call is gated.
 */
export class PathMetrics {
  readonly instanceId: string;
  private readonly maxSeries: number;
  private window = new Map<string, (PathSeries | undefined)[]>();
  private seriesInWindow = 0;
  private readonly maxEvaluated: number;
  private evaluated = new Set<string>();
  private windowStart: number;
  /** Dropped since the last drained batch: reported in the next one. */
  private droppedUnreported = 0;
  private recordedTotal = 0;
  private droppedTotal = 0;

  constructor({ instanceId = randomUUID(), maxSeries = 2_000, maxEvaluated = MAX_EVALUATED_PER_WINDOW, windowStart = Date.now() }: PathMetricsOptions = {}) {
    this.instanceId = instanceId;
    this.maxSeries = maxSeries;
    this.maxEvaluated = Math.min(maxEvaluated, MAX_EVALUATED_PER_WINDOW);
    this.windowStart = Math.floor(windowStart);
  }

  /** Never throws: a sample it cannot take (bad input, series bound reached) is counted as dropped. */
  recordSample(flag: string, path: GatePath, reason: EvaluationReason, latencyMs: number, failed: boolean): void {
    const slot = slotOf(path, reason);
    if (slot < 0 || typeof latencyMs !== "number" || !(latencyMs >= 0 && latencyMs <= MAX_LATENCY_MS)) return this.countDropped(1);
    let slots = this.window.get(flag);
    if (slots === undefined) {
      if (typeof flag !== "string" || !FLAG_KEY.test(flag) || this.seriesInWindow >= this.maxSeries) return this.countDropped(1);
      slots = new Array<PathSeries | undefined>(SLOTS).fill(undefined);
      this.window.set(flag, slots);
    }
    let series = slots[slot];
    if (series === undefined) {
      if (this.seriesInWindow >= this.maxSeries) return this.countDropped(1);
      series = slots[slot] = new PathSeries();
      this.seriesInWindow += 1;
    }
    series.count += 1;
    if (failed === true) series.errors += 1;
    series.latency.accept(latencyMs);
    this.recordedTotal += 1;
  }

  /**
   * Notes that `flag` was evaluated in the open window. On the evaluation hot path: a key already
   * noted costs one Set lookup; a new one is checked against the control plane's key rule once.
   * Never throws; keys beyond the per-window bound, and keys the control plane would refuse, are not noted.
   */
  noteEvaluated(flag: string): void {
    const evaluated = this.evaluated;
    if (evaluated.has(flag) || evaluated.size >= this.maxEvaluated || typeof flag !== "string" || !FLAG_KEY.test(flag)) return;
    evaluated.add(flag);
  }

  /** Samples lost outside the window: reported in the next batch. */
  countDropped(samples: number): void {
    if (!(samples > 0) || !Number.isFinite(samples)) return;
    this.droppedUnreported += samples;
    this.droppedTotal += samples;
  }

  /** A drained batch that will never be delivered: its samples are lost, its own drop count still owed. */
  countUndelivered(batch: MetricsBatch): void {
    this.countDropped(samplesIn(batch));
    this.droppedUnreported += batch.dropped;
  }

  /** Closes the window at `now`; null when it holds no samples, no evaluated flags and nothing was dropped. */
  drain(now = Date.now()): MetricsBatch | null {
    const windowStart = this.windowStart;
    const windowEnd = Math.max(windowStart, Math.floor(now));
    const window = this.window;
    this.window = new Map();
    this.seriesInWindow = 0;
    const evaluated = [...this.evaluated].sort();
    this.evaluated = new Set();
    this.windowStart = windowEnd;

    const entries: MetricsEntry[] = [];
    for (const [flag, slots] of window) {
      for (let slot = 0; slot < SLOTS; slot++) {
        const series = slots[slot];
        if (series === undefined) continue;
        entries.push({
          flag,
          path: PATHS[Math.floor(slot / EVALUATION_REASONS.length)]!,
          reason: EVALUATION_REASONS[slot % EVALUATION_REASONS.length]!,
          count: series.count,
          errors: series.errors,
          sketch: Buffer.from(encodeSketch(series.latency)).toString("base64"),
        });
      }
    }
    const dropped = Math.min(this.droppedUnreported, MAX_DROPPED_PER_BATCH);
    if (entries.length === 0 && dropped === 0 && evaluated.length === 0) return null;
    this.droppedUnreported -= dropped;
    const batch: MetricsBatch = { batchId: randomUUID(), instanceId: this.instanceId, windowStart, windowEnd, entries, dropped };
    if (evaluated.length > 0) batch.evaluated = evaluated;
    return batch;
  }

  counts(): PathMetricsCounts {
    return { recorded: this.recordedTotal, dropped: this.droppedTotal };
  }
}

/** Samples a batch carries in its entries (not counting the drops it reports). */
export function samplesIn(batch: MetricsBatch): number {
  return batch.entries.reduce((sum, entry) => sum + entry.count, 0);
}

/**
 * One batch standing for two windows of one instance that were never sent: the same flag × path ×
 * reason entries add counts and errors and merge sketches, `evaluated` is the union, `dropped` adds,
 * the window spans both, and the batch id is fresh. Null when the control plane would refuse the
 * result's counts (an entry or `dropped` over 1e9, `evaluated` over 5,000); sizes are the caller's.
 */
export function mergeBatches(older: MetricsBatch, newer: MetricsBatch): MetricsBatch | null {
  if (older.instanceId !== newer.instanceId) return null;
  const dropped = older.dropped + newer.dropped;
  if (dropped > MAX_DROPPED_PER_BATCH || samplesIn(older) + samplesIn(newer) > MAX_BATCH_SAMPLES) return null;
  const evaluated = [...new Set([...(older.evaluated ?? []), ...(newer.evaluated ?? [])])].sort();
  if (evaluated.length > MAX_EVALUATED_PER_WINDOW) return null;

  const series = new Map<string, { entry: MetricsEntry; sketches: string[] }>();
  for (const entry of [...older.entries, ...newer.entries]) {
    const key = `${entry.flag} ${entry.path} ${entry.reason}`;
    const merged = series.get(key);
    if (merged === undefined) {
      series.set(key, { entry: { ...entry }, sketches: [entry.sketch] });
      continue;
    }
    merged.entry.count += entry.count;
    merged.entry.errors += entry.errors;
    if (merged.entry.count > MAX_ENTRY_COUNT) return null;
    merged.sketches.push(entry.sketch);
  }
  const entries: MetricsEntry[] = [];
  for (const { entry, sketches } of series.values()) {
    if (sketches.length > 1) {
      const latency = decodeSketch(Buffer.from(sketches[0]!, "base64"));
      for (const sketch of sketches.slice(1)) latency.merge(decodeSketch(Buffer.from(sketch, "base64")));
      entry.sketch = Buffer.from(encodeSketch(latency)).toString("base64");
    }
    entries.push(entry);
  }
  const batch: MetricsBatch = {
    batchId: randomUUID(),
    instanceId: older.instanceId,
    windowStart: Math.min(older.windowStart, newer.windowStart),
    windowEnd: Math.max(older.windowEnd, newer.windowEnd),
    entries,
    dropped,
  };
  if (evaluated.length > 0) batch.evaluated = evaluated;
  return batch;
}

/**
 * `path × reason` → 0..11, or -1 for anything else; compares interned strings, so no hashing. The
 * offsets follow EVALUATION_REASONS, which drain() reads the reason back from.
 */
function slotOf(path: GatePath, reason: EvaluationReason): number {
  let base: number;
  if (path === "new") base = 0;
  else if (path === "legacy") base = EVALUATION_REASONS.length;
  else return -1;
  switch (reason) {
    case "rollout": return base;
    case "pinned": return base + 1;
    case "targeted": return base + 2;
    case "unkeyed": return base + 3;
    case "killed": return base + 4;
    case "fallback": return base + 5;
    default: return -1;
  }
}
