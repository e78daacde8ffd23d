import { spawn, type ChildProcess } from "node:child_process";
import { createClient } from "@rampart/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { updateFlagState } from "@/lib/flags/update-flag-state";
import { givenFlag, givenSdkKey, givenToken, testContext } from "@/testing/api";
import { startControlPlaneServer, type ControlPlaneServer } from "@/testing/control-plane-server";

// Two control-plane processes on one PostgreSQL: this test process and a child. A change
// committed through either reaches SDK streams on the other through LISTEN/NOTIFY.

let child: ChildProcess;
let childUrl: string;
let local: ControlPlaneServer;

beforeAll(async () => {
  child = spawn(process.execPath, ["--import", "tsx", "scripts/control-plane.mts"], { env: process.env, stdio: ["ignore", "pipe", "inherit"] });
  childUrl = await new Promise<string>((resolve, reject) => {
    child.stdout!.on("data", (chunk: Buffer) => {
      const match = /listening (\S+)/.exec(chunk.toString());
      if (match) resolve(match[1]);
    });
    child.on("exit", (code) => reject(new Error(`control plane exited with ${code}`)));
  });
  local = await startControlPlaneServer();
}, 60_000);

afterAll(async () => {
  child?.kill("SIGTERM");
  await local?.close();
});

async function until(condition: () => boolean, timeoutMs = 5_000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe("two control-plane processes on one PostgreSQL", () => {
  it("a change committed here reaches an SDK streaming from the other process", async () => {
    const key = await givenFlag("cross_instance");
    const sdk = createClient({ url: childUrl, sdkKey: await givenSdkKey() });
    try {
      expect(await sdk.ready()).toBe(true);
      await updateFlagState({ ctx: await testContext(), input: { key, env: "production", patch: { percentage: 33 } } });
      await until(() => sdk.flag(key)?.percentage === 33);
      expect(sdk.flag(key)?.version).toBe(2);
    } finally {
      await sdk.close();
    }
  });

  it("a PATCH on the other process reaches an SDK streaming from this one", async () => {
    const key = await givenFlag("cross_instance_back");
    const sdk = createClient({ url: local.url, sdkKey: await givenSdkKey() });
    const { secret } = await givenToken("operator");
    try {
      expect(await sdk.ready()).toBe(true);
      const response = await fetch(`${childUrl}/api/flags/${key}`, {
        method: "PATCH",
        headers: { authorization: `Bearer ${secret}` },
        body: JSON.stringify({ percentage: 75 }),
      });
      expect(response.status).toBe(200);
      await until(() => sdk.flag(key)?.percentage === 75);
    } finally {
      await sdk.close();
    }
  });
});
