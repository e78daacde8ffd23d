import { afterEach, describe, expect, it } from "vitest";
import { createClient, type ClientOptions, type RampartClient } from "./client";
import { bucketOf } from "./evaluator";
import type { FlagState } from "./flag-state";
import { decodeSketch } from "./latency-sketch";
import { delivered, fakeControlPlane, type FakeControlPlane } from "./fake-control-plane";
import { SDK_METRICS_PATH, type FlagSnapshot, type MetricsBatch } from "./protocol";

function flagState(overrides: Partial<FlagState> & { key: string }): FlagState {
  return { default: false, percentage: 50, rollout: { by: "user_id" }, contexts: {}, killed: false, version: 1, ...overrides };
}

const SNAPSHOT: FlagSnapshot = {
  environment: "test",
  cursor: 1,
  flags: [
    flagState({ key: "schema_v2", contexts: { batch_processor: false }, targets: [{ attribute: "tenant_id", values: ["t-42"], value: true }] }),
    flagState({ key: "kill_me", percentage: 100, killed: true }),
  ],
};
const users = Array.from({ length: 200 }, (_, i) => `user-${i}`);
const userOn = users.find((id) => bucketOf("schema_v2", id) < 5_000)!;
const userOff = users.find((id) => bucketOf("schema_v2", id) >= 5_000)!;

async function planeFor(): Promise<FakeControlPlane> {
  const plane = await fakeControlPlane(SNAPSHOT);
  cleanups.push(plane.close);
  return plane;
}

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

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function client(url: string, options: Partial<ClientOptions> = {}): RampartClient {
  const created = createClient({ url, sdkKey: "rps_test-key", flushIntervalMs: 50, backoff: { minMs: 20, maxMs: 100 }, ...options });
  cleanups.push(() => created.close());
  return created;
}

async function readyClient(options: Partial<ClientOptions> = {}) {
  const plane = await planeFor();
  const sdk = client(plane.url, options);
  expect(await sdk.ready({ timeoutMs: 5_000 })).toBe(true);
  return { plane, sdk };
}

async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Paths that count their calls. */
function countingPaths<T>(newValue: T, legacyValue: T) {
  const calls = { new: 0, legacy: 0 };
  return {
    calls,
    paths: { newPath: () => (calls.new++, newValue), legacyPath: () => (calls.legacy++, legacyValue) },
  };
}

function caught(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error("expected a throw");
}

