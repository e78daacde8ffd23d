import { afterEach, describe, expect, it } from "vitest";
import { createClient, type ClientOptions, type RampartClient } from "./client";
import type { FlagState } from "./flag-state";
import { RampartProvider } from "./openfeature-provider";
import { delivered, fakeControlPlane } from "./fake-control-plane";
import type { FlagSnapshot, MetricsBatch } from "./protocol";

// Every evaluation by key marks the flag evaluated in the metrics window, so Rampart can tell a
// flag still in code (evaluated, never gated) from one removed from it.

function flagState(key: string, overrides: Partial<FlagState> = {}): FlagState {
  return { key, default: false, percentage: 50, rollout: { by: "user_id" }, contexts: {}, killed: false, version: 1, ...overrides };
}

const SNAPSHOT: FlagSnapshot = { environment: "test", cursor: 1, flags: [flagState("schema_v2"), flagState("checkout_v3", { percentage: 100 }), flagState("gated_flag")] };

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function readyClient(options: Partial<ClientOptions> = {}): Promise<{ sdk: RampartClient; batches: () => MetricsBatch[] }> {
  const plane = await fakeControlPlane(SNAPSHOT);
  cleanups.push(plane.close);
  // A long interval: the test decides when the window closes, with close().
  const sdk = createClient({ url: plane.url, sdkKey: "rps_test-key", flushIntervalMs: 60_000, ...options });
  cleanups.push(() => sdk.close());
  expect(await sdk.ready({ timeoutMs: 5_000 })).toBe(true);
  return { sdk, batches: () => delivered(plane.posts) };
}

describe("evaluated flags in metrics batches", () => {
  it("sends a batch for a window with only evaluate() / enabled() calls: evaluated keys, no entries", async () => {
    const { sdk, batches } = await readyClient();
    for (let i = 0; i < 100; i++) sdk.evaluate("schema_v2", { user_id: `user-${i}` });
    expect(sdk.enabled("checkout_v3", { user_id: "user-1" })).toBe(true);
    // A key this client has no state for is still in the caller's code.
    sdk.evaluate("not_loaded_yet", { user_id: "user-1" });
    const evaluate = sdk.evaluate.bind(sdk) as (...args: unknown[]) => unknown;
    evaluate("Not A Flag Key!", {});
    evaluate(42, {});
    await sdk.close();

    expect(batches()).toHaveLength(1);
    expect(batches()[0]).toMatchObject({ entries: [], dropped: 0, evaluated: ["checkout_v3", "not_loaded_yet", "schema_v2"] });
    expect(sdk.metricsStatus()).toMatchObject({ recorded: 0, dropped: 0, batchesSent: 1 });
  });

  it("lists gate() keys with their entries", async () => {
    const { sdk, batches } = await readyClient();
    sdk.gate("gated_flag", { user_id: "user-1" }, { newPath: () => 1, legacyPath: () => 0 });
    sdk.enabled("schema_v2", { user_id: "user-1" });
    await sdk.close();

    expect(batches()).toHaveLength(1);
    expect(batches()[0]!.evaluated).toEqual(["gated_flag", "schema_v2"]);
    expect(batches()[0]!.entries.map((entry) => entry.flag)).toEqual(["gated_flag"]);
  });

  it("lists flags evaluated through the OpenFeature provider", async () => {
    const { sdk, batches } = await readyClient();
    const provider = new RampartProvider(sdk);
    await provider.resolveBooleanEvaluation("checkout_v3", false, { targetingKey: "user-1" });
    await sdk.close();
    expect(batches().flatMap((batch) => batch.evaluated ?? [])).toEqual(["checkout_v3"]);
  });

  it("starts each window afresh: a flag no longer evaluated drops out", async () => {
    const { sdk, batches } = await readyClient({ flushIntervalMs: 50 });
    sdk.evaluate("schema_v2", { user_id: "user-1" });
    const deadline = Date.now() + 5_000;
    while (batches().length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(batches()[0]!.evaluated).toEqual(["schema_v2"]);
    sdk.evaluate("checkout_v3", { user_id: "user-1" });
    await sdk.close();
    // close() may cut the first POST's answer short and resend it: the same batch id, stored once.
    expect(batches().map((batch) => batch.evaluated)).toEqual([["schema_v2"], ["checkout_v3"]]);
  });

  it("notes nothing when metrics are off", async () => {
    const { sdk, batches } = await readyClient({ metrics: false });
    sdk.evaluate("schema_v2", { user_id: "user-1" });
    sdk.enabled("checkout_v3", { user_id: "user-1" });
    sdk.gate("gated_flag", { user_id: "user-1" }, { newPath: () => 1, legacyPath: () => 0 });
    await sdk.close();
    expect(batches()).toEqual([]);
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
