import { evaluate, type Evaluation, type EvaluationReason } from "./evaluator";
import type { FlagState } from "./flag-state";
import { FlagStore } from "./flag-store";
import { FlagSync } from "./flag-sync";
import { LocalCache } from "./local-cache";
import { MetricsFlusher } from "./metrics-flusher";
import { PathMetrics } from "./path-metrics";
import type { FlagSnapshot, GatePath } from "./protocol";

export interface ClientOptions {
  /** The control plane, e.g. `https://rampart.internal`. */
  url: string;
  /** An SDK key: it decides the environment. */
  sdkKey: string;
  /** State to serve before the control plane answers: a snapshot, a list of flags, or a JSON file of either. */
  bootstrap?: FlagSnapshot | FlagState[] | string;
  /** Keeps a copy of the last state here and serves it at start-up, so a restart during an outage keeps working. */
  cacheFile?: string;
  /** Reconnect delays: exponential from `minMs` to `maxMs`, with full jitter. */
  backoff?: { minMs?: number; maxMs?: number };
  /** A stream silent (no event, no heartbeat) this long is treated as dead and reopened. */
  staleAfterMs?: number;
  /** Where the client reports connection trouble; it never throws into the caller. */
  onError?: (error: Error) => void;
  /**
   * Record `gate()` / `record()` samples, and which flags were evaluated at all, and send them to
   * the control plane (default true). Rampart reads "evaluated lately" as "still in code".
   */
  metrics?: boolean;
  /** How often recorded samples are sent, in ms (default 10,000). */
  flushIntervalMs?: number;
  /**
   * Undelivered batches kept while the control plane is unreachable or shedding load (default 6).
   * Beyond that, batches never sent are merged; only what no merge can hold is dropped (and counted).
   */
  maxPendingBatches?: number;
  /** gzip metrics batches (`Content-Encoding: gzip`; default true). A control plane that refuses it gets plain JSON. */
  compressMetrics?: boolean;
}

/** The two branches of a gated call: `newPath` when the flag is on, else `legacyPath`. */
export interface GatePaths<T> {
  newPath: () => T;
  legacyPath: () => T;
}

export interface MetricsStatus {
  enabled: boolean;
  /** Samples aggregated since the client started. */
  recorded: number;
  /** Samples lost since the client started: bad input, the series bound, undeliverable batches. */
  dropped: number;
  batchesSent: number;
  pendingBatches: number;
  /** Samples in the batches waiting to be sent. */
  pendingSamples: number;
  /** Times two waiting batches were merged into one rather than one being dropped. */
  merged: number;
  /** The control plane's last answer to a batch was 429 or 503 (it is shedding load). */
  overloaded: boolean;
  /** The last Retry-After it sent, in ms (at most 5 minutes); null if it never sent one. */
  lastRetryAfterMs: number | null;
}

export interface ClientStatus {
  connected: boolean;
  source: FlagStore["source"];
  cursor: number;
  flags: number;
}

/**
 * Holds flag state in memory, fed by a snapshot and then a server-sent-event stream, and
 * evaluates locally: `enabled()` does no I/O and never throws. While the control plane is
 * unreachable it keeps serving the last state it had.
 */
export class RampartClient {
  private readonly store = new FlagStore();
  private readonly changeListeners = new Set<(flag: string) => void>();
  private readonly cache: LocalCache;
  private readonly sync: FlagSync;
  private readonly metrics: PathMetrics | undefined;
  private readonly flusher: MetricsFlusher | undefined;

  constructor(private readonly options: ClientOptions) {
    if (options.metrics !== false) {
      this.metrics = new PathMetrics();
      this.flusher = new MetricsFlusher(this.metrics, {
        url: options.url,
        sdkKey: options.sdkKey,
        intervalMs: Math.max(10, finiteOr(options.flushIntervalMs, 10_000)),
        maxPendingBatches: Math.max(1, Math.floor(finiteOr(options.maxPendingBatches, 6))),
        compress: options.compressMetrics !== false,
        onError: (error) => this.report(error),
      });
    }
    this.cache = new LocalCache(this.store, options.cacheFile, (error) => this.report(error));
    this.cache.load(options.bootstrap);
    this.sync = new FlagSync(this.store, {
      url: options.url,
      sdkKey: options.sdkKey,
      backoff: options.backoff,
      staleAfterMs: options.staleAfterMs,
      onChange: (flag) => this.emitChange(flag),
      onApplied: (environment) => this.cache.save(environment),
      onError: (error) => this.report(error),
    });
  }