describe("client.gate", () => {
  it("runs exactly the chosen path and returns its value", async () => {
    const { sdk } = await readyClient();
    const on = countingPaths("new", "legacy");
    expect(sdk.gate("schema_v2", { user_id: userOn }, on.paths)).toBe("new");
    expect(on.calls).toEqual({ new: 1, legacy: 0 });

    const off = countingPaths("new", "legacy");
    expect(sdk.gate("schema_v2", { user_id: userOff }, off.paths)).toBe("legacy");
    expect(off.calls).toEqual({ new: 0, legacy: 1 });

    const pinned = countingPaths(1, 0);
    expect(sdk.gate("schema_v2", { kind: "batch_processor", user_id: userOn }, pinned.paths)).toBe(0);
    expect(pinned.calls).toEqual({ new: 0, legacy: 1 });

    const killed = countingPaths(1, 0);
    expect(sdk.gate("kill_me", { user_id: userOn }, killed.paths, true)).toBe(0);
    expect(killed.calls).toEqual({ new: 0, legacy: 1 });
  });

  it("takes the new path for a targeted tenant outside the bucket, counted under reason targeted", async () => {
    const { plane, sdk } = await readyClient();
    const targeted = countingPaths("new", "legacy");
    expect(sdk.gate("schema_v2", { user_id: userOff, tenant_id: "t-42" }, targeted.paths)).toBe("new");
    expect(sdk.gate("schema_v2", { user_id: userOff, tenant_id: "t-7" }, targeted.paths)).toBe("legacy");
    expect(targeted.calls).toEqual({ new: 1, legacy: 1 });
    await until(() => sdk.metricsStatus().recorded === 2 && sdk.metricsStatus().pendingBatches === 0 && delivered(plane.posts).length > 0);
    expect(totals(delivered(plane.posts))).toEqual({
      "schema_v2 new targeted": { count: 1, errors: 0 },
      "schema_v2 legacy rollout": { count: 1, errors: 0 },
    });
  });

  it("rethrows the path's very own error, sync and async, and counts it", async () => {
    const { plane, sdk } = await readyClient();
    const failure = new Error("the new column is missing");
    const rejection = { notAnError: true };

    expect(caught(() => sdk.gate("schema_v2", { user_id: userOn }, { newPath: () => { throw failure; }, legacyPath: () => 0 }))).toBe(failure);
    const asyncFailure = sdk.gate("schema_v2", { user_id: userOn }, { newPath: async () => { throw failure; }, legacyPath: async () => 0 });
    await expect(asyncFailure).rejects.toBe(failure);
    await expect(sdk.gate("schema_v2", { user_id: userOff }, { newPath: () => Promise.resolve(1), legacyPath: () => Promise.reject(rejection) })).rejects.toBe(rejection);
    await expect(sdk.gate("schema_v2", { user_id: userOff }, { newPath: async () => 1, legacyPath: async () => 2 })).resolves.toBe(2);

    await until(() => sdk.metricsStatus().recorded === 4 && sdk.metricsStatus().pendingBatches === 0 && delivered(plane.posts).length > 0);
    expect(totals(delivered(plane.posts))).toEqual({
      "schema_v2 new rollout": { count: 2, errors: 2 },
      "schema_v2 legacy rollout": { count: 2, errors: 1 },
    });
  });

  it("times an async path until its promise settles", async () => {
    const { plane, sdk } = await readyClient();
    const result = await sdk.gate("schema_v2", { user_id: userOn }, { newPath: () => sleep(40).then(() => "done"), legacyPath: async () => "legacy" });
    expect(result).toBe("done");
    // The evaluation is noted when the path starts: a window may close with it and no sample yet.
    await until(() => delivered(plane.posts).some((batch) => batch.entries.length > 0));
    const [entry] = delivered(plane.posts).flatMap((batch) => batch.entries);
    expect(entry).toMatchObject({ flag: "schema_v2", path: "new", reason: "rollout", count: 1 });
    const latency = decodeSketch(Buffer.from(entry!.sketch, "base64")).getValueAtQuantile(0.5);
    expect(latency).toBeGreaterThanOrEqual(38 * 0.99); // timers may fire up to a millisecond early
    expect(latency).toBeLessThan(1_000);
  });

  it("still runs a path for garbage flags and contexts, and throws nothing of its own", async () => {
    const { plane, sdk } = await readyClient();
    const throwingContext = { get user_id(): string { throw new Error("a context that throws"); } };
    const gate = sdk.gate.bind(sdk) as (...args: unknown[]) => unknown;
    const cases: [flag: unknown, context: unknown, fallback: unknown, expected: string][] = [
      [undefined, { user_id: userOn }, undefined, "legacy"],
      [42, { user_id: userOn }, true, "new"],
      [{ key: "schema_v2" }, { user_id: userOn }, undefined, "legacy"],
      ["unknown_flag", { user_id: userOn }, undefined, "legacy"],
      ["unknown_flag", { user_id: userOn }, true, "new"],
      ["Not A Flag Key!", { user_id: userOn }, undefined, "legacy"],
      ["schema_v2", throwingContext, undefined, "legacy"],
      ["schema_v2", null, undefined, "legacy"],
      ["schema_v2", "user-1", "yes", "legacy"],
    ];
    for (const [flag, context, fallback, expected] of cases) {
      const { calls, paths } = countingPaths("new", "legacy");
      expect(gate(flag, context, paths, fallback)).toBe(expected);
      expect(calls[expected as "new" | "legacy"]).toBe(1);
    }

    // Flags the control plane could not take are dropped and counted, not sent.
    await until(() => sdk.metricsStatus().pendingBatches === 0 && totals(delivered(plane.posts))["unknown_flag legacy fallback"] !== undefined);
    expect(sdk.metricsStatus()).toMatchObject({ recorded: 5, dropped: 4 });
    expect(totals(delivered(plane.posts))).toEqual({
      "unknown_flag legacy fallback": { count: 1, errors: 0 },
      "unknown_flag new fallback": { count: 1, errors: 0 },
      "schema_v2 legacy fallback": { count: 1, errors: 0 },
      "schema_v2 legacy unkeyed": { count: 2, errors: 0 },
    });
    expect(delivered(plane.posts).reduce((sum, batch) => sum + batch.dropped, 0)).toBe(4);
  });

  it("runs paths without recording when metrics are off", async () => {
    const { plane, sdk } = await readyClient({ metrics: false });
    expect(sdk.gate("schema_v2", { user_id: userOn }, { newPath: () => 1, legacyPath: () => 0 })).toBe(1);
    sdk.record("schema_v2", "new", "rollout", 1);
    await sleep(150);
    await sdk.close();
    expect(plane.posts).toHaveLength(0);
    expect(sdk.metricsStatus()).toEqual({
      enabled: false,
      recorded: 0,
      dropped: 0,
      batchesSent: 0,
      pendingBatches: 0,
      pendingSamples: 0,
      merged: 0,
      overloaded: false,
      lastRetryAfterMs: null,
    });
  });
});

