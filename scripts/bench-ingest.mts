// npm run bench:ingest — realistic SDK metrics batches (20 flags × 2 paths = 40 entries, sketches
// made by the SDK's own encoder) posted open-loop at rising rates to the built control plane, each
// from its own simulated instance; ack latency, throughput and 429s per rate. Embedded database by
// default; DATABASE_URL for PostgreSQL; BENCH_INSTANCES=2 runs two control planes on it.
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { Agent, request } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { encodeSketch, newLatencySketch } from "@rampart/sdk";

const RATES = (process.env.BENCH_RATES ?? "25,50,100,150,200,250,300,400").split(",").map(Number);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const INSTANCES = Number(process.env.BENCH_INSTANCES ?? 1);
const BASE_PORT = Number(process.env.BENCH_PORT ?? 3300);
const FLAGS = 20;
const adminToken = "rpt_bench-ingest-admin-token-01";
const sdkKey = "rps_bench-ingest-sdk-key-00001";
const dataDir = process.env.DATABASE_URL ? null : mkdtempSync(path.join(tmpdir(), "rampart-bench-ingest-"));
const databaseName = process.env.DATABASE_URL ? "PostgreSQL" : "PGlite";
if (INSTANCES > 1 && !process.env.DATABASE_URL) throw new Error("several instances need DATABASE_URL (PGlite is one process)");

const servers: ChildProcess[] = [];
const env = {
  ...process.env,
  NEXT_TELEMETRY_DISABLED: "1",
  RAMPART_INIT_ADMIN_TOKEN: adminToken,
  RAMPART_INIT_SDK_KEYS: `production:${sdkKey}`,
  ...(dataDir ? { RAMPART_DATA_DIR: dataDir } : {}),
};
// The first builds if needed (scripts/start.mjs); the others serve the same build. BENCH_EXTERNAL=1
// uses a control plane already listening on BENCH_PORT (to profile it, say).
if (!process.env.BENCH_EXTERNAL) {
  servers.push(spawn(process.execPath, ["scripts/start.mjs"], { env: { ...env, PORT: String(BASE_PORT) }, stdio: ["ignore", "ignore", "inherit"] }));
}
const urls = Array.from({ length: INSTANCES }, (_, i) => `http://127.0.0.1:${BASE_PORT + i}`);
const agent = new Agent({ keepAlive: true, maxSockets: 512 });

function post(url: string, pathname: string, body: string, token: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}${pathname}`, { method: "POST", agent, headers: { authorization: `Bearer ${token}`, "content-type": "application/json", "content-length": Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", reject);
    req.end(body);
  });
}

async function waitFor(url: string): Promise<void> {
  const deadline = Date.now() + 240_000;
  while (Date.now() < deadline) {
    const up = await fetch(`${url}/api/sdk/flags`, { headers: { authorization: `Bearer ${sdkKey}` } }).then((r) => r.ok, () => false);
    if (up) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${url} did not start`);
}

/** A path's latency over one 10 s window of a busy instance: lognormal around 20 ms, a slow tail. */
function realisticSketch(scale: number): string {
  const sketch = newLatencySketch();
  for (let i = 0; i < 2_000; i++) {
    const gaussian = Math.sqrt(-2 * Math.log(1 - Math.random())) * Math.cos(2 * Math.PI * Math.random());
    sketch.accept(scale * Math.exp(3 + 0.6 * gaussian) * (Math.random() < 0.01 ? 8 : 1));
  }
  return Buffer.from(encodeSketch(sketch)).toString("base64");
}

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

try {
  await waitFor(urls[0]);
  for (let i = 1; i < INSTANCES; i++) {
    servers.push(spawn(process.execPath, ["scripts/server.mjs"], { env: { ...env, PORT: String(BASE_PORT + i) }, stdio: ["ignore", "ignore", "inherit"] }));
    await waitFor(urls[i]);
  }
  const run = Date.now().toString(36);
  const flagKeys = Array.from({ length: FLAGS }, (_, i) => `bench_ingest_${run}_${i}`);
  for (const key of flagKeys) {
    const status = await post(urls[0], "/api/flags", JSON.stringify({ key, owner: "bench" }), adminToken);
    if (status !== 201) throw new Error(`creating ${key} answered ${status}`);
  }
  // A few distinct batch bodies; each post gets a fresh batch id and instance id spliced in.
  const templates = Array.from({ length: 8 }, () => {
    const entries = flagKeys.flatMap((flag) =>
      (["new", "legacy"] as const).map((path) => ({ flag, path, reason: "rollout", count: 2_000, errors: path === "new" ? 3 : 1, sketch: realisticSketch(path === "new" ? 1.1 : 1) })),
    );
    return JSON.stringify({ batchId: "BATCH_ID", instanceId: "INSTANCE_ID", windowStart: 0, windowEnd: 0, dropped: 0, entries });
  });
  console.log(`\nbench:ingest — ${databaseName}, ${INSTANCES} control-plane instance(s), ${FLAGS * 2}-entry batches of ${Math.round(templates[0].length / 1024)} KB, ${SECONDS} s per rate\n`);
  console.log("| offered batches/s | simulated instances (10 s flush) | acked/s | 429/s | other | ack p50 | ack p99 | ack max |");
  console.log("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");

  for (const rate of RATES) {
    const latencies: number[] = [];
    let shed = 0;
    const others = new Map<string, number>();
    const countOther = (what: string) => void others.set(what, (others.get(what) ?? 0) + 1);
    const inFlight: Promise<void>[] = [];
    const started = performance.now();
    const total = rate * SECONDS;
    for (let i = 0; i < total; i++) {
      const due = started + (i * 1000) / rate;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
      const now = Date.now();
      const body = templates[i % templates.length]
        .replace("BATCH_ID", randomUUID())
        .replace("INSTANCE_ID", `bench-${rate}-${i % (rate * 10)}`)
        .replace('"windowStart":0', `"windowStart":${now - 10_000}`)
        .replace('"windowEnd":0', `"windowEnd":${now}`);
      const sent = performance.now();
      inFlight.push(
        post(urls[i % urls.length], "/api/sdk/metrics", body, sdkKey).then(
          (status) => {
            if (status === 201) latencies.push(performance.now() - sent);
            else if (status === 429) shed += 1;
            else countOther(String(status));
          },
          (error: NodeJS.ErrnoException) => countOther(error.code ?? error.message),
        ),
      );
    }
    await Promise.all(inFlight);
    const elapsed = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    const fmt = (ms: number) => `${Math.round(ms)} ms`;
    console.log(
      `| ${rate} | ${rate * 10} | ${(latencies.length / elapsed).toFixed(1)} | ${(shed / elapsed).toFixed(1)} | ${[...others].map(([what, n]) => `${n} × ${what}`).join(", ") || 0} | ${fmt(percentile(latencies, 50))} | ${fmt(percentile(latencies, 99))} | ${fmt(latencies.at(-1) ?? NaN)} |`,
    );
    await new Promise((resolve) => setTimeout(resolve, 2_000));
  }
  console.log(`\ntarget: ≥ 250 batches/s on PostgreSQL, ≥ 60/s on PGlite, with ack p99 ≤ 500 ms`);
} finally {
  agent.destroy();
  for (const server of servers) server.kill("SIGTERM");
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}
