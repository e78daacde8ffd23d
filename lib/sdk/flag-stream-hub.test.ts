import { afterEach, describe, expect, it } from "vitest";
import type { FlagChange } from "@rampart/sdk";
import { getConnection, getDb } from "@/lib/db/client";
import { requireEnvironment } from "@/lib/environments/environment-store";
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

const settle = (ms = 100) => new Promise((resolve) => setTimeout(resolve, ms));

describe("FlagStreamHub LISTEN", () => {
  it("a LISTEN that failed (the database was down) is tried again by the next stream, which then follows changes", async () => {
    const connection = await getConnection();
    let attempts = 0;
    const hub = hubOn({
      ...connection,
      listen: (...args) => (++attempts === 1 ? Promise.reject(new Error("connection refused")) : connection.listen(...args)),
    });
    await expect(subscribed(hub)).rejects.toThrow("connection refused");

    const received = await subscribed(hub);
    expect(attempts).toBe(2);
    const key = await givenFlag("hub_relisten");
    await updateFlagState({ ctx: await testContext(), input: { key, env: "production", patch: { percentage: 5 } } });
    const deadline = Date.now() + 5_000;
    while (!received.some((change) => change.type === "flag" && change.flag.key === key && change.flag.percentage === 5) && Date.now() < deadline) await settle(10);
    expect(received.filter((change) => change.type === "flag" && change.flag.key === key).map((change) => change.type === "flag" && change.flag.percentage)).toContain(5);
  });
});