describe("client.record", () => {
  it("records samples of callers that branch themselves", async () => {
    const { plane, sdk } = await readyClient();
    const { value, reason } = sdk.evaluate("schema_v2", { user_id: userOff });
    sdk.record("schema_v2", value ? "new" : "legacy", reason, 12.5);
    sdk.record("schema_v2", "legacy", reason, 3, true);
    await until(() => delivered(plane.posts).length > 0 && sdk.metricsStatus().pendingBatches === 0);
    expect(totals(delivered(plane.posts))).toEqual({ "schema_v2 legacy rollout": { count: 2, errors: 1 } });
  });

  it("never throws on garbage; drops and counts it", async () => {
    const { sdk } = await readyClient();
    const record = sdk.record.bind(sdk) as (...args: unknown[]) => void;
    const garbage: unknown[][] = [
      [],
      [null, null, null, null, null],
      [Symbol("flag"), "new", "rollout", 1],
      [new Proxy({}, { get: () => { throw new Error("trap"); } }), "new", "rollout", 1],
      ["schema_v2", "new", "rollout"],
      ["schema_v2", "new", "rollout", { valueOf: () => { throw new Error("valueOf"); } }],
      ["schema_v2", { toString: () => "new" }, "rollout", 1],
      ["schema_v2", "new", "rollout", -0.5],
    ];
    for (const args of garbage) expect(() => record(...args)).not.toThrow();
    expect(sdk.metricsStatus()).toMatchObject({ recorded: 0, dropped: garbage.length });
  });
});

describe("metrics delivery", () => {
  it("posts each window with the SDK key, counted per flag × path × reason", async () => {
    const { plane, sdk } = await readyClient();
    const expected: Record<string, { count: number; errors: number }> = {};
    for (let round = 0; round < 3; round++) {
      for (const user of users) {
        const { value, reason } = sdk.evaluate("schema_v2", { user_id: user });
        const failed = user.endsWith("7");
        const key = `schema_v2 ${value ? "new" : "legacy"} ${reason}`;
        expected[key] ??= { count: 0, errors: 0 };
        expected[key].count += 1;
        expected[key].errors += failed ? 1 : 0;
        const path = () => {
          if (failed) throw new Error("the path failed");
        };
        const gated = () => sdk.gate("schema_v2", { user_id: user }, { newPath: path, legacyPath: path });
        if (failed) expect(gated).toThrow("the path failed");
        else expect(gated()).toBeUndefined();
      }
      sdk.gate("schema_v2", { kind: "batch_processor" }, { newPath: () => 1, legacyPath: () => 0 });
      await sleep(60); // spread the calls over several windows
    }
    expected["schema_v2 legacy pinned"] = { count: 3, errors: 0 };

    const deliveredCount = () => Object.values(totals(delivered(plane.posts))).reduce((sum, { count }) => sum + count, 0);
    await until(() => deliveredCount() === 603);
    expect(delivered(plane.posts).length).toBeGreaterThanOrEqual(2);
    expect(totals(delivered(plane.posts))).toEqual(expected);
    expect(Object.values(expected).reduce((sum, { count }) => sum + count, 0)).toBe(603);
    expect(plane.posts.every((post) => post.authorization === "Bearer rps_test-key" && post.contentType === "application/json")).toBe(true);
    const windows = delivered(plane.posts).sort((a, b) => a.windowStart - b.windowStart);
    for (let i = 1; i < windows.length; i++) expect(windows[i]!.windowStart).toBeGreaterThanOrEqual(windows[i - 1]!.windowEnd);
    expect(new Set(windows.map((batch) => batch.instanceId)).size).toBe(1);
  });

  it("retries a 503 and a 429 with the same batch id, and gives up on a 400", async () => {
    const errors: Error[] = [];
    const { plane, sdk } = await readyClient({ onError: (error) => errors.push(error) });
    plane.answers.push(503, 429, 201);
    sdk.record("schema_v2", "new", "rollout", 1);
    await until(() => plane.posts.length === 3 && sdk.metricsStatus().batchesSent === 1);
    expect(plane.posts.map((post) => post.status)).toEqual([503, 429, 201]);
    expect(new Set(plane.posts.map((post) => post.batch.batchId)).size).toBe(1);
    expect(plane.posts[2]!.batch).toEqual(plane.posts[0]!.batch);
    expect(sdk.metricsStatus()).toMatchObject({ recorded: 1, batchesSent: 1, dropped: 0, pendingBatches: 0 });

    plane.answers.push(400);
    sdk.record("schema_v2", "new", "rollout", 1);
    sdk.record("schema_v2", "legacy", "rollout", 1);
    await until(() => plane.posts.length === 4 && sdk.metricsStatus().pendingBatches === 0);
    await sleep(150);
    expect(plane.posts.filter((post) => post.batch.batchId === plane.posts[3]!.batch.batchId)).toHaveLength(1);
    expect(sdk.metricsStatus()).toMatchObject({ recorded: 3, dropped: 2 });
    expect(errors.map((error) => error.message)).toContain(`Rampart answered 400 for ${SDK_METRICS_PATH}`);

    // The next window's batch reports the two lost samples, with no entries of its own.
    await until(() => delivered(plane.posts).some((batch) => batch.dropped === 2));
    expect(delivered(plane.posts).find((batch) => batch.dropped === 2)!.entries).toEqual([]);
    expect(sdk.metricsStatus()).toMatchObject({ batchesSent: 2, pendingBatches: 0 });
  });

  it("drops never-sent batches that no merge keeps within the pending limit, and reports them once it is back", async () => {
    // One batch pending, and it is the one being retried: nothing can merge, so newer windows go.
    const { plane, sdk } = await readyClient({ maxPendingBatches: 1 });
    plane.answers.push(...Array<number>(1_000).fill(503));
    let recorded = 0;
    // Five samples a window until a batch has been pushed out; bounded, in case it never is.
    for (let window = 0; window < 100 && sdk.metricsStatus().dropped === 0; window++) {
      for (let i = 0; i < 5; i++, recorded++) sdk.record("schema_v2", "new", "rollout", 1);
      await sleep(60);
    }
    expect(sdk.metricsStatus().pendingBatches).toBeLessThanOrEqual(1);
    expect(sdk.metricsStatus()).toMatchObject({ merged: 0, overloaded: true, lastRetryAfterMs: null });
    expect(sdk.metricsStatus().dropped).toBeGreaterThan(0);
    expect(delivered(plane.posts)).toHaveLength(0);

    plane.answers.length = 0;
    const dropped = () => delivered(plane.posts).reduce((sum, batch) => sum + batch.dropped, 0);
    await until(() => sdk.metricsStatus().pendingBatches === 0 && dropped() === sdk.metricsStatus().dropped);
    // Every sample arrived, or arrived as a count of what was lost.
    const arrived = totals(delivered(plane.posts))["schema_v2 new rollout"]?.count ?? 0;
    expect(arrived + dropped()).toBe(recorded);
    expect(dropped()).toBeGreaterThanOrEqual(5);
    expect(sdk.metricsStatus()).toMatchObject({ recorded, dropped: dropped() });
  });
});

