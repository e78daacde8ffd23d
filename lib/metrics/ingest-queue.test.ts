import { randomUUID } from "node:crypto";
import { newLatencySketch } from "@rampart/sdk";
import { and, eq, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { metricBatches, pathMetrics } from "@/db/schema";
import { getDb } from "@/lib/db/client";
import { requireEnvironment } from "@/lib/environments/environment-store";
import { TooManyRequestsError } from "@/lib/errors";
import { givenFlag } from "@/testing/api";
import { MetricsIngestQueue, WriteCost } from "./ingest-queue";
import { decodeSketch, encodeSketch } from "./latency-sketch";
import type { MetricsBatchInput } from "./schemas";

function decodedBatch(entries: { flag: string; path: "new" | "legacy"; latencies: number[]; errors?: number }[], batchId = randomUUID()) {
  const now = Date.now();
  const batch: MetricsBatchInput = {
    batchId,
    instanceId: `instance-${batchId.slice(0, 4)}`,
    windowStart: now - 10_000,
    windowEnd: now,
    dropped: 0,
    entries: entries.map(({ flag, path, latencies, errors = 0 }) => {
      const sketch = newLatencySketch();
      for (const ms of latencies) sketch.accept(ms);
      return { flag, path, reason: "rollout" as const, count: latencies.length, errors, sketch: encodeSketch(sketch) };
    }),
  };
  return { batch, sketches: batch.entries.map((entry) => decodeSketch(entry.sketch)) };
}

async function minuteRows(flagKeys: string[]) {
  const db = await getDb();
  const { flags } = await import("@/db/schema");
  return db
    .select({ flag: flags.key, path: pathMetrics.path, requests: pathMetrics.requests, errors: pathMetrics.errors, sketch: pathMetrics.sketch })
    .from(pathMetrics)
    .innerJoin(flags, eq(flags.id, pathMetrics.flagId))
    .where(and(inArray(flags.key, flagKeys), eq(pathMetrics.resolution, "minute")));
}

describe("group commit", () => {
  it("stores 300 concurrent batches, with retries among them, exactly once each in a few writes", async () => {
    const db = await getDb();
    const queue = new MetricsIngestQueue(db, { maxBatchesPerWrite: 100, maxQueued: 10_000, targetWaitMs: 60_000, maxWaitMs: 60_000, lingerMs: 0 });
    const environment = await requireEnvironment(db, "production");
    const keys = [await givenFlag("group_a"), await givenFlag("group_b")];
    const batches = Array.from({ length: 300 }, (_, i) =>
      decodedBatch([
        { flag: keys[i % 2], path: "new", latencies: [10 + (i % 7), 20], errors: i % 3 === 0 ? 1 : 0 },
        { flag: keys[(i + 1) % 2], path: "legacy", latencies: [5] },
      ]),
    );
    // Every fifth batch is sent twice at once, as an SDK whose first attempt timed out would.
    const submissions = [...batches, ...batches.filter((_, i) => i % 5 === 0)].map((batch) => queue.submit(environment, batch));
    const results = await Promise.all(submissions);

    const storedIds = results.filter((result) => result.stored).map((result) => result.batchId);
    expect(storedIds).toHaveLength(300);
    expect(new Set(storedIds).size).toBe(300);
    expect(results.filter((result) => !result.stored)).toHaveLength(60);
    expect(queue.status().writes).toBeLessThan(20);

    const rows = await minuteRows(keys);
    const total = (path: string) => rows.filter((row) => row.path === path).reduce((sum, row) => sum + row.requests, 0);
    expect(total("new")).toBe(600);
    expect(total("legacy")).toBe(300);
    expect(rows.filter((row) => row.path === "new").reduce((sum, row) => sum + row.errors, 0)).toBe(100);
    const sketchCount = rows.filter((row) => row.path === "new").reduce((sum, row) => sum + decodeSketch(row.sketch!).count, 0);
    expect(sketchCount).toBe(600);
  });

  it("refuses new batches with Retry-After once the queue is behind, and admits again after it drains", async () => {
    const db = await getDb();
    const queue = new MetricsIngestQueue(db, { maxBatchesPerWrite: 10, maxQueued: 5, targetWaitMs: 60_000, maxWaitMs: 60_000, lingerMs: 0 });
    const environment = await requireEnvironment(db, "production");
    const key = await givenFlag("shed");
    const pending = Array.from({ length: 8 }, () => queue.submit(environment, decodedBatch([{ flag: key, path: "new", latencies: [1] }])));
    let refusal: unknown;
    try {
      queue.admit();
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(TooManyRequestsError);
    expect((refusal as TooManyRequestsError).status).toBe(429);
    expect((refusal as TooManyRequestsError).retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(queue.status().shed).toBe(1);
    await Promise.all(pending);
    expect(() => queue.admit()).not.toThrow();
    expect(queue.status()).toMatchObject({ queued: 0, writing: 0, accepted: 8, shed: 1 });
  });

  it("refuses while the oldest waiting batch has waited too long", async () => {
    const db = await getDb();
    const queue = new MetricsIngestQueue(db, { maxBatchesPerWrite: 10, maxQueued: 1_000, targetWaitMs: 60_000, maxWaitMs: 50, lingerMs: 0 });
    const environment = await requireEnvironment(db, "production");
    const key = await givenFlag("shed_wait");
    const first = queue.submit(environment, decodedBatch([{ flag: key, path: "new", latencies: [1] }]));
    const second = queue.submit(environment, decodedBatch([{ flag: key, path: "new", latencies: [1] }]));
    expect(() => queue.admit(Date.now() + 10)).not.toThrow();
    expect(() => queue.admit(Date.now() + 10_000)).toThrow(TooManyRequestsError);
    await Promise.all([first, second]);
  });

  it("refuses when, at the fitted write cost, a new batch would wait longer than the target", async () => {
    const db = await getDb();
    const queue = new MetricsIngestQueue(db, { maxBatchesPerWrite: 10, maxQueued: 1_000, targetWaitMs: 1, maxWaitMs: 60_000, lingerMs: 0 });
    const environment = await requireEnvironment(db, "production");
    const key = await givenFlag("shed_rate");
    const one = () => queue.submit(environment, decodedBatch([{ flag: key, path: "new", latencies: [1] }]));
    expect(() => queue.admit()).not.toThrow(); // nothing written yet, nothing to wait for
    await one();
    await Promise.all(Array.from({ length: 10 }, one));
    await new Promise((resolve) => setImmediate(resolve)); // the write is timed once its batches are answered
    expect(queue.status().batchesPerSecond).toBeGreaterThan(0);
    const pending = Array.from({ length: 6 }, one);
    expect(() => queue.admit()).toThrow(TooManyRequestsError);
    await Promise.all(pending);
  });

  it("admits while idle even after writes slower than the target, so a slow spell is not shed forever", async () => {
    const db = await getDb();
    const queue = new MetricsIngestQueue(db, { maxBatchesPerWrite: 10, maxQueued: 1_000, targetWaitMs: 1, maxWaitMs: 60_000, lingerMs: 0 });
    const environment = await requireEnvironment(db, "production");
    const key = await givenFlag("shed_idle");
    for (let i = 0; i < 3; i++) {
      // Every write so far took longer than the 1 ms target, yet an idle queue admits the next batch.
      expect(() => queue.admit()).not.toThrow();
      await queue.submit(environment, decodedBatch([{ flag: key, path: "new", latencies: [1] }]));
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(queue.status()).toMatchObject({ accepted: 3, shed: 0, writes: 3 });
    const pending = queue.submit(environment, decodedBatch([{ flag: key, path: "new", latencies: [1] }]));
    expect(() => queue.admit()).toThrow(TooManyRequestsError);
    await pending;
  });

  it("refuses while the process's timers run late (the CPU is behind), but never while idle", async () => {
    const db = await getDb();
    let lagMs = 500;
    const queue = new MetricsIngestQueue(db, { maxBatchesPerWrite: 10, maxQueued: 1_000, targetWaitMs: 60_000, maxWaitMs: 60_000, maxLoopLagMs: 75, lingerMs: 0 }, () => lagMs);
    const environment = await requireEnvironment(db, "production");
    const key = await givenFlag("shed_lag");
    expect(() => queue.admit()).not.toThrow();
    const pending = queue.submit(environment, decodedBatch([{ flag: key, path: "new", latencies: [1] }]));
    expect(() => queue.admit()).toThrow(TooManyRequestsError);
    lagMs = 10;
    expect(() => queue.admit()).not.toThrow();
    await pending;
  });

  it("fits a write's cost as a fixed part plus a part per batch", () => {
    const cost = new WriteCost();
    for (const n of [1, 5, 20, 80, 250]) cost.add(n, 90 + 0.4 * n);
    expect(cost.estimate(0)).toBe(0);
    expect(cost.estimate(100)).toBeCloseTo(130, 6);
    expect(cost.batchesPerSecond(250)).toBe(Math.round(250_000 / 190));
    const sameSize = new WriteCost();
    sameSize.add(10, 50);
    expect(sameSize.estimate(20)).toBeCloseTo(100, 6);
  });

  it("a batch the database refuses fails alone; the others in its write are stored", async () => {
    const db = await getDb();
    const queue = new MetricsIngestQueue(db, { maxBatchesPerWrite: 100, maxQueued: 1_000, targetWaitMs: 60_000, maxWaitMs: 60_000, lingerMs: 0 });
    const environment = await requireEnvironment(db, "production");
    const key = await givenFlag("poison");
    const ghost = { ...environment, id: 2_000_000_000, key: "ghost" };
    const good = [1, 2, 3].map(() => decodedBatch([{ flag: key, path: "new", latencies: [1, 2] }]));
    const outcomes = await Promise.allSettled([
      queue.submit(environment, good[0]),
      queue.submit(ghost, decodedBatch([{ flag: key, path: "new", latencies: [1] }])),
      queue.submit(environment, good[1]),
      queue.submit(environment, good[2]),
    ]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(["fulfilled", "rejected", "fulfilled", "fulfilled"]);
    const stored = await db.select().from(metricBatches).where(inArray(metricBatches.batchId, good.map((g) => g.batch.batchId)));
    expect(stored).toHaveLength(3);
    expect((await minuteRows([key])).reduce((sum, row) => sum + row.requests, 0)).toBe(6);
  });
});
