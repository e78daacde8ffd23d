import { sql } from "drizzle-orm";
import { getConnection, type Db } from "@/lib/db/client";
import type { Environment } from "@/lib/environments/environment-store";
import { TooManyRequestsError } from "@/lib/errors";
import { EventLoopLag } from "./event-loop-lag";
import { bucketDeltas, foldIntoRows, type DecodedBatch } from "./bucket-fold";
import { recordGuardWindows } from "./guard-window-store";
import { findBucketRows, findFlagIds, insertNewBatchIds, markEvaluated, upsertBucketRows } from "./path-metrics-store";

// Group commit (docs/decisions/0006-metrics-ingest.md): batches that arrive while a write is in
// progress wait for the next one, which stores them all in one transaction with each bucket row
// read and written once. Nobody is acknowledged before that transaction has committed.

export interface IngestResult {
  batchId: string;
  /** False when this batch id was stored before: a retry, acknowledged and not counted again. */
  stored: boolean;
  samples: number;
  /** Entries for flags that do not exist here (or are archived): acknowledged, not stored. */
  ignoredEntries: number;
}

interface Pending extends DecodedBatch {
  environment: Environment;
  samples: number;
  queuedAt: number;
  resolve(result: IngestResult): void;
  reject(error: unknown): void;
}

export interface IngestLimits {
  /** Batches one transaction stores at most. */
  maxBatchesPerWrite: number;
  /** Past this many waiting batches, new ones are refused with 429. */
  maxQueued: number;
  /** Refuse a new batch when, at the fitted write cost, it would wait longer than this. */
  targetWaitMs: number;
  /** And whatever the estimate says, while the oldest waiting batch has waited longer than this. */
  maxWaitMs: number;
  /** And while the process's timers run this late on average (ms): the CPU, not the database, is behind. */
  maxLoopLagMs?: number;
  /**
   * How long a write waits for company before it starts. PGlite runs in this thread: while it
   * writes, no request is read, so without a pause every write would carry a single batch.
   */
  lingerMs: number;
}

export interface IngestStatus {
  queued: number;
  writing: number;
  accepted: number;
  shed: number;
  writes: number;
  lastWriteMs: number | null;
  /** Batches a second that full writes would store, from the fitted write cost; null before any write. */
  batchesPerSecond: number | null;
}

const INGEST_LOCK_SPACE = 72_044;

/**
 * How long a write of n batches takes: a fixed cost plus a cost per batch, fitted by least
 * squares over the last writes. A rate (n ÷ time) would read small writes as a slow database.
 */
export class WriteCost {
  private readonly samples: { n: number; ms: number }[] = [];

  add(n: number, ms: number): void {
    this.samples.push({ n, ms });
    if (this.samples.length > 32) this.samples.shift();
  }

  estimate(n: number): number {
    if (n === 0 || this.samples.length === 0) return 0;
    const { fixedMs, perBatchMs } = this.fit();
    return fixedMs + perBatchMs * n;
  }

  batchesPerSecond(n: number): number | null {
    return this.samples.length === 0 ? null : Math.round((n * 1000) / Math.max(this.estimate(n), 1));
  }

  private fit(): { fixedMs: number; perBatchMs: number } {
    const count = this.samples.length;
    const meanN = this.samples.reduce((sum, s) => sum + s.n, 0) / count;
    const meanMs = this.samples.reduce((sum, s) => sum + s.ms, 0) / count;
    const covariance = this.samples.reduce((sum, s) => sum + (s.n - meanN) * (s.ms - meanMs), 0);
    const variance = this.samples.reduce((sum, s) => sum + (s.n - meanN) ** 2, 0);
    // Writes all of one size say nothing about the slope: charge their time per batch.
    const perBatchMs = variance > 0 ? Math.max(0, covariance / variance) : meanMs / Math.max(meanN, 1);
    return { fixedMs: Math.max(0, meanMs - perBatchMs * meanN), perBatchMs };
  }
}