  /**
   * Resolves true once state from the control plane is loaded, or false when `timeoutMs`
   * passes first (the client then serves bootstrap or fallbacks and keeps trying). Never rejects.
   */
  async ready({ timeoutMs = 5_000 }: { timeoutMs?: number } = {}): Promise<boolean> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
    const loaded = this.sync.loaded.then(() => true as const);
    try {
      return await Promise.race([loaded, timedOut]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Whether the new path is on for this context; `fallback` when the flag is unknown or anything fails. */
  enabled(flagKey: string, context?: unknown, fallback = false): boolean {
    return this.evaluate(flagKey, context, fallback).value;
  }

  /** The value and why: rollout, pinned, targeted, unkeyed, killed or fallback. Notes the flag as evaluated in this metrics window. */
  evaluate(flagKey: string, context?: unknown, fallback = false): Evaluation {
    this.metrics?.noteEvaluated(flagKey);
    try {
      return evaluate(typeof flagKey === "string" ? this.store.flags.get(flagKey) : undefined, context, fallback);
    } catch {
      return { value: fallback === true, reason: "fallback" };
    }
  }

  /**
   * Runs `newPath` when the flag is on for this context, else `legacyPath`, and records the call:
   * path, reason, latency and whether it threw or its promise rejected. Returns what the path
   * returns (a promise settles as the path's does); the path's own error reaches you unchanged.
   */
  gate<T>(flagKey: string, context: unknown, paths: GatePaths<T>, fallback = false): T {
    const { value, reason } = this.evaluate(flagKey, context, fallback);
    const metrics = this.metrics;
    if (metrics === undefined) return value ? paths.newPath() : paths.legacyPath();
    const started = performance.now();
    let result: T;
    try {
      result = value ? paths.newPath() : paths.legacyPath();
    } catch (error) {
      recordGated(metrics, flagKey, value, reason, started, true);
      throw error;
    }
    if (!isThenable(result)) {
      recordGated(metrics, flagKey, value, reason, started, false);
      return result;
    }
    return Promise.resolve(result).then(
      (settled) => {
        recordGated(metrics, flagKey, value, reason, started, false);
        return settled;
      },
      (error: unknown) => {
        recordGated(metrics, flagKey, value, reason, started, true);
        throw error;
      },
    ) as unknown as T;
  }

  /**
   * One sample, for callers that branch themselves (`evaluate()`, then time their own code).
   * Input it cannot take is dropped and counted in `metricsStatus()`, never thrown.
   */
  record(flagKey: string, path: GatePath, reason: EvaluationReason, latencyMs: number, failed = false): void {
    const metrics = this.metrics;
    if (metrics === undefined) return;
    try {
      metrics.recordSample(flagKey, path, reason, latencyMs, failed === true);
    } catch {
      metrics.countDropped(1);
    }
  }

  metricsStatus(): MetricsStatus {
    const { recorded, dropped } = this.metrics?.counts() ?? { recorded: 0, dropped: 0 };
    const { batchesSent = 0, pendingBatches = 0, pendingSamples = 0, merged = 0, overloaded = false, lastRetryAfterMs = null } = this.flusher?.status() ?? {};
    return { enabled: this.metrics !== undefined, recorded, dropped, batchesSent, pendingBatches, pendingSamples, merged, overloaded, lastRetryAfterMs };
  }

  /** The state a flag is served from, if known. */
  flag(flagKey: string): FlagState | undefined {
    return this.store.flags.get(flagKey);
  }

  /** Called with a flag's key whenever its state changes; returns the unsubscribe function. */
  onChange(listener: (flag: string) => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  status(): ClientStatus {
    return { connected: this.sync.connected, source: this.store.source, cursor: this.store.cursor, flags: this.store.flags.size };
  }

  /**
   * Stops streaming, sends the last metrics window (giving up after 2 s) and waits for the last
   * cache write; leaves no timers or sockets open.
   */
  async close(): Promise<void> {
    await Promise.all([this.sync.stop(), this.flusher?.close().catch((error: unknown) => this.report(error))]);
    await this.cache.written();
  }

  private emitChange(key: string): void {
    for (const listener of this.changeListeners) {
      try {
        listener(key);
      } catch (error) {
        this.report(error);
      }
    }
  }

  private report(error: unknown): void {
    try {
      this.options.onError?.(error instanceof Error ? error : new Error(String(error)));
    } catch {
      // A failing error handler must not break the client either.
    }
  }
}

export function createClient(options: ClientOptions): RampartClient {
  return new RampartClient(options);
}

/** Recording must never reach the caller: a sample that fails is only counted as dropped. */
function recordGated(metrics: PathMetrics, flagKey: string, on: boolean, reason: EvaluationReason, started: number, failed: boolean): void {
  try {
    metrics.recordSample(flagKey, on ? "new" : "legacy", reason, performance.now() - started, failed);
  } catch {
    metrics.countDropped(1);
  }
}

/** A getter that throws on `then` makes the result a plain value, not the caller's problem. */
function isThenable(value: unknown): value is PromiseLike<unknown> {
  try {
    return ((typeof value === "object" && value !== null) || typeof value === "function") && typeof (value as { then?: unknown }).then === "function";
  } catch {
    return false;
  }
}

function finiteOr(value: number | undefined, otherwise: number): number {
  return typeof value === "number" && Number.isFinite(value) ? value : otherwise;
}
