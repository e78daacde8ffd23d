import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createClient, type RampartClient } from "@rampart/sdk";
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { flags } from "@/db/schema";
import { getDb } from "@/lib/db/client";
import { killFlag } from "@/lib/flags/kill-switch";
import { updateFlagState } from "@/lib/flags/update-flag-state";
import { startControlPlaneServer, type ControlPlaneServer } from "@/testing/control-plane-server";
import { givenFlag, givenSdkKey, givenToken, testContext } from "@/testing/api";

// Heartbeats every 200 ms so the idle-stream test is quick; read when the stream module loads.
process.env.RAMPART_SSE_HEARTBEAT_MS = "200";

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function server(port = 0): Promise<ControlPlaneServer> {
  const started = await startControlPlaneServer(port);
  cleanups.push(() => started.close());
  return started;
}

function client(url: string, sdkKey: string, options: Partial<Parameters<typeof createClient>[0]> = {}): RampartClient {
  const created = createClient({ url, sdkKey, backoff: { minMs: 20, maxMs: 200 }, ...options });
  cleanups.push(() => created.close());
  return created;
}

async function setPercentage(key: string, percentage: number, env = "production") {
  return updateFlagState({ ctx: await testContext(), input: { key, env, patch: { percentage } } });
}

async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const everyone = Array.from({ length: 200 }, (_, i) => ({ user_id: `user-${i}` }));

describe("SDK snapshot and stream", () => {
  it("loads the environment's flags, then follows changes as they commit", async () => {
    const key = await givenFlag("schema_v2");
    await setPercentage(key, 100);
    const { url } = await server();
    const sdk = client(url, await givenSdkKey("production"));

    expect(await sdk.ready({ timeoutMs: 5_000 })).toBe(true);
    expect(sdk.enabled(key, { user_id: "user-1" })).toBe(true);
    expect(sdk.evaluate(key, { user_id: "user-1" }).reason).toBe("rollout");

    await killFlag({ ctx: await testContext(), input: { key, env: "production" } });
    await until(() => sdk.flag(key)?.killed === true);
    expect(everyone.some((user) => sdk.enabled(key, user))).toBe(false);
    expect(sdk.evaluate(key, { user_id: "user-1" }).reason).toBe("killed");
  });

  it("sends targets in the snapshot ([] when none) and streams a target added to a connected SDK within a second", async () => {
    const key = await givenFlag("targets_stream");
    const { url } = await server();
    const sdkKey = await givenSdkKey("production");
    const snapshot = await (await fetch(`${url}/api/sdk/flags`, { headers: { authorization: `Bearer ${sdkKey}` } })).json();
    expect(snapshot.flags.find((f: { key: string }) => f.key === key)).toMatchObject({ targets: [], version: 1 });

    const sdk = client(url, sdkKey);
    expect(await sdk.ready({ timeoutMs: 5_000 })).toBe(true);
    const targets = [{ attribute: "tenant_id", value: true, values: ["t-42"] }];
    const { state } = await updateFlagState({ ctx: await testContext(), input: { key, env: "production", patch: { targets } } });
    const committed = Date.now();

    // The SDK's type may not name `targets` yet; the wire state carries it all the same.
    const targetsOf = () => (sdk.flag(key) as { targets?: unknown } | undefined)?.targets;
    await until(() => sdk.flag(key)?.version === state.version, 1_000);
    expect(Date.now() - committed).toBeLessThan(1_000);
    expect(targetsOf()).toEqual(targets);
  });

  it("serves only the SDK key's environment and refuses other credentials", async () => {
    const key = await givenFlag("scoped_sdk");
    await setPercentage(key, 100, "staging");
    const { url } = await server();
    const staging = await givenSdkKey("staging");

    const snapshot = await (await fetch(`${url}/api/sdk/flags`, { headers: { authorization: `Bearer ${staging}` } })).json();
    expect(snapshot.environment).toBe("staging");
    expect(snapshot.flags.find((f: { key: string }) => f.key === key)).toMatchObject({ percentage: 100, version: 2 });

    const { secret } = await givenToken("admin");
    expect((await fetch(`${url}/api/sdk/flags`, { headers: { authorization: `Bearer ${secret}` } })).status).toBe(403);
    expect((await fetch(`${url}/api/sdk/stream`)).status).toBe(401);
  });

  it("answers 304 to an unchanged snapshot and leaves archived flags out", async () => {
    const key = await givenFlag("archived_soon");
    const { url } = await server();
    const headers = { authorization: `Bearer ${await givenSdkKey("production")}` };
    const first = await fetch(`${url}/api/sdk/flags`, { headers });
    const etag = first.headers.get("etag")!;
    expect((await first.json()).flags.map((f: { key: string }) => f.key)).toContain(key);
    expect((await fetch(`${url}/api/sdk/flags`, { headers: { ...headers, "if-none-match": etag } })).status).toBe(304);

    const db = await getDb();
    await db.update(flags).set({ archivedAt: new Date() }).where(eq(flags.key, key));
    const after = await (await fetch(`${url}/api/sdk/flags`, { headers })).json();
    expect(after.flags.map((f: { key: string }) => f.key)).not.toContain(key);
  });

  it("sends heartbeats on an idle stream", async () => {
    const { url } = await server();
    const response = await fetch(`${url}/api/sdk/stream`, { headers: { authorization: `Bearer ${await givenSdkKey()}`, "last-event-id": "999999999" } });
    expect(response.headers.get("content-type")).toMatch(/text\/event-stream/);
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let received = "";
    const started = Date.now();
    while (!received.includes(": heartbeat") && Date.now() - started < 3_000) received += (await reader.read()).value ?? "";
    await reader.cancel();
    expect(received).toContain(": heartbeat");
  });
});

