import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { encodeSketch, newLatencySketch } from "@rampart/sdk";
import { afterAll, describe, expect, it } from "vitest";

// A control plane killed with SIGKILL while batches are being written, on the database this run
// uses (PostgreSQL, or PGlite on disk): every acknowledged batch survives, every batch the SDK
// then retries is stored once, and the totals come out exact.

const ADMIN = "rpt_crash-test-admin-token-01";
const SDK_KEY = "rps_crash-test-sdk-key-00001";
const dataDir = process.env.DATABASE_URL ? null : mkdtempSync(path.join(tmpdir(), "rampart-crash-"));
const children: ChildProcess[] = [];

afterAll(() => {
  for (const child of children) child.kill("SIGKILL");
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

async function startControlPlane(): Promise<{ child: ChildProcess; url: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, RAMPART_INIT_ADMIN_TOKEN: ADMIN, RAMPART_INIT_SDK_KEYS: `production:${SDK_KEY}` };
  if (dataDir) env.RAMPART_DATA_DIR = dataDir;
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/control-plane.mts"], { env, stdio: ["ignore", "pipe", "inherit"] });
  children.push(child);
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on("data", (chunk: Buffer) => {
      const match = /listening (\S+)/.exec(chunk.toString());
      if (match) resolve(match[1]);
    });
    child.on("exit", (code) => reject(new Error(`control plane exited with ${code}`)));
  });
  return { child, url };
}

function batchOf(flag: string, requests: number) {
  const sketch = newLatencySketch();
  for (let i = 0; i < requests; i++) sketch.accept(3 + (i % 40));
  const now = Date.now();
  const encoded = Buffer.from(encodeSketch(sketch)).toString("base64");
  return {
    batchId: randomUUID(),
    instanceId: "crash-test",
    windowStart: now - 10_000,
    windowEnd: now,
    dropped: 0,
    entries: [
      { flag, path: "new", reason: "rollout", count: requests, errors: 0, sketch: encoded },
      { flag, path: "legacy", reason: "rollout", count: 1, errors: 0, sketch: Buffer.from(encodeSketch(newLatencySketch())).toString("base64") },
    ],
  };
}

type Batch = ReturnType<typeof batchOf>;

async function post(url: string, batch: Batch): Promise<{ status: number; stored?: boolean }> {
  const response = await fetch(`${url}/api/sdk/metrics`, {
    method: "POST",
    headers: { authorization: `Bearer ${SDK_KEY}`, "content-type": "application/json" },
    body: JSON.stringify(batch),
  });
  const body = (await response.json()) as { stored?: boolean };
  return { status: response.status, stored: body.stored };
}

describe("ingest under kill -9", () => {
  it("keeps every acknowledged batch and counts every retried one once", async () => {
    let { child, url } = await startControlPlane();
    const flag = `crash_${randomUUID().slice(0, 8)}`;
    const created = await fetch(`${url}/api/flags`, { method: "POST", headers: { authorization: `Bearer ${ADMIN}` }, body: JSON.stringify({ key: flag, owner: "sre" }) });
    expect(created.status).toBe(201);

    const batches = Array.from({ length: 400 }, (_, i) => batchOf(flag, 1 + (i % 37)));
    const acked = new Set<string>();
    let next = 0;
    let killed = false;
    // 16 SDKs posting at once, each retrying a shed batch; the control plane dies once 120 are acknowledged.
    const sender = async () => {
      while (next < batches.length && !killed) {
        const batch = batches[next++];
        for (;;) {
          const answer = await post(url, batch).catch(() => null);
          if (answer?.status === 429 && !killed) {
            await new Promise((resolve) => setTimeout(resolve, 50));
            continue;
          }
          if (answer && answer.status < 300) acked.add(batch.batchId);
          break;
        }
        if (acked.size >= 120 && !killed) {
          killed = true;
          child.kill("SIGKILL");
        }
      }
    };
    const exited = new Promise((resolve) => child.once("exit", resolve));
    await Promise.all(Array.from({ length: 16 }, sender));
    expect(killed).toBe(true);
    await exited;
    const ackedBeforeCrash = acked.size;

    ({ child, url } = await startControlPlane());
    // The SDKs retry what was not acknowledged, and some acknowledgements were lost in flight too.
    const retried = [...batches.filter((batch) => !acked.has(batch.batchId)), ...batches.filter((batch) => acked.has(batch.batchId)).slice(0, 30)];
    const answers: { status: number; stored?: boolean }[] = [];
    let cursor = 0;
    const retrier = async () => {
      while (cursor < retried.length) {
        const index = cursor++;
        let answer = await post(url, retried[index]);
        while (answer.status === 429) {
          await new Promise((resolve) => setTimeout(resolve, 50));
          answer = await post(url, retried[index]);
        }
        answers[index] = answer;
      }
    };
    await Promise.all(Array.from({ length: 16 }, retrier));
    expect(answers.every((answer) => answer.status === 201 || answer.status === 200)).toBe(true);
    // What was acknowledged before the crash was durable: its retry is recognised, not stored again.
    const ackedRetries = answers.slice(retried.length - 30);
    expect(ackedRetries.every((answer) => answer.stored === false)).toBe(true);

    const metrics = await fetch(`${url}/api/flags/${flag}/metrics?window=15m`, { headers: { authorization: `Bearer ${ADMIN}` } });
    const { totals } = (await metrics.json()) as { totals: { new: { requests: number }; legacy: { requests: number } } };
    const expected = batches.reduce((sum, batch) => sum + batch.entries[0].count, 0);
    expect(ackedBeforeCrash).toBeGreaterThanOrEqual(120);
    expect(totals.new.requests).toBe(expected);
    expect(totals.legacy.requests).toBe(batches.length);
    child.kill("SIGTERM");
  }, 300_000);
});
