import { promisify } from "node:util";
import { gzip } from "node:zlib";
import { mergeBatches, samplesIn, type PathMetrics } from "./path-metrics";
import { SDK_METRICS_PATH, type MetricsBatch, type MetricsEntry } from "./protocol";

const gzipAsync = promisify(gzip);

// The control plane's limits for one POST: a 1 MiB body and 5,000 entries. Entry sizes are
// estimated (base64 and flag keys need no JSON escaping), so keep a margin under the byte limit.
const MAX_BATCH_BYTES = 1_000_000;
const MAX_BATCH_ENTRIES = 5_000;
const ENTRY_OVERHEAD_BYTES = 120;
/** The control plane refuses a window older than a day; ten minutes less allows for skewed clocks. */
const MAX_BATCH_AGE_MS = 24 * 60 * 60 * 1000 - 10 * 60 * 1000;
/** The control plane files a batch under its windowStart's minute: a merge spans at most this. */
const MAX_MERGED_SPAN_MS = 15 * 60 * 1000;
/** A longer Retry-After is taken as this: a control plane's mistake must not silence metrics for hours. */
const MAX_RETRY_AFTER_MS = 5 * 60 * 1000;
/** Level 1 keeps most of level 6's saving for a fifth of the CPU (`npm run bench:gzip`). */
const GZIP_LEVEL = 1;
/** Added to a Retry-After, at most: instances told the same time must not all come back at once. */
const RETRY_AFTER_JITTER = 0.2;

export interface MetricsFlusherOptions {
  /** The control plane's base URL. */
  url: string;
  sdkKey: string;
  intervalMs: number;
  /**
   * Undelivered batches kept. Beyond that, batches never sent are merged; only when no merge fits
   * is the oldest never-sent batch dropped and its samples counted.
   */
  maxPendingBatches: number;
  /** POSTs per flush before a failing batch waits for the next interval. */
  attemptsPerFlush?: number;
  requestTimeoutMs?: number;
  /** gzip each POST body (`Content-Encoding: gzip`); falls back to plain JSON if the control plane refuses it. */
  compress?: boolean;
  /** The control plane's limits for one batch (tests make them small). */
  limits?: { maxBatchBytes?: number; maxBatchEntries?: number };
  onError: (error: unknown) => void;
}

export interface MetricsFlusherStatus {
  batchesSent: number;
  pendingBatches: number;
  /** Samples in the batches waiting to be sent. */
  pendingSamples: number;
  /** Times two waiting batches became one (instead of one being dropped). */
  merged: number;
  /** The control plane's last answer was 429 or 503: it is shedding load. */
  overloaded: boolean;
  /** The last Retry-After it sent, in ms (capped at 5 minutes); null if none yet. */
  lastRetryAfterMs: number | null;
  /** Whether POST bodies are gzipped now. */
  compressing: boolean;
}

type Delivery =
  | { outcome: "delivered" }
  | { outcome: "rejected"; error: Error }
  | { outcome: "retry"; error: Error; retryAfterMs?: number }
  | { outcome: "uncompressed" };

/**
 * Drains `PathMetrics` every interval and POSTs each batch, oldest first. A batch that meets a
 * network error, a 5xx or a 429 is retried with the same batchId (the control plane stores a
 * batch id once): after the Retry-After of a 429 or 503, else with backoff; a 4xx otherwise is
 * final. A batch once POSTed may be stored, so it is never merged, split again or evicted.
 */
export class MetricsFlusher {
  private readonly pending: MetricsBatch[] = [];
  /** Batches POSTed at least once: each may already be stored under its id. */
  private readonly attempted = new WeakSet<MetricsBatch>();
  private inFlight: MetricsBatch | undefined;
  private delivering: Promise<void> | undefined;
  private readonly stopping = new AbortController();
  private readonly timer: ReturnType<typeof setInterval>;
  private closing: Promise<void> | undefined;
  private batchesSent = 0;
  private merged = 0;
  private overloaded = false;
  private lastRetryAfterMs: number | null = null;
  /** No POST before this (epoch ms): the control plane's Retry-After, jittered. */
  private notBefore = 0;
  private compress: boolean;
  private readonly maxBatchBytes: number;
  private readonly maxBatchEntries: number;

  constructor(
    private readonly metrics: PathMetrics,
    private readonly options: MetricsFlusherOptions,
  ) {
    this.compress = options.compress === true;
    this.maxBatchBytes = options.limits?.maxBatchBytes ?? MAX_BATCH_BYTES;
    this.maxBatchEntries = options.limits?.maxBatchEntries ?? MAX_BATCH_ENTRIES;
    this.timer = setInterval(() => this.flush(), options.intervalMs);
    this.timer.unref();
  }

  status(): MetricsFlusherStatus {
    return {
      batchesSent: this.batchesSent,
      pendingBatches: this.pending.length,
      pendingSamples: this.pending.reduce((sum, batch) => sum + samplesIn(batch), 0),
      merged: this.merged,
      overloaded: this.overloaded,
      lastRetryAfterMs: this.lastRetryAfterMs,
      compressing: this.compress,
    };
  }