describe("SDK through control-plane outages", () => {
  it("resumes after the control plane restarts without missing a change", async () => {
    const key = await givenFlag("resume");
    const first = await startControlPlaneServer();
    const sdk = client(first.url, await givenSdkKey());
    await sdk.ready();

    await first.close();
    for (const percentage of [5, 25, 50]) await setPercentage(key, percentage);
    const other = await givenFlag("created_while_down");
    await server(first.port);

    await until(() => sdk.flag(key)?.percentage === 50 && sdk.flag(other) !== undefined);
    expect(sdk.flag(key)?.version).toBe(4);
    expect(sdk.status()).toMatchObject({ connected: true, source: "control-plane" });
  });

  it("keeps serving the last known state while the control plane is down", async () => {
    const key = await givenFlag("last_known");
    await setPercentage(key, 50);
    const running = await startControlPlaneServer();
    const sdk = client(running.url, await givenSdkKey());
    await sdk.ready();
    const before = everyone.map((user) => sdk.enabled(key, user));
    expect(before.filter(Boolean).length).toBeGreaterThan(60);

    await running.close();
    await until(() => !sdk.status().connected);
    expect(everyone.map((user) => sdk.enabled(key, user))).toEqual(before);
  });

  it("serves the fallback while the control plane is down at start, then the real state once it is up", async () => {
    const key = await givenFlag("late_start");
    await setPercentage(key, 100);
    const probe = await startControlPlaneServer();
    await probe.close();

    const sdk = client(probe.url, await givenSdkKey());
    expect(await sdk.ready({ timeoutMs: 200 })).toBe(false);
    expect(sdk.enabled(key, { user_id: "user-1" })).toBe(false);
    expect(sdk.enabled(key, { user_id: "user-1" }, true)).toBe(true);
    expect(sdk.evaluate(key, { user_id: "user-1" }).reason).toBe("fallback");

    await server(probe.port);
    expect(await sdk.ready({ timeoutMs: 5_000 })).toBe(true);
    expect(sdk.enabled(key, { user_id: "user-1" })).toBe(true);
  });

  it("restarted during an outage, serves the state it cached on disk", async () => {
    const key = await givenFlag("cached");
    await setPercentage(key, 100);
    const cacheFile = path.join(mkdtempSync(path.join(tmpdir(), "rampart-sdk-")), "flags.json");
    const running = await server();
    const sdkKey = await givenSdkKey();
    const first = createClient({ url: running.url, sdkKey, cacheFile });
    await first.ready();
    await first.close();
    await running.close();

    const restarted = client(running.url, sdkKey, { cacheFile });
    expect(restarted.status().source).toBe("bootstrap");
    expect(restarted.enabled(key, { user_id: "user-1" })).toBe(true);
  });

  it("a control plane that goes down never surfaces in gated calls", async () => {
    const key = await givenFlag("down_gated");
    await setPercentage(key, 50);
    const running = await startControlPlaneServer();
    const sdk = client(running.url, await givenSdkKey(), { flushIntervalMs: 20, maxPendingBatches: 2 });
    await sdk.ready();
    await running.close();

    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    try {
      const answers: string[] = [];
      for (let round = 0; round < 10; round++) {
        for (const user of everyone) {
          answers.push(await sdk.gate(key, user, { newPath: async () => "new", legacyPath: async () => "legacy" }));
        }
        await new Promise((resolve) => setTimeout(resolve, 30));
      }
      expect(answers).toHaveLength(everyone.length * 10);
      expect(answers.filter((answer) => answer === "new").length).toBeGreaterThan(everyone.length * 3);
      expect(unhandled).toEqual([]);
      // Batches it could not deliver are merged (past the limits, dropped and counted), never thrown at the caller.
      await until(() => sdk.metricsStatus().merged > 0);
      expect(sdk.metricsStatus().pendingBatches).toBeLessThanOrEqual(2);
      expect(sdk.metricsStatus().pendingSamples).toBeGreaterThan(0);
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
  });

  it("close() leaves nothing that keeps the process alive", async () => {
    const key = await givenFlag("no_handles");
    const { url } = await server();
    const sdkKey = await givenSdkKey();
    const script = `
      const { createClient } = await import("@rampart/sdk");
      const sdk = createClient({ url: ${JSON.stringify(url)}, sdkKey: ${JSON.stringify(sdkKey)} });
      if (!(await sdk.ready({ timeoutMs: 5000 }))) process.exit(2);
      console.log(sdk.flag(${JSON.stringify(key)}) ? "loaded" : "missing");
      await sdk.close();`;
    const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { cwd: process.cwd() });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    const started = Date.now();
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    expect(output.trim()).toBe("loaded");
    expect(code).toBe(0);
    // It exits by itself once close() returns: no socket or timer held it open.
    expect(Date.now() - started).toBeLessThan(8_000);
  });
});

