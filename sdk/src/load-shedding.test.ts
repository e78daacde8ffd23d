import { gunzipSync } from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
import { createClient, type ClientOptions, type RampartClient } from "./client";
import type { FlagState } from "./flag-state";
import { decodeSketch } from "./latency-sketch";
import { delivered, fakeControlPlane, type FakeControlPlane, type MetricsPost } from "./fake-control-plane";
import { MetricsFlusher, parseRetryAfter, type MetricsFlusherOptions } from "./metrics-flusher";
import { PathMetrics } from "./path-metrics";
import type { FlagSnapshot, MetricsBatch } from "./protocol";

// Issue 11: a control plane behind on ingest answers 429/503 with Retry-After. The SDK waits as
// told, merges the batches it holds instead of queueing more, and counts whatever it drops.

function flagState(key: string): FlagState {
  return { key, default: false, percentage: 50, rollout: { by: "user_id" }, contexts: {}, killed: false, version: 1 };
}
const SNAPSHOT: FlagSnapshot = { environment: "test", cursor: 1, flags: [flagState("schema_v2"), flagState("checkout_v3")] };

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function planeFor(): Promise<FakeControlPlane> {
  const plane = await fakeControlPlane(SNAPSHOT);
  cleanups.push(plane.close);
  return plane;
}

async function readyClient(options: Partial<ClientOptions> = {}): Promise<{ plane: FakeControlPlane; sdk: RampartClient }> {
  const plane = await planeFor();
  const sdk = createClient({ url: plane.url, sdkKey: "rps_test-key", flushIntervalMs: 50, backoff: { minMs: 20, maxMs: 100 }, ...options });
  cleanups.push(() => sdk.close());
  expect(await sdk.ready({ timeoutMs: 5_000 })).toBe(true);
  return { plane, sdk };
}

/** A flusher over its own PathMetrics, for windows and limits a client does not let a test choose. */
function flusherFor(plane: FakeControlPlane, metrics: PathMetrics, options: Partial<MetricsFlusherOptions> = {}): MetricsFlusher {
  const flusher = new MetricsFlusher(metrics, { url: plane.url, sdkKey: "rps_test-key", intervalMs: 50, maxPendingBatches: 2, onError: () => {}, ...options });
  cleanups.push(() => flusher.close());
  return flusher;
}

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const samplesOf = (batches: MetricsBatch[]) => batches.reduce((sum, batch) => sum + batch.entries.reduce((s, entry) => s + entry.count, 0), 0);
const droppedIn = (batches: MetricsBatch[]) => batches.reduce((sum, batch) => sum + batch.dropped, 0);

/** Delivered counts and errors keyed `flag path reason`. */
function totals(batches: MetricsBatch[]): Record<string, { count: number; errors: number }> {
  const result: Record<string, { count: number; errors: number }> = {};
  for (const entry of batches.flatMap((batch) => batch.entries)) {
    const key = `${entry.flag} ${entry.path} ${entry.reason}`;
    result[key] ??= { count: 0, errors: 0 };
    result[key].count += entry.count;
    result[key].errors += entry.errors;
  }
  return result;
}

/** Every batch id POSTed more than once carried the very same batch each time. */
function expectRetriesIdentical(posts: MetricsPost[]): void {
  const first = new Map<string, MetricsBatch>();
  for (const post of posts) {
    const earlier = first.get(post.batch.batchId);
    if (earlier) expect(post.batch).toEqual(earlier);
    else first.set(post.batch.batchId, post.batch);
  }
}

