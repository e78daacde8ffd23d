import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { addDestination } from "@/lib/notifications/destinations";
import { createEnvironment } from "@/lib/environments/create-environment";
import { killFlag, restoreFlag } from "@/lib/flags/kill-switch";
import { getDb, notificationDestinations } from "@/testing/db";
import { givenFlag, testContext } from "@/testing/api";
import { uniqueKey } from "@/testing/unique-key";
import { startWebhookReceiver, type WebhookReceiver } from "@/testing/webhook-receiver";

// Notification delivery across instances on one PostgreSQL: two control planes, one delivers
// (the advisory lock), each event once; the deliverer killed with SIGKILL mid-retry, the other
// takes over and everything pending arrives.

const SECRET = "delivery leader test key 0123456789abcdef0123";
const saved = { key: process.env.RAMPART_SECRET_KEY, allow: process.env.RAMPART_WEBHOOK_ALLOW_PRIVATE };
const children: ChildProcess[] = [];
let env: string;
let receiver: WebhookReceiver;

beforeAll(async () => {
  process.env.RAMPART_SECRET_KEY = SECRET;
  process.env.RAMPART_WEBHOOK_ALLOW_PRIVATE = "1";
  env = uniqueKey("deliver").replace(/_/g, "-").slice(0, 30);
  await createEnvironment({ ctx: await testContext(), input: { key: env, name: env } });
});
afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  await receiver?.close();
  await (await getDb()).delete(notificationDestinations);
});
afterAll(() => {
  for (const [name, value] of [["RAMPART_SECRET_KEY", saved.key], ["RAMPART_WEBHOOK_ALLOW_PRIVATE", saved.allow]] as const) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

async function until<T>(what: string, read: () => T | Promise<T>, timeoutMs = 60_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const LEADS = "[rampart] notifications: this instance now leads notification delivery";

async function startChild(): Promise<{ child: ChildProcess; output: string[] }> {
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/control-plane.mts"], {
    env: { ...process.env, RAMPART_SECRET_KEY: SECRET, RAMPART_WEBHOOK_ALLOW_PRIVATE: "1", RAMPART_DELIVERY_INTERVAL_MS: "200" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  children.push(child);
  const output: string[] = [];
  createInterface({ input: child.stdout! }).on("line", (line) => output.push(line));
  await until("the child control plane listens", () => {
    if (child.exitCode !== null) throw new Error(`the child control plane exited with ${child.exitCode}`);
    return output.some((line) => line.startsWith("listening "));
  });
  return { child, output };
}

async function givenEvents(flagCount: number): Promise<number> {
  const ctx = await testContext();
  for (let i = 0; i < flagCount; i++) {
    const key = await givenFlag("delivered");
    await killFlag({ ctx, input: { key, env, reason: "p99 doubled" } });
    await restoreFlag({ ctx, input: { key, env, reason: "fixed" } });
  }
  return flagCount * 2;
}

describe("notification delivery across two instances", () => {
  it("delivers each event exactly once, in order per flag", async () => {
    receiver = await startWebhookReceiver();
    await addDestination(await testContext(), { name: uniqueKey("hook"), kind: "webhook", url: receiver.url, eventTypes: ["kill", "restore"], environments: [env], minSeverity: "info", enabled: true, staleDigest: false });
    const [first, second] = await Promise.all([startChild(), startChild()]);
    await until("one child leads", () => first.output.includes(LEADS) || second.output.includes(LEADS));
    const expected = await givenEvents(10);
    await until("every event arrives", () => receiver.accepted().length >= expected);
    await new Promise((resolve) => setTimeout(resolve, 1_000)); // time for a duplicate to show up
    const got = receiver.accepted().map((r) => r.json as { id: string; flag: string; type: string });
    expect(got).toHaveLength(expected);
    expect(new Set(got.map((event) => event.id)).size).toBe(expected);
    for (const flag of new Set(got.map((event) => event.flag))) {
      expect(got.filter((event) => event.flag === flag).map((event) => event.type)).toEqual(["kill", "restore"]);
    }
  });

  it("the deliverer killed with SIGKILL while retrying: the other instance delivers everything", async () => {
    receiver = await startWebhookReceiver();
    receiver.setDown(true);
    await addDestination(await testContext(), { name: uniqueKey("hook"), kind: "webhook", url: receiver.url, eventTypes: ["kill", "restore"], environments: [env], minSeverity: "info", enabled: true, staleDigest: false });
    const [first, second] = await Promise.all([startChild(), startChild()]);
    const leader = await until("one child leads", () => (first.output.includes(LEADS) ? first : second.output.includes(LEADS) ? second : null));
    const standby = leader === first ? second : first;
    const expected = await givenEvents(3);
    await until("the leader has tried and failed", () => receiver.received.length >= 3);
    leader.child.kill("SIGKILL");
    receiver.setDown(false);
    await until("the standby takes the lead", () => standby.output.includes(LEADS));
    await until("every event arrives", () => new Set(receiver.accepted().map((r) => r.json.id)).size >= expected, 90_000);
    const got = receiver.accepted().map((r) => r.json as { id: string; flag: string; type: string });
    for (const flag of new Set(got.map((event) => event.flag))) {
      expect([...new Set(got.filter((event) => event.flag === flag).map((event) => event.type))]).toEqual(["kill", "restore"]);
    }
  }, 120_000);
});