  /** Flushes the open window once, within `timeoutMs` even if the control plane hangs, then stops. */
  close(timeoutMs = 2_000): Promise<void> {
    this.closing ??= this.closeOnce(timeoutMs);
    return this.closing;
  }

  private flush(): void {
    this.enqueue();
    this.delivering ??= this.deliver(this.stopping.signal, this.options.attemptsPerFlush ?? 3)
      .catch((error: unknown) => this.options.onError(error))
      .finally(() => (this.delivering = undefined));
  }

  private async closeOnce(timeoutMs: number): Promise<void> {
    clearInterval(this.timer);
    this.stopping.abort();
    await this.delivering;
    this.enqueue();
    // Told to come back after the deadline: sending anyway is what load shedding asks us not to do.
    if (this.notBefore <= Date.now() + timeoutMs) {
      const budget = new AbortController();
      const deadline = setTimeout(() => budget.abort(), timeoutMs);
      try {
        await this.deliver(budget.signal, 1);
      } finally {
        clearTimeout(deadline);
      }
    }
    // Nothing will send these now: count them, so metricsStatus() tells the truth.
    for (const batch of this.pending.splice(0)) this.metrics.countUndelivered(batch);
  }

  private enqueue(): void {
    try {
      const batch = this.metrics.drain(Date.now());
      if (batch) this.pending.push(...splitBatch(batch, this.maxBatchBytes, this.maxBatchEntries));
    } catch (error) {
      this.options.onError(error);
    }
    this.dropStale();
    try {
      while (this.pending.length > this.options.maxPendingBatches && this.mergeOldestPair());
    } catch (error) {
      this.options.onError(error);
    }
    while (this.pending.length > this.options.maxPendingBatches) {
      // Never a batch already POSTed: it may be stored, and counting it lost could count it twice.
      const index = this.pending.findIndex((batch) => !this.attempted.has(batch));
      if (index < 0) return;
      this.metrics.countUndelivered(this.pending.splice(index, 1)[0]!);
    }
  }

  /** Merges the oldest two adjacent never-sent batches whose merge the control plane takes; false if none. */
  private mergeOldestPair(): boolean {
    for (let index = 0; index + 1 < this.pending.length; index++) {
      const older = this.pending[index]!;
      const newer = this.pending[index + 1]!;
      if (this.attempted.has(older) || this.attempted.has(newer)) continue;
      const span = Math.max(older.windowEnd, newer.windowEnd) - Math.min(older.windowStart, newer.windowStart);
      if (span > MAX_MERGED_SPAN_MS) continue;
      const merged = mergeBatches(older, newer);
      if (merged === null || splitBatch(merged, this.maxBatchBytes, this.maxBatchEntries).length > 1) continue;
      this.pending.splice(index, 2, merged);
      this.merged += 1;
      return true;
    }
    return false;
  }

  /** The control plane would refuse these (window over a day old): counted as dropped instead. */
  private dropStale(): void {
    const oldest = Date.now() - MAX_BATCH_AGE_MS;
    for (let index = this.pending.length - 1; index >= 0; index--) {
      const batch = this.pending[index]!;
      if (batch === this.inFlight || batch.windowStart >= oldest) continue;
      this.pending.splice(index, 1);
      this.metrics.countUndelivered(batch);
    }
  }

  private async deliver(signal: AbortSignal, attempts: number): Promise<void> {
    let failures = 0;
    while (!signal.aborted) {
      this.dropStale();
      const batch = this.pending[0];
      if (batch === undefined) return;
      const wait = this.notBefore - Date.now();
      if (wait > 0) {
        await sleep(wait, signal);
        continue;
      }
      this.inFlight = batch;
      this.attempted.add(batch);
      const delivery = await this.post(batch, signal).finally(() => (this.inFlight = undefined));
      if (delivery.outcome === "uncompressed") continue; // the same batch again, as plain JSON
      if (delivery.outcome === "retry") {
        failures += 1;
        if (signal.aborted) return; // close() cut it short: not the control plane's failure
        if (delivery.retryAfterMs !== undefined) {
          // Every later POST waits, this flush's and the next ones': the budget cannot outrun it.
          const waitMs = Math.max(delivery.retryAfterMs * (1 + Math.random() * RETRY_AFTER_JITTER), this.backoffMs(failures));
          this.notBefore = Date.now() + waitMs;
        }
        if (failures >= attempts) return this.options.onError(delivery.error);
        if (delivery.retryAfterMs === undefined) await sleep(this.backoffMs(failures), signal);
        continue;
      }
      failures = 0;
      const index = this.pending.indexOf(batch);
      if (index >= 0) this.pending.splice(index, 1);
      if (delivery.outcome === "delivered") this.batchesSent += 1;
      else {
        this.metrics.countUndelivered(batch);
        this.options.onError(delivery.error);
      }
    }
  }