describe("client.close", () => {
  it("sends the last window", async () => {
    const { plane, sdk } = await readyClient({ flushIntervalMs: 60_000 });
    sdk.gate("schema_v2", { user_id: userOn }, { newPath: () => 1, legacyPath: () => 0 });
    sdk.gate("schema_v2", { user_id: userOff }, { newPath: () => 1, legacyPath: () => 0 });
    expect(plane.posts).toHaveLength(0);
    await sdk.close();
    expect(totals(delivered(plane.posts))).toEqual({
      "schema_v2 new rollout": { count: 1, errors: 0 },
      "schema_v2 legacy rollout": { count: 1, errors: 0 },
    });
    expect(sdk.metricsStatus()).toMatchObject({ batchesSent: 1, pendingBatches: 0, dropped: 0 });
  });

  it("resolves promptly when the control plane is down", async () => {
    const plane = await planeFor();
    await plane.close();
    const sdk = client(plane.url, { flushIntervalMs: 60_000, bootstrap: SNAPSHOT });
    sdk.gate("schema_v2", { user_id: userOn }, { newPath: () => 1, legacyPath: () => 0 });
    const started = Date.now();
    await sdk.close();
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(sdk.metricsStatus()).toMatchObject({ recorded: 1, dropped: 1, batchesSent: 0, pendingBatches: 0 });
  });

  it("resolves within about 2 s when the control plane takes the POST and never answers", async () => {
    const { plane, sdk } = await readyClient({ flushIntervalMs: 60_000 });
    plane.hang = true;
    sdk.gate("schema_v2", { user_id: userOn }, { newPath: () => 1, legacyPath: () => 0 });
    const started = Date.now();
    await sdk.close();
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(1_900);
    expect(took).toBeLessThan(3_000);
    expect(sdk.metricsStatus()).toMatchObject({ recorded: 1, dropped: 1, batchesSent: 0 });
  });
});