describe("parseRetryAfter", () => {
  it("reads seconds and HTTP dates, caps at 5 minutes and ignores what it cannot read", () => {
    const now = Date.parse("2026-11-22T10:00:00Z");
    expect(parseRetryAfter("2", now)).toBe(2_000);
    expect(parseRetryAfter(" 120 ", now)).toBe(120_000);
    expect(parseRetryAfter("0", now)).toBe(0);
    expect(parseRetryAfter("3600", now)).toBe(300_000);
    expect(parseRetryAfter("Sun, 22 Nov 2026 10:00:07 GMT", now)).toBe(7_000);
    expect(parseRetryAfter("Sun, 22 Nov 2026 09:59:00 GMT", now)).toBe(0);
    expect(parseRetryAfter("Mon, 23 Nov 2026 10:00:00 GMT", now)).toBe(300_000);
    for (const garbage of ["soon", "-1", "1.5", "", "1e3"]) expect(parseRetryAfter(garbage, now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});

describe("metrics under load shedding", () => {
  it("waits out each Retry-After, across flushes, and delivers every sample or its count as dropped", async () => {
    // One pending batch: while it waits out the Retry-After, newer windows cannot merge into it
    // (it was sent, it may be stored), so they are dropped, counted and reported later.
    const errors: Error[] = [];
    const { plane, sdk } = await readyClient({ maxPendingBatches: 1, onError: (error) => errors.push(error) });
    const waits = [2, 1, 1, 1];
    plane.answers.push(
      { status: 429, headers: { "retry-after": "2" } },
      { status: 503, headers: { "retry-after": "1" } },
      { status: 429, headers: { "retry-after": "1" } },
      { status: 429, headers: { "retry-after": "1" } },
    );
    let calls = 0;
    let valid = 0;
    const record = (flag: string) => {
      calls += 1;
      if (flag === "schema_v2") valid += 1;
      sdk.record(flag, "new", "rollout", 3);
    };
    const seen = { overloaded: false, maxPending: 0, retryAfter: [] as (number | null)[] };
    // Recording on while the control plane sheds load, until it takes a batch.
    while (delivered(plane.posts).length === 0) {
      for (let i = 0; i < 4; i++) record("schema_v2");
      record("Not A Flag"); // refused input: dropped and counted like the rest
      const status = sdk.metricsStatus();
      seen.overloaded ||= status.overloaded;
      seen.maxPending = Math.max(seen.maxPending, status.pendingBatches);
      if (status.lastRetryAfterMs !== seen.retryAfter.at(-1)) seen.retryAfter.push(status.lastRetryAfterMs);
      await sleep(25);
      if (calls > 2_000) throw new Error("never delivered");
    }
    const dropped = () => droppedIn(delivered(plane.posts));
    await until(() => sdk.metricsStatus().pendingBatches === 0 && dropped() === sdk.metricsStatus().dropped);

    // The first batch: five POSTs with one id, each retry at least its Retry-After (plus ≤ 20 %) later.
    const firstId = plane.posts[0]!.batch.batchId;
    const retried = plane.posts.filter((post) => post.batch.batchId === firstId);
    expect(retried.map((post) => post.status)).toEqual([429, 503, 429, 429, 201]);
    expectRetriesIdentical(plane.posts);
    for (let i = 0; i < waits.length; i++) {
      const gap = retried[i + 1]!.at - retried[i]!.at;
      expect(gap, `wait after answer ${i + 1}`).toBeGreaterThanOrEqual(waits[i]! * 1_000);
      expect(gap, `wait after answer ${i + 1}`).toBeLessThan(waits[i]! * 1_200 + 1_000);
    }
    // The fourth wait spans two flushes: a fresh attempts budget still waited for the Retry-After.
    expect(errors.some((error) => error.message.includes("answered 429") && error.message.includes("retry after 1000 ms"))).toBe(true);

    expect(seen).toMatchObject({ overloaded: true, maxPending: 1 });
    expect(seen.retryAfter).toEqual([null, 2_000, 1_000]);
    // Everything recorded arrived, or arrived as a count of what was lost; status agrees.
    const status = sdk.metricsStatus();
    expect(status.dropped).toBeGreaterThan(calls - valid); // whole windows were dropped, not just the refused input
    expect(samplesOf(delivered(plane.posts)) + dropped()).toBe(calls);
    expect(status).toMatchObject({ recorded: valid, dropped: dropped(), overloaded: false, pendingBatches: 0, pendingSamples: 0, merged: 0 });
  });

  it("merges never-sent batches under a long overload, keeps within maxPendingBatches and never merges a sent one", async () => {
    const { plane, sdk } = await readyClient({ maxPendingBatches: 3 });
    plane.answers.push(...Array<number>(10_000).fill(503));
    const expected: Record<string, { count: number; errors: number }> = {
      "schema_v2 new rollout": { count: 0, errors: 0 },
      "schema_v2 legacy rollout": { count: 0, errors: 0 },
      "checkout_v3 legacy pinned": { count: 0, errors: 0 },
    };
    let maxPending = 0;
    const windows = 40;
    for (let window = 0; window < windows; window++) {
      for (let i = 0; i < 5; i++) {
        const failed = i === 0 && window % 3 === 0;
        sdk.record("schema_v2", "new", "rollout", 2 + i, failed);
        expected["schema_v2 new rollout"]!.count += 1;
        expected["schema_v2 new rollout"]!.errors += failed ? 1 : 0;
      }
      sdk.record("schema_v2", "legacy", "rollout", 40);
      expected["schema_v2 legacy rollout"]!.count += 1;
      if (window % 10 === 0) {
        sdk.record("checkout_v3", "legacy", "pinned", 1);
        expected["checkout_v3 legacy pinned"]!.count += 1;
      }
      sdk.evaluate("checkout_v3", { user_id: "u" });
      await sleep(55);
      maxPending = Math.max(maxPending, sdk.metricsStatus().pendingBatches);
    }
    const during = sdk.metricsStatus();
    expect(maxPending).toBeLessThanOrEqual(3);
    expect(during).toMatchObject({ dropped: 0, overloaded: true });
    expect(during.merged).toBeGreaterThanOrEqual(windows - 10);
    expect(delivered(plane.posts)).toHaveLength(0);

    plane.answers.length = 0;
    const recorded = Object.values(expected).reduce((sum, { count }) => sum + count, 0);
    await until(() => sdk.metricsStatus().pendingBatches === 0 && samplesOf(delivered(plane.posts)) === recorded);
    await sleep(150); // nothing more arrives: no sample twice
    const batches = delivered(plane.posts);
    expect(totals(batches)).toEqual(expected);
    expect(samplesOf(batches)).toBe(recorded);
    expect(sdk.metricsStatus()).toMatchObject({ recorded, dropped: 0, overloaded: false });
    expect(droppedIn(batches)).toBe(0);
    // Forty windows arrived in a handful of batches; merged ones span many windows.
    expect(batches.length).toBeLessThanOrEqual(6);
    expect(Math.max(...batches.map((batch) => batch.windowEnd - batch.windowStart))).toBeGreaterThanOrEqual(20 * 50);
    expect(batches.some((batch) => batch.evaluated?.includes("checkout_v3"))).toBe(true);
    for (const entry of batches.flatMap((batch) => batch.entries)) expect(decodeSketch(Buffer.from(entry.sketch, "base64")).count).toBe(entry.count);
    // Nothing once sent was merged away: every id POSTed was finally stored, each time unchanged.
    expectRetriesIdentical(plane.posts);
    expect(new Set(plane.posts.map((post) => post.batch.batchId))).toEqual(new Set(batches.map((batch) => batch.batchId)));
    expect(plane.posts.filter((post) => post.status === 503).length).toBeGreaterThan(windows);
  });

  it("drops the oldest never-sent batch only when no merge fits the control plane's limits", async () => {
    const plane = await planeFor();
    plane.answers.push(...Array<number>(10_000).fill(503));
    const metrics = new PathMetrics({ instanceId: "orders-1" });
    // Two entries a batch at most: windows of one flag each merge in pairs, never three.
    const flusher = flusherFor(plane, metrics, { maxPendingBatches: 2, limits: { maxBatchEntries: 2 } });
    let recorded = 0;
    for (let window = 0; window < 12; window++) {
      for (let i = 0; i < 3; i++, recorded++) metrics.recordSample(`flag_${window}`, "new", "rollout", 1, false);
      await sleep(60);
      expect(flusher.status().pendingBatches).toBeLessThanOrEqual(2);
    }
    const during = flusher.status();
    expect(during.merged).toBeGreaterThan(0);
    expect(metrics.counts().dropped).toBeGreaterThan(0);
    expect(metrics.counts().dropped % 3).toBe(0); // whole windows

    plane.answers.length = 0;
    const batches = () => delivered(plane.posts);
    await until(() => flusher.status().pendingBatches === 0 && samplesOf(batches()) + droppedIn(batches()) === recorded);
    expect(metrics.counts()).toEqual({ recorded, dropped: droppedIn(batches()) });
    expect(batches().every((batch) => batch.entries.length <= 2)).toBe(true);
    expectRetriesIdentical(plane.posts);
  });

  it("drops and counts a batch whose window the control plane would refuse as over a day old", async () => {
    const plane = await planeFor();
    const metrics = new PathMetrics({ instanceId: "orders-1", windowStart: Date.now() - 25 * 60 * 60 * 1000 });
    for (let i = 0; i < 3; i++) metrics.recordSample("schema_v2", "new", "rollout", 1, false);
    const flusher = flusherFor(plane, metrics);
    await until(() => metrics.counts().dropped === 3);
    metrics.recordSample("schema_v2", "legacy", "rollout", 1, false);
    await until(() => flusher.status().batchesSent === 1);
    expect(plane.posts).toHaveLength(1);
    expect(plane.posts[0]!.batch).toMatchObject({ dropped: 3, entries: [{ path: "legacy", count: 1 }] });
    expect(Date.now() - plane.posts[0]!.batch.windowStart).toBeLessThan(60_000);
    expect(flusher.status()).toMatchObject({ batchesSent: 1, pendingBatches: 0 });
    expect(metrics.counts()).toEqual({ recorded: 4, dropped: 3 });
  });

  it("sends nothing from close() when told to retry later than close() waits", async () => {
    const { plane, sdk } = await readyClient();
    plane.answers.push({ status: 429, headers: { "retry-after": "60" } });
    sdk.record("schema_v2", "new", "rollout", 1);
    await until(() => plane.posts.length === 1 && sdk.metricsStatus().overloaded);
    sdk.record("schema_v2", "new", "rollout", 1);
    const started = Date.now();
    await sdk.close();
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(plane.posts.map((post) => post.status)).toEqual([429]);
    expect(sdk.metricsStatus()).toMatchObject({ recorded: 2, dropped: 2, overloaded: true, lastRetryAfterMs: 60_000, pendingBatches: 0 });
  });
});

describe("gzipped metrics", () => {
  it("sends gzip by default: the body inflates to the batch", async () => {
    const { plane, sdk } = await readyClient({ flushIntervalMs: 60_000 });
    for (let i = 0; i < 500; i++) sdk.record(i % 2 ? "schema_v2" : "checkout_v3", i % 3 ? "new" : "legacy", "rollout", 1 + (i % 37), i % 11 === 0);
    await sdk.close();
    expect(plane.posts).toHaveLength(1);
    const post = plane.posts[0]!;
    expect(post.contentEncoding).toBe("gzip");
    expect(post.contentType).toBe("application/json");
    expect([...post.body.subarray(0, 2)]).toEqual([0x1f, 0x8b]);
    const inflated = gunzipSync(post.body).toString("utf8");
    const batch = JSON.parse(inflated) as MetricsBatch;
    expect(samplesOf([batch])).toBe(500);
    expect(totals([batch])).toEqual(totals([post.batch]));
    expect(batch.entries).toHaveLength(4);
    expect(post.body.length).toBeLessThan(inflated.length / 2);
  });

  it("sends plain JSON with compressMetrics: false", async () => {
    const { plane, sdk } = await readyClient({ flushIntervalMs: 60_000, compressMetrics: false });
    sdk.record("schema_v2", "new", "rollout", 1);
    await sdk.close();
    expect(plane.posts).toHaveLength(1);
    expect(plane.posts[0]!.contentEncoding).toBeUndefined();
    expect(JSON.parse(plane.posts[0]!.body.toString("utf8"))).toMatchObject({ entries: [{ flag: "schema_v2", count: 1 }] });
  });

  it.each([
    ["415 unsupported_encoding", "unsupported"],
    ["400 invalid_json, from a control plane older than gzip", "unknown"],
  ] as const)("falls back to plain JSON on %s, resending the same batch", async (_, refusal) => {
    const errors: Error[] = [];
    const { plane, sdk } = await readyClient({ onError: (error) => errors.push(error) });
    plane.gzip = refusal;
    sdk.record("schema_v2", "new", "rollout", 1);
    await until(() => sdk.metricsStatus().batchesSent === 1);
    sdk.record("schema_v2", "new", "rollout", 1);
    await until(() => sdk.metricsStatus().batchesSent === 2);
    expect(plane.posts.map((post) => [post.status, post.contentEncoding])).toEqual([
      [refusal === "unsupported" ? 415 : 400, "gzip"],
      [201, undefined],
      [201, undefined],
    ]);
    expect(plane.posts[1]!.batch).toEqual(plane.posts[0]!.batch);
    expect(sdk.metricsStatus()).toMatchObject({ recorded: 2, dropped: 0, batchesSent: 2 });
    expect(errors).toEqual([]);
  });
});
