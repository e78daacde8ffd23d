import { describe, expect, it } from "vitest";
import { decodeSketch, LATENCY_RELATIVE_ACCURACY } from "./latency-sketch";
import { splitBatch } from "./metrics-flusher";
import { mergeBatches, PathMetrics } from "./path-metrics";
import { EVALUATION_REASONS, type MetricsBatch, type MetricsEntry } from "./protocol";

/** A seeded generator, so a failing accuracy check can be reproduced. */
function mulberry32(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Lognormal latencies around 8 ms with a long tail, like a database call. */
function lognormalSamples(count: number, seed: number): number[] {
  const random = mulberry32(seed);
  return Array.from({ length: count }, () => {
    const normal = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    return Math.exp(Math.log(8) + 0.9 * normal);
  });
}

/** The sample DDSketch's quantile answers for: rank q × (n − 1), rounded down. */
function exactQuantile(sorted: number[], q: number): number {
  return sorted[Math.floor(q * (sorted.length - 1))]!;
}

/** Samples a batch stands for: its entries and the drops it reports. */
function samplesIn(batch: MetricsBatch): number {
  return batch.entries.reduce((sum, entry) => sum + entry.count, batch.dropped);
}

function entryFor(batch: MetricsBatch, flag: string, path: string, reason: string): MetricsEntry | undefined {
  return batch.entries.find((entry) => entry.flag === flag && entry.path === path && entry.reason === reason);
}

describe("PathMetrics", () => {
  it("keeps every path × reason apart, targeted included", () => {
    const metrics = new PathMetrics({ instanceId: "orders-1", windowStart: 0 });
    EVALUATION_REASONS.forEach((reason, i) => {
      for (let n = 0; n <= i; n++) metrics.recordSample("schema_v2", "new", reason, 1, false);
      for (let n = 0; n <= i + 10; n++) metrics.recordSample("schema_v2", "legacy", reason, 1, false);
    });
    const batch = metrics.drain(1_000)!;
    expect(batch.entries).toHaveLength(2 * EVALUATION_REASONS.length);
    EVALUATION_REASONS.forEach((reason, i) => {
      expect(entryFor(batch, "schema_v2", "new", reason)?.count).toBe(i + 1);
      expect(entryFor(batch, "schema_v2", "legacy", reason)?.count).toBe(i + 11);
    });
    expect(EVALUATION_REASONS).toContain("targeted");
  });

  it("aggregates count and errors per flag × path × reason", () => {
    const metrics = new PathMetrics({ instanceId: "orders-1", windowStart: 1_000 });
    for (let i = 0; i < 7; i++) metrics.recordSample("schema_v2", "new", "rollout", 2 + i, i < 2);
    for (let i = 0; i < 3; i++) metrics.recordSample("schema_v2", "legacy", "rollout", 1, false);
    metrics.recordSample("schema_v2", "legacy", "pinned", 1, true);
    metrics.recordSample("other_flag", "legacy", "fallback", 0, false);

    const batch = metrics.drain(11_000)!;
    expect(batch).toMatchObject({ instanceId: "orders-1", windowStart: 1_000, windowEnd: 11_000, dropped: 0 });
    expect(batch.batchId).toMatch(/^[0-9a-f-]{36}$/);
    expect(batch.entries).toHaveLength(4);
    expect(entryFor(batch, "schema_v2", "new", "rollout")).toMatchObject({ count: 7, errors: 2 });
    expect(entryFor(batch, "schema_v2", "legacy", "rollout")).toMatchObject({ count: 3, errors: 0 });
    expect(entryFor(batch, "schema_v2", "legacy", "pinned")).toMatchObject({ count: 1, errors: 1 });
    expect(entryFor(batch, "other_flag", "legacy", "fallback")).toMatchObject({ count: 1, errors: 0 });

    const sketch = decodeSketch(Buffer.from(entryFor(batch, "schema_v2", "new", "rollout")!.sketch, "base64"));
    expect(sketch.count).toBe(7);
    expect(decodeSketch(Buffer.from(entryFor(batch, "other_flag", "legacy", "fallback")!.sketch, "base64")).zeroCount).toBe(1);
    expect(metrics.counts()).toEqual({ recorded: 12, dropped: 0 });
  });

  it("starts each window where the last ended and sends nothing for an empty one", () => {
    const metrics = new PathMetrics({ windowStart: 1_000 });
    expect(metrics.drain(2_000)).toBeNull();
    metrics.recordSample("schema_v2", "new", "rollout", 1, false);
    const first = metrics.drain(3_000)!;
    expect([first.windowStart, first.windowEnd]).toEqual([2_000, 3_000]);
    metrics.recordSample("schema_v2", "new", "rollout", 1, false);
    const second = metrics.drain(4_000)!;
    expect([second.windowStart, second.windowEnd]).toEqual([3_000, 4_000]);
    expect(second.instanceId).toBe(first.instanceId);
    expect(second.batchId).not.toBe(first.batchId);
    expect(second.entries[0]).toMatchObject({ count: 1 });
    expect(metrics.drain(5_000)).toBeNull();
  });

  it("merged sketches give p50/p95/p99 within 1% of the exact percentiles", () => {
    const samples = lognormalSamples(10_000, 42);
    // Four instances each see a share, as four service replicas would; the control plane merges.
    const instances = Array.from({ length: 4 }, (_, i) => new PathMetrics({ instanceId: `replica-${i}` }));
    samples.forEach((latency, i) => instances[i % 4]!.recordSample("schema_v2", "new", "rollout", latency, false));
    const [merged, ...others] = instances.map((metrics) => decodeSketch(Buffer.from(metrics.drain()!.entries[0]!.sketch, "base64")));
    for (const sketch of others) merged!.merge(sketch!);

    const sorted = [...samples].sort((a, b) => a - b);
    expect(merged!.count).toBe(10_000);
    for (const q of [0.5, 0.95, 0.99]) {
      const exact = exactQuantile(sorted, q);
      const relativeError = Math.abs(merged!.getValueAtQuantile(q) - exact) / exact;
      expect(relativeError, `p${q * 100}: sketch ${merged!.getValueAtQuantile(q)} vs exact ${exact}`).toBeLessThanOrEqual(LATENCY_RELATIVE_ACCURACY + 1e-9);
    }
  });

  it("keeps at most maxSeries series a window and counts the samples it turns away", () => {
    const metrics = new PathMetrics({ maxSeries: 100 });
    for (let i = 0; i < 150; i++) metrics.recordSample(`flag_${i}`, "new", "rollout", 1, false);
    // Series that exist still take samples; a new path of a known flag is a new series, so no.
    metrics.recordSample("flag_0", "new", "rollout", 1, false);
    metrics.recordSample("flag_0", "legacy", "rollout", 1, false);

    const batch = metrics.drain()!;
    expect(batch.entries).toHaveLength(100);
    expect(batch.dropped).toBe(51);
    expect(entryFor(batch, "flag_0", "new", "rollout")).toMatchObject({ count: 2 });
    expect(metrics.counts()).toEqual({ recorded: 101, dropped: 51 });

    // The next window has room again.
    metrics.recordSample("flag_149", "new", "rollout", 1, false);
    expect(metrics.drain()!).toMatchObject({ dropped: 0, entries: [{ flag: "flag_149", count: 1 }] });
  });

  it("drops and counts samples it cannot send, and never throws", () => {
    const metrics = new PathMetrics();
    const record = metrics.recordSample.bind(metrics) as (...args: unknown[]) => void;
    const garbage: unknown[][] = [
      [undefined, "new", "rollout", 1, false],
      [42, "new", "rollout", 1, false],
      [{ toString: () => "schema_v2" }, "new", "rollout", 1, false],
      ["Schema V2", "new", "rollout", 1, false], // the control plane would refuse the whole batch
      ["x".repeat(65), "new", "rollout", 1, false],
      ["schema_v2", "sideways", "rollout", 1, false],
      ["schema_v2", "new", "because", 1, false],
      ["schema_v2", "new", "rollout", Number.NaN, false],
      ["schema_v2", "new", "rollout", -1, false],
      ["schema_v2", "new", "rollout", Number.POSITIVE_INFINITY, false],
      ["schema_v2", "new", "rollout", "5", false],
      ["schema_v2", "new", "rollout", 1e12, false],
    ];
    for (const args of garbage) expect(() => record(...args)).not.toThrow();
    record("schema_v2", "new", "rollout", 1, "yes");

    expect(metrics.counts()).toEqual({ recorded: 1, dropped: garbage.length });
    expect(metrics.drain()).toMatchObject({ dropped: garbage.length, entries: [{ flag: "schema_v2", count: 1, errors: 0 }] });
  });

  it("reports drops from elsewhere in the next batch, even one without samples", () => {
    const metrics = new PathMetrics();
    metrics.countDropped(5);
    metrics.countDropped(Number.NaN);
    metrics.countDropped(-3);
    expect(metrics.drain()).toMatchObject({ entries: [], dropped: 5 });
    expect(metrics.drain()).toBeNull();
    expect(metrics.counts().dropped).toBe(5);
  });

  it("counts an undelivered batch's samples once and still owes the drops it carried", () => {
    const metrics = new PathMetrics();
    metrics.countDropped(4);
    for (let i = 0; i < 3; i++) metrics.recordSample("schema_v2", "new", "rollout", 1, false);
    const lost = metrics.drain()!;
    expect(lost.dropped).toBe(4);
    metrics.countUndelivered(lost);
    expect(metrics.counts()).toEqual({ recorded: 3, dropped: 7 });
    expect(metrics.drain()).toMatchObject({ entries: [], dropped: 7 });
  });
});

describe("PathMetrics evaluated flags", () => {
  it("sends a window with evaluations but no samples, listing each flag once, sorted", () => {
    const metrics = new PathMetrics({ instanceId: "orders-1", windowStart: 1_000 });
    for (let i = 0; i < 3; i++) {
      metrics.noteEvaluated("schema_v2");
      metrics.noteEvaluated("checkout.v3");
      metrics.noteEvaluated("a-first");
    }
    const batch = metrics.drain(11_000)!;
    expect(batch).not.toBeNull();
    expect(batch).toMatchObject({ instanceId: "orders-1", windowStart: 1_000, windowEnd: 11_000, entries: [], dropped: 0 });
    expect(batch.evaluated).toEqual(["a-first", "checkout.v3", "schema_v2"]);
    // Noting is not a sample: nothing recorded, nothing dropped.
    expect(metrics.counts()).toEqual({ recorded: 0, dropped: 0 });
    // The next window starts empty.
    expect(metrics.drain(12_000)).toBeNull();
  });

  it("sends the evaluated flags alongside the window's samples, and none when there were none", () => {
    const metrics = new PathMetrics({ windowStart: 1_000 });
    metrics.noteEvaluated("schema_v2");
    metrics.recordSample("schema_v2", "new", "rollout", 1, false);
    expect(metrics.drain(2_000)).toMatchObject({ entries: [{ flag: "schema_v2", count: 1 }], evaluated: ["schema_v2"] });
    metrics.recordSample("schema_v2", "new", "rollout", 1, false);
    const onlySamples = metrics.drain(3_000)!;
    expect(onlySamples.entries).toHaveLength(1);
    expect("evaluated" in onlySamples).toBe(false);
  });

  it("does not note keys the control plane would refuse, and never throws", () => {
    const metrics = new PathMetrics();
    const note = metrics.noteEvaluated.bind(metrics) as (flag: unknown) => void;
    for (const garbage of [undefined, null, 42, { toString: () => "schema_v2" }, Symbol("flag"), "", "Schema V2", "_leading", "x".repeat(65)]) {
      expect(() => note(garbage)).not.toThrow();
    }
    expect(metrics.drain()).toBeNull();
    note("x".repeat(64));
    expect(metrics.drain()!.evaluated).toEqual(["x".repeat(64)]);
  });

  it("notes at most maxEvaluated distinct keys a window, and never more than 5,000", () => {
    const small = new PathMetrics({ maxEvaluated: 3 });
    for (const key of ["d", "c", "b", "a", "c"]) small.noteEvaluated(key);
    expect(small.drain()!.evaluated).toEqual(["b", "c", "d"]);
    small.noteEvaluated("a");
    expect(small.drain()!.evaluated).toEqual(["a"]);

    const big = new PathMetrics({ maxEvaluated: 1e6 });
    for (let i = 0; i < 6_000; i++) big.noteEvaluated(`flag_${i}`);
    const evaluated = big.drain()!.evaluated!;
    expect(evaluated).toHaveLength(5_000);
    expect(new Set(evaluated).size).toBe(5_000);
    expect(evaluated).toEqual([...evaluated].sort());
  });
});

describe("splitBatch", () => {
  const entry = (i: number): MetricsEntry => ({ flag: `flag_${i}`, path: "new", reason: "rollout", count: 2, errors: 0, sketch: "A".repeat(1_000) });
  const batch: MetricsBatch = { batchId: "b1", instanceId: "i", windowStart: 1, windowEnd: 2, entries: Array.from({ length: 25 }, (_, i) => entry(i)), dropped: 7 };

  it("keeps a batch within the control plane's limits whole", () => {
    expect(splitBatch(batch)).toEqual([batch]);
  });

  it("splits a larger one into parts with their own ids, losing no entry and counting drops once", () => {
    const parts = splitBatch(batch, 10_000, 1_000);
    expect(parts.length).toBeGreaterThan(2);
    expect(parts.map((part) => part.batchId)).toEqual(parts.map((_, i) => (i === 0 ? "b1" : `b1.${i}`)));
    for (const part of parts) expect(JSON.stringify(part).length).toBeLessThanOrEqual(10_000);
    expect(parts.flatMap((part) => part.entries)).toEqual(batch.entries);
    expect(parts.map((part) => part.dropped)).toEqual(parts.map((_, i) => (i === 0 ? 7 : 0)));
    expect(parts.reduce((sum, part) => sum + samplesIn(part), 0)).toBe(samplesIn(batch));
    expect(splitBatch(batch, 1_000_000, 10).map((part) => part.entries.length)).toEqual([10, 10, 5]);
  });

  it("sends the evaluated flags once, in the first part, and keeps every part within the limit", () => {
    const evaluated = Array.from({ length: 50 }, (_, i) => `evaluated_flag_${String(i).padStart(3, "0")}`);
    const parts = splitBatch({ ...batch, evaluated }, 10_000, 1_000);
    expect(parts.length).toBeGreaterThan(2);
    expect(parts[0]!.evaluated).toEqual(evaluated);
    for (const part of parts.slice(1)) expect("evaluated" in part).toBe(false);
    for (const part of parts) expect(JSON.stringify(part).length).toBeLessThanOrEqual(10_000);
    expect(parts.flatMap((part) => part.entries)).toEqual(batch.entries);
    expect(splitBatch({ ...batch, evaluated })).toEqual([{ ...batch, evaluated }]);
  });
});

describe("mergeBatches", () => {
  /** Two windows of one instance: 800 then 1,200 lognormal samples, split over two paths. */
  function twoWindows() {
    const metrics = new PathMetrics({ instanceId: "orders-1", windowStart: 1_000 });
    const first = lognormalSamples(800, 7);
    const second = lognormalSamples(1_200, 8);
    first.forEach((latency, i) => metrics.recordSample("schema_v2", i % 4 === 0 ? "new" : "legacy", "rollout", latency, i % 50 === 0));
    metrics.noteEvaluated("schema_v2");
    metrics.noteEvaluated("only_in_first");
    metrics.countDropped(3);
    const older = metrics.drain(11_000)!;
    second.forEach((latency, i) => metrics.recordSample("schema_v2", i % 4 === 0 ? "new" : "legacy", "rollout", latency, i % 40 === 0));
    metrics.recordSample("other_flag", "new", "pinned", 2, true);
    metrics.noteEvaluated("schema_v2");
    metrics.noteEvaluated("a_only_in_second");
    metrics.countDropped(2);
    const newer = metrics.drain(21_000)!;
    return { older, newer, first, second };
  }

  it("adds counts, errors and drops, merges sketches, unites evaluated keys and spans both windows", () => {
    const { older, newer, first, second } = twoWindows();
    const merged = mergeBatches(older, newer)!;
    expect(merged).toMatchObject({ instanceId: "orders-1", windowStart: 1_000, windowEnd: 21_000, dropped: 5 });
    expect(merged.batchId).toMatch(/^[0-9a-f-]{36}$/);
    expect([older.batchId, newer.batchId]).not.toContain(merged.batchId);
    expect(merged.evaluated).toEqual(["a_only_in_second", "only_in_first", "schema_v2"]);
    expect(merged.entries).toHaveLength(3);
    expect(samplesIn(merged)).toBe(samplesIn(older) + samplesIn(newer));

    const newEntry = entryFor(merged, "schema_v2", "new", "rollout")!;
    const newSamples = [...first.filter((_, i) => i % 4 === 0), ...second.filter((_, i) => i % 4 === 0)];
    // Errors: every 100th of the first window's samples lands on `new`, every 40th of the second's.
    expect(newEntry).toMatchObject({ count: 200 + 300, errors: 8 + 30 });
    const sketch = decodeSketch(Buffer.from(newEntry.sketch, "base64"));
    expect(sketch.count).toBe(500);
    // The merge is the sketch of all the samples: the same answers as one window holding them all.
    const whole = new PathMetrics();
    for (const latency of newSamples) whole.recordSample("schema_v2", "new", "rollout", latency, false);
    const wholeSketch = decodeSketch(Buffer.from(whole.drain()!.entries[0]!.sketch, "base64"));
    for (const q of [0.5, 0.95, 0.99]) expect(sketch.getValueAtQuantile(q)).toBe(wholeSketch.getValueAtQuantile(q));

    expect(entryFor(merged, "schema_v2", "legacy", "rollout")).toMatchObject({ count: 600 + 900 });
    // An entry in one batch only is carried over unchanged.
    expect(entryFor(merged, "other_flag", "new", "pinned")).toEqual(entryFor(newer, "other_flag", "new", "pinned"));
    // The inputs are left as they were.
    expect(entryFor(older, "schema_v2", "new", "rollout")).toMatchObject({ count: 200 });
  });

  it("refuses what the control plane would refuse: other instances, counts over 1e9, over 5,000 evaluated keys", () => {
    const { older, newer } = twoWindows();
    expect(mergeBatches(older, { ...newer, instanceId: "orders-2" })).toBeNull();
    const big = (batch: MetricsBatch): MetricsBatch => ({ ...batch, entries: batch.entries.map((entry) => ({ ...entry, count: 6e8 })) });
    expect(mergeBatches(big(older), big(newer))).toBeNull();
    expect(mergeBatches({ ...older, dropped: 6e8 }, { ...newer, dropped: 6e8 })).toBeNull();
    const keys = (prefix: string) => Array.from({ length: 2_600 }, (_, i) => `${prefix}_${i}`);
    expect(mergeBatches({ ...older, evaluated: keys("a") }, { ...newer, evaluated: keys("b") })).toBeNull();
    expect(mergeBatches({ ...older, evaluated: keys("a") }, { ...newer, evaluated: keys("a") })!.evaluated).toHaveLength(2_600);
  });
});