function limitFromEnv(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

export const DEFAULT_INGEST_LIMITS: IngestLimits = {
  maxBatchesPerWrite: limitFromEnv("RAMPART_INGEST_MAX_BATCHES_PER_WRITE", 250),
  maxQueued: limitFromEnv("RAMPART_INGEST_MAX_QUEUED", 1_000),
  targetWaitMs: limitFromEnv("RAMPART_INGEST_TARGET_WAIT_MS", 400),
  maxWaitMs: limitFromEnv("RAMPART_INGEST_MAX_WAIT_MS", 1_000),
  maxLoopLagMs: limitFromEnv("RAMPART_INGEST_MAX_LOOP_LAG_MS", 75),
  lingerMs: 0,
};

/** The embedded database shares this thread with the requests it stores; see `lingerMs`. */
const LINGER_MS = { pglite: limitFromEnv("RAMPART_INGEST_PGLITE_LINGER_MS", 100), postgres: limitFromEnv("RAMPART_INGEST_LINGER_MS", 0) };

export class MetricsIngestQueue {
  private queue: Pending[] = [];
  private writing: Pending[] = [];
  private running: Promise<void> | null = null;
  private counts = { accepted: 0, shed: 0, writes: 0 };
  private lastWriteMs: number | null = null;
  private readonly writeCost = new WriteCost();

  constructor(
    private readonly db: Db,
    private readonly limits: IngestLimits = DEFAULT_INGEST_LIMITS,
    private readonly loopLagMs: () => number = () => 0,
  ) {}

  /**
   * Refuses a batch before its body is read when the queue is behind, so an overloaded control
   * plane answers 429 at once instead of timing out, and says when to come back.
   */
  admit(now = Date.now()): void {
    // Idle, a batch waits for nobody: refusing it would only stop the writes that refit the cost
    // after a slow spell, and the queue would shed every batch from then on.
    if (this.queue.length === 0 && this.writing.length === 0) return;
    const oldest = this.queue[0];
    // A newcomer is written after the write in progress, with everyone already waiting: its wait
    // is those two writes, each a fixed cost plus a cost per batch (fitted on recent writes).
    const expectedWaitMs = this.writeCost.estimate(this.writing.length) + this.writeCost.estimate(this.queue.length + 1);
    const behind =
      this.queue.length >= this.limits.maxQueued ||
      expectedWaitMs > this.limits.targetWaitMs ||
      (this.limits.maxLoopLagMs !== undefined && this.loopLagMs() > this.limits.maxLoopLagMs) ||
      (oldest !== undefined && now - oldest.queuedAt > this.limits.maxWaitMs);
    if (!behind) return;
    this.counts.shed += 1;
    throw new TooManyRequestsError("Rampart is behind on metrics; send this batch again later.", this.retryAfterSeconds(expectedWaitMs));
  }

  /** Stores the batch with the others waiting; resolves once it has committed. */
  submit(environment: Environment, decoded: DecodedBatch): Promise<IngestResult> {
    const samples = decoded.batch.entries.reduce((sum, entry) => sum + entry.count, 0);
    return new Promise((resolve, reject) => {
      this.queue.push({ ...decoded, environment, samples, queuedAt: Date.now(), resolve, reject });
      this.counts.accepted += 1;
      // At least a microtask later, so batches arriving in the same tick share the first write too.
      this.running ??= pause(this.limits.lingerMs).then(() => this.drain());
    });
  }

  status(): IngestStatus {
    return {
      queued: this.queue.length,
      writing: this.writing.length,
      ...this.counts,
      lastWriteMs: this.lastWriteMs,
      batchesPerSecond: this.writeCost.batchesPerSecond(this.limits.maxBatchesPerWrite),
    };
  }

  private async drain(): Promise<void> {
    try {
      for (let first = true; this.queue.length > 0; first = false) {
        if (!first && this.queue.length < this.limits.maxBatchesPerWrite) await pause(this.limits.lingerMs);
        this.writing = this.queue.splice(0, this.limits.maxBatchesPerWrite);
        const started = performance.now();
        await this.writeAll(this.writing);
        this.noteWrite(this.writing.length, performance.now() - started);
        this.writing = [];
      }
    } finally {
      this.writing = [];
      this.running = null;
    }
  }

  /** One transaction for all; if it fails, each batch alone, so one bad batch fails only itself. */
  private async writeAll(batches: Pending[]): Promise<void> {
    try {
      const results = await this.write(batches);
      batches.forEach((pending, index) => pending.resolve(results[index]));
    } catch (error) {
      if (batches.length === 1) return batches[0].reject(error);
      for (const pending of batches) {
        await this.write([pending]).then(([result]) => pending.resolve(result), pending.reject);
      }
    }
  }

  private async write(batches: Pending[]): Promise<IngestResult[]> {
    const byEnvironment = new Map<number, Pending[]>();
    for (const pending of batches) {
      const list = byEnvironment.get(pending.environment.id);
      if (list) list.push(pending);
      else byEnvironment.set(pending.environment.id, [pending]);
    }
    const environmentIds = [...byEnvironment.keys()].sort((a, b) => a - b);
    const flagIds = await findFlagIds(this.db, [...new Set(batches.flatMap(({ batch }) => [...batch.entries.map((e) => e.flag), ...(batch.evaluated ?? [])]))]);
    const live = new Map([...flagIds].filter(([, flag]) => !flag.archived).map(([key, flag]) => [key, flag.id]));

    const results = new Map<Pending, IngestResult>();
    const freshByEnvironment = new Map<number, Pending[]>();
    await this.db.transaction(async (tx) => {
      for (const environmentId of environmentIds) {
        // Writers of one environment's buckets take turns across instances: each row is read and
        // written by one transaction at a time, in one statement each, never row by row.
        await tx.execute(sql`select pg_advisory_xact_lock(${INGEST_LOCK_SPACE}, ${environmentId})`);
        const pending = byEnvironment.get(environmentId)!;
        const fresh = await this.claimBatchIds(tx, environmentId, pending);
        const freshPending = pending.filter((p) => fresh.has(p));
        const deltas = bucketDeltas(environmentId, freshPending, live);
        const stored = await findBucketRows(tx, environmentId, deltas.map((delta) => delta.key));
        await upsertBucketRows(tx, foldIntoRows(deltas, stored));
        await recordGuardWindows(tx, environmentId, freshPending, live);
        for (const p of pending) {
          const ignoredEntries = fresh.has(p) ? p.batch.entries.filter((entry) => !live.has(entry.flag)).length : 0;
          results.set(p, { batchId: p.batch.batchId, stored: fresh.has(p), samples: p.samples, ignoredEntries });
        }
        freshByEnvironment.set(environmentId, freshPending);
      }
      // Last, so the flag_states rows a kill may need are held only until the commit just after.
      for (const [environmentId, fresh] of freshByEnvironment) await markEvaluatedFlags(tx, environmentId, fresh, flagIds);
    });
    return batches.map((pending) => results.get(pending)!);
  }

  /** Records each batch id once; answers the batches whose samples are new. */
  private async claimBatchIds(tx: Db, environmentId: number, pending: Pending[]): Promise<Set<Pending>> {
    const first = new Map<string, Pending>();
    for (const p of pending) if (!first.has(p.batch.batchId)) first.set(p.batch.batchId, p);
    const inserted = await insertNewBatchIds(
      tx,
      [...first.values()].map((p) => ({
        batchId: p.batch.batchId,
        environmentId,
        instanceId: p.batch.instanceId,
        samples: p.samples,
        dropped: p.batch.dropped,
      })),
    );
    return new Set([...first.values()].filter((p) => inserted.has(p.batch.batchId)));
  }

  private noteWrite(batches: number, ms: number): void {
    this.counts.writes += 1;
    this.lastWriteMs = Math.round(ms);
    this.writeCost.add(batches, ms);
  }

  private retryAfterSeconds(expectedWaitMs: number): number {
    return Math.min(30, Math.max(1, Math.ceil(expectedWaitMs / 1000)));
  }
}

/**
 * Each flag a batch has entries for or lists in `evaluated` was evaluated up to its window's end.
 * Archived flags too: code still asking for one after archiving is the hazard the flag page warns of.
 */
async function markEvaluatedFlags(tx: Db, environmentId: number, batches: Pending[], flagIds: Map<string, { id: number }>) {
  const newestEnd = new Map<number, number>();
  for (const { batch } of batches) {
    for (const key of [...batch.entries.map((entry) => entry.flag), ...(batch.evaluated ?? [])]) {
      const flag = flagIds.get(key);
      if (flag) newestEnd.set(flag.id, Math.max(newestEnd.get(flag.id) ?? 0, batch.windowEnd));
    }
  }
  const flagsByEnd = new Map<number, number[]>();
  for (const [flagId, end] of newestEnd) flagsByEnd.set(end, [...(flagsByEnd.get(end) ?? []), flagId]);
  for (const [end, ids] of flagsByEnd) await markEvaluated(tx, environmentId, ids, new Date(end));
}

function pause(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}

const processLag = new EventLoopLag();

const holder = globalThis as typeof globalThis & { __rampartIngestQueue?: { db: Db; queue: MetricsIngestQueue } };

/** The process-wide queue, writing through the connection's writer pool (one per connection, like the stream hub). */
export async function getIngestQueue(): Promise<MetricsIngestQueue> {
  const { writerDb, driver } = await getConnection();
  if (holder.__rampartIngestQueue?.db !== writerDb) {
    const limits = { ...DEFAULT_INGEST_LIMITS, lingerMs: LINGER_MS[driver] };
    holder.__rampartIngestQueue = { db: writerDb, queue: new MetricsIngestQueue(writerDb, limits, () => processLag.start().recentMs()) };
  }
  return holder.__rampartIngestQueue.queue;
}
