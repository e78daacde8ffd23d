import type { PathMetrics } from "./path-metrics";
import { SDK_METRICS_PATH, type MetricsBatch, type MetricsEntry } from "./protocol";

// The control plane's limits for one POST: a 1 MiB body and 5,000 entries. Entry sizes are
// estimated (base64 and flag keys need no JSON escaping), so keep a margin under the byte limit.
const MAX_BATCH_BYTES = 1_000_000;
const MAX_BATCH_ENTRIES = 5_000;
const ENTRY_OVERHEAD_BYTES = 120;

export interface MetricsFlusherOptions {
  /** The control plane's base URL. */
  url: string;
  sdkKey: string;
  intervalMs: number;
  /** Undelivered batches kept; beyond that the oldest is dropped and its samples counted. */
  maxPendingBatches: number;
  /** POSTs per flush before a failing batch waits for the next interval. */
  attemptsPerFlush?: number;
  requestTimeoutMs?: number;
  onError: (error: unknown) => void;
}

type Delivery = { outcome: "delivered" } | { outcome: "rejected" | "retry"; error: Error };

/**
 * Drains `PathMetrics` every interval and POSTs each batch, oldest first. A batch that meets a
 * network error, a 5xx or a 429 is retried with the same batchId (the control plane stores a
 * batch id once), with backoff; a 4xx otherwise is final.
 */
export class MetricsFlusher {
  private readonly pending: MetricsBatch[] = [];
  private inFlight: MetricsBatch | undefined;
  private delivering: Promise<void> | undefined;
  private readonly stopping = new AbortController();
  private readonly timer: ReturnType<typeof setInterval>;
  private closing: Promise<void> | undefined;
  private batchesSent = 0;

  constructor(
    private readonly metrics: PathMetrics,
    private readonly options: MetricsFlusherOptions,
  ) {
    this.timer = setInterval(() => this.flush(), options.intervalMs);
    this.timer.unref();
  }

  status(): { batchesSent: number; pendingBatches: number } {
    return { batchesSent: this.batchesSent, pendingBatches: this.pending.length };
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
    const budget = new AbortController();
    const deadline = setTimeout(() => budget.abort(), timeoutMs);
    try {
      await this.deliver(budget.signal, 1);
    } finally {
      clearTimeout(deadline);
    }
    // Nothing will send these now: count them, so metricsStatus() tells the truth.
    for (const batch of this.pending.splice(0)) this.metrics.countUndelivered(batch);
  }

  private enqueue(): void {
    try {
      const batch = this.metrics.drain(Date.now());
      if (batch) this.pending.push(...splitBatch(batch));
    } catch (error) {
      this.options.onError(error);
    }
    while (this.pending.length > this.options.maxPendingBatches) {
      // The batch in flight may already be stored: dropping it could count its samples twice.
      const [evicted] = this.pending.splice(this.pending[0] === this.inFlight ? 1 : 0, 1);
      if (evicted) this.metrics.countUndelivered(evicted);
    }
  }

  private async deliver(signal: AbortSignal, attempts: number): Promise<void> {
    let failures = 0;
    while (!signal.aborted) {
      const batch = this.pending[0];
      if (batch === undefined) return;
      this.inFlight = batch;
      const delivery = await this.post(batch, signal).finally(() => (this.inFlight = undefined));
      if (delivery.outcome === "retry") {
        failures += 1;
        if (signal.aborted) return; // close() cut it short: not the control plane's failure
        if (failures >= attempts) return this.options.onError(delivery.error);
        await sleep(this.backoffMs(failures), signal);
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
    try {
      // Resolved here, not in the constructor: a bad url must not make createClient() throw.
      const response = await fetch(new URL(SDK_METRICS_PATH, this.options.url), {
        method: "POST",
        headers: { authorization: `Bearer ${this.options.sdkKey}`, "content-type": "application/json" },
        body: JSON.stringify(batch),
        signal: request.signal,
      });
      await response.arrayBuffer().catch(() => undefined);
      if (response.ok) return { outcome: "delivered" };
      const error = new Error(`Rampart answered ${response.status} for ${SDK_METRICS_PATH}`);
      return { outcome: response.status === 429 || response.status >= 500 ? "retry" : "rejected", error };
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
