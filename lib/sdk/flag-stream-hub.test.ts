import { afterEach, describe, expect, it } from "vitest";
import type { FlagChange } from "@rampart/sdk";
import { getConnection, getDb } from "@/lib/db/client";
import { requireEnvironment } from "@/lib/environments/environment-store";
import { FLAG_CHANGES_CHANNEL, NOTIFY_PROBE_PREFIX } from "@/lib/propagation/flag-changes";
import { givenFlag, testContext } from "@/testing/api";
import { updateFlagState } from "@/lib/flags/update-flag-state";
import { FlagStreamHub } from "./flag-stream-hub";
import { readNewestChangeSeq } from "./flag-snapshot";

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function production() {
  return requireEnvironment(await getDb(), "production");
}

/** A hub fed from now on, collecting what it sends its one stream. */
async function subscribed(hub: FlagStreamHub): Promise<FlagChange[]> {
  const environment = await production();
  const received: FlagChange[] = [];
  const stop = await hub.subscribe(environment, await readNewestChangeSeq(await getDb(), environment.id), (changes) => received.push(...changes));
  cleanups.push(async () => stop());
  return received;
}

function hubOn(connection: Awaited<ReturnType<typeof getConnection>>): FlagStreamHub {
  const hub = new FlagStreamHub(connection);
  cleanups.push(() => hub.close());
  return hub;
}

/** Every probe payload NOTIFYed on the flag-change channel while the test runs. */
async function probesSeen(): Promise<string[]> {
  const seen: string[] = [];
  const stop = await (await getConnection()).listen(FLAG_CHANGES_CHANNEL, (payload) => {
    if (payload.startsWith(NOTIFY_PROBE_PREFIX)) seen.push(payload);
  });
  cleanups.push(stop);
  return seen;
}

const settle = (ms = 100) => new Promise((resolve) => setTimeout(resolve, ms));

describe("FlagStreamHub NOTIFY lag", () => {
  it("is null until the hub listens; then a probe comes back within a second and reaches no stream", async () => {
    const hub = hubOn(await getConnection());
    expect(await hub.notifyLag()).toBeNull();
    const received = await subscribed(hub);

    const lag = await hub.notifyLag();
    expect(lag).not.toBeNull();
    expect(lag!).toBeGreaterThan(0);
    expect(lag!).toBeLessThan(1);
    await settle();
    expect(received).toEqual([]);
  });

  it("reads as the timeout when the probe never comes back", async () => {
    const connection = await getConnection();
    // A listener that hears nothing, as one whose connection silently stopped would.
    const hub = hubOn({ ...connection, listen: async () => async () => undefined });
    await subscribed(hub);
    expect(await hub.notifyLag(150)).toBe(0.15);
  });

  it("sends one probe for many scrapes at once, and reuses its answer for a second", async () => {
    const seen = await probesSeen();
    const hub = hubOn(await getConnection());
    await subscribed(hub);

    const answers = await Promise.all(Array.from({ length: 50 }, () => hub.notifyLag()));
    expect(new Set(answers).size).toBe(1);
    expect(await hub.notifyLag()).toBe(answers[0]);
    await settle();
    expect(seen).toHaveLength(1);
  });

  it("another hub's probe passes by: it answers nothing and reaches no stream", async () => {
    const seen = await probesSeen();
    const prober = hubOn(await getConnection());
    const bystander = hubOn(await getConnection());
    await subscribed(prober);
    const bystanderReceived = await subscribed(bystander);

    await prober.notifyLag();
    await settle();
    expect(seen).toHaveLength(1);
    expect(bystanderReceived).toEqual([]);
    // The bystander's own probe is its own: a second NOTIFY, not the prober's answer reused.
    expect(await bystander.notifyLag()).not.toBeNull();
    await settle();
    expect(seen).toHaveLength(2);
  });
});

describe("FlagStreamHub LISTEN", () => {
  it("a LISTEN that failed (the database was down) is tried again by the next stream, which then follows changes", async () => {
    const connection = await getConnection();
    let attempts = 0;
    const hub = hubOn({
      ...connection,
      listen: (...args) => (++attempts === 1 ? Promise.reject(new Error("connection refused")) : connection.listen(...args)),
    });
    await expect(subscribed(hub)).rejects.toThrow("connection refused");
    expect(await hub.notifyLag()).toBeNull();

    const received = await subscribed(hub);
    expect(attempts).toBe(2);
    const key = await givenFlag("hub_relisten");
    await updateFlagState({ ctx: await testContext(), input: { key, env: "production", patch: { percentage: 5 } } });
    const deadline = Date.now() + 5_000;
    while (!received.some((change) => change.type === "flag" && change.flag.key === key && change.flag.percentage === 5) && Date.now() < deadline) await settle(10);
    expect(received.filter((change) => change.type === "flag" && change.flag.key === key).map((change) => change.type === "flag" && change.flag.percentage)).toContain(5);
  });
});