describe("SDK metrics reach the control plane", () => {
  it("gate() samples are flushed, stored per path and answered by the metrics query", async () => {
    const key = await givenFlag("gated");
    await setPercentage(key, 50);
    const { url } = await server();
    const sdk = client(url, await givenSdkKey(), { flushIntervalMs: 100 });
    await sdk.ready();

    let legacyCalls = 0;
    for (const user of everyone) sdk.gate(key, user, { newPath: () => "new", legacyPath: () => (legacyCalls++, "legacy") });
    expect(() => sdk.gate(key, { user_id: "user-x" }, { newPath: () => { throw new Error("boom"); }, legacyPath: () => { throw new Error("boom"); } })).toThrow("boom");

    const { readFlagMetrics } = await import("@/lib/metrics/read-flag-metrics");
    const db = await getDb();
    let answer = await readFlagMetrics({ db, key, env: "production", window: "15m" });
    const deadline = Date.now() + 5_000;
    while (answer.totals.new.requests + answer.totals.legacy.requests < everyone.length + 1 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      answer = await readFlagMetrics({ db, key, env: "production", window: "15m" });
    }
    expect(answer.totals.legacy.requests + answer.totals.new.requests).toBe(everyone.length + 1);
    // Every legacy call is counted, plus the failing call when it took the legacy path.
    expect(answer.totals.legacy.requests - answer.totals.legacy.errors).toBe(legacyCalls);
    expect(answer.totals.new.errors + answer.totals.legacy.errors).toBe(1);
    expect(answer.evaluations.rollout).toBe(everyone.length + 1);
    expect(answer.newShare).toBeGreaterThan(0.3);
    expect(answer.newShare).toBeLessThan(0.7);
  });
});