  private async post(batch: MetricsBatch, stop: AbortSignal): Promise<Delivery> {
    const request = new AbortController();
    const onStop = () => request.abort();
    stop.addEventListener("abort", onStop, { once: true });
    const timeout = setTimeout(onStop, this.options.requestTimeoutMs ?? 5_000);
    const compressed = this.compress;
    try {
      const json = JSON.stringify(batch);
      const headers: Record<string, string> = { authorization: `Bearer ${this.options.sdkKey}`, "content-type": "application/json" };
      if (compressed) headers["content-encoding"] = "gzip";
      // Resolved here, not in the constructor: a bad url must not make createClient() throw.
      const response = await fetch(new URL(SDK_METRICS_PATH, this.options.url), {
        method: "POST",
        headers,
        body: compressed ? await gzipAsync(json, { level: GZIP_LEVEL }) : json,
        signal: request.signal,
      });
      const answer = await response.text().catch(() => "");
      this.overloaded = response.status === 429 || response.status === 503;
      if (response.ok) return { outcome: "delivered" };
      if (compressed && refusesGzip(response.status, answer)) {
        // A control plane that predates gzip: it stored nothing, so the same batch goes again, plain.
        this.compress = false;
        return { outcome: "uncompressed" };
      }
      const retryAfterMs = this.overloaded ? parseRetryAfter(response.headers.get("retry-after")) : undefined;
      if (retryAfterMs !== undefined) this.lastRetryAfterMs = retryAfterMs;
      const error = new Error(
        `Rampart answered ${response.status} for ${SDK_METRICS_PATH}` + (retryAfterMs === undefined ? "" : ` (retry after ${retryAfterMs} ms)`),
      );
      if (response.status === 429 || response.status >= 500) return { outcome: "retry", error, retryAfterMs };
      return { outcome: "rejected", error };
    } catch (error) {
      return { outcome: "retry", error: error instanceof Error ? error : new Error(String(error)) };
    } finally {
      clearTimeout(timeout);
      stop.removeEventListener("abort", onStop);
    }
  }

  /** Exponential from a tenth of the interval (at most 1 s), half jittered, within half an interval. */
  private backoffMs(failures: number): number {
    const { intervalMs } = this.options;
    const base = Math.min(1_000, intervalMs / 10) * 2 ** (failures - 1);
    return Math.min(intervalMs / 2, base) * (0.5 + Math.random() / 2);
  }
}

/** 415, or the 400 `invalid_json` of a control plane that reads a gzip body as (invalid) UTF-8. */
function refusesGzip(status: number, answer: string): boolean {
  if (status === 415) return true;
  if (status !== 400) return false;
  try {
    return (JSON.parse(answer) as { error?: { code?: unknown } }).error?.code === "invalid_json";
  } catch {
    return false;
  }
}

/** `Retry-After` in seconds or as an HTTP date → ms from `now`, within 0..5 minutes; undefined if absent or unreadable. */
export function parseRetryAfter(header: string | null, now = Date.now()): number | undefined {
  if (header === null) return undefined;
  const value = header.trim();
  let ms: number;
  if (/^\d+$/.test(value)) ms = Number(value) * 1_000;
  else if (/[a-z]/i.test(value) && !Number.isNaN(Date.parse(value))) ms = Date.parse(value) - now;
  else return undefined;
  return Math.min(MAX_RETRY_AFTER_MS, Math.max(0, ms));
}

/**
 * Parts the control plane accepts; the first keeps the batch id, `dropped` and `evaluated`, the rest
 * get `id.N`. Every part's size is reckoned with `evaluated` in (a margin for the ones without).
 */
export function splitBatch(batch: MetricsBatch, maxBytes = MAX_BATCH_BYTES, maxEntries = MAX_BATCH_ENTRIES): MetricsBatch[] {
  const envelopeBytes = JSON.stringify({ ...batch, batchId: `${batch.batchId}.0000`, entries: [] }).length;
  const groups: MetricsEntry[][] = [[]];
  let bytes = envelopeBytes;
  for (const entry of batch.entries) {
    const entryBytes = entry.flag.length + entry.sketch.length + ENTRY_OVERHEAD_BYTES;
    const group = groups[groups.length - 1]!;
    if (group.length > 0 && (group.length >= maxEntries || bytes + entryBytes > maxBytes)) {
      groups.push([entry]);
      bytes = envelopeBytes + entryBytes;
    } else {
      group.push(entry);
      bytes += entryBytes;
    }
  }
  if (groups.length === 1) return [batch];
  return groups.map((entries, index) => {
    if (index === 0) return { ...batch, entries };
    const { evaluated: _sentInFirstPart, ...rest } = batch;
    return { ...rest, batchId: `${batch.batchId}.${index}`, entries, dropped: 0 };
  });
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}
