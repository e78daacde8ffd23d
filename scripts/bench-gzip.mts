// npm run bench:gzip — does gzipping an SDK metrics batch pay? A realistic batch (20 flags × 2
// paths = 40 entries, lognormal latencies recorded through the SDK's own PathMetrics and sketch
// encoder) at three loads: bytes raw and gzipped, the SDK's cost to gzip one batch, and the control
// plane's cost to inflate it (as lib/http/request-body.ts does). Results: docs/benchmarks.md.
import os from "node:os";
import { promisify } from "node:util";
import { gunzip, gunzipSync, gzip, gzipSync } from "node:zlib";
import { PathMetrics, type MetricsBatch } from "@rampart/sdk";

const FLAGS = 20;
const ITERATIONS = 300;
const WARMUP = 30;
const LIMIT = 1024 * 1024; // MAX_METRICS_BODY_BYTES: what the route inflates to at most
const SDK_LEVEL = 1; // GZIP_LEVEL in sdk/src/metrics-flusher.ts
const gunzipAsync = promisify(gunzip);
const gzipAsync = promisify(gzip);

/** A seeded generator, so every run measures the same batch. */
function mulberry32(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One 10 s window of a service: each flag's two paths, lognormal around a few ms with a long tail. */
function windowBatch(samplesPerEntry: number, seed: number): MetricsBatch {
  const random = mulberry32(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const metrics = new PathMetrics({ instanceId: "orders-7f9c4b-2", windowStart: Date.now() - 10_000 });
  for (let flag = 0; flag < FLAGS; flag++) {
    const key = `checkout_flag_${String(flag).padStart(2, "0")}`;
    const median = 2 + (flag % 7) * 3;
    metrics.noteEvaluated(key);
    for (const path of ["new", "legacy"] as const) {
      for (let i = 0; i < samplesPerEntry; i++) {
        const latency = Math.exp(Math.log(path === "new" ? median * 1.1 : median) + 0.8 * normal());
        metrics.recordSample(key, path, "rollout", latency, random() < 0.002);
      }
    }
  }
  return metrics.drain(Date.now())!;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function p99(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(0.99 * sorted.length) - 1)]!;
}

function timeSync(run: () => unknown): number[] {
  const times: number[] = [];
  for (let i = 0; i < WARMUP + ITERATIONS; i++) {
    const start = process.hrtime.bigint();
    run();
    if (i >= WARMUP) times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return times;
}

async function timeAsync(run: () => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < WARMUP + ITERATIONS; i++) {
    const start = process.hrtime.bigint();
    await run();
    if (i >= WARMUP) times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return times;
}

const ms = (values: number[]) => `${median(values).toFixed(3)} / ${p99(values).toFixed(3)}`;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

console.log(`bench:gzip — ${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} cores, Node ${process.version}, load ${os.loadavg()[0]!.toFixed(2)}`);
console.log(`${FLAGS} flags × 2 paths = ${FLAGS * 2} entries a batch; ${ITERATIONS} timed runs after ${WARMUP} warm-up; ms as median / p99\n`);
console.log("| samples per entry | JSON | gzip level 1 (the SDK's) | gzip level 6 | `JSON.stringify` | `gzipSync` level 1 | `gzipSync` level 6 | async `gzip` level 1 (wall) | server `gunzip` (the route's, async, wall) | server `gunzipSync` | server `JSON.parse` |");
console.log("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
for (const samples of [50, 1_000, 20_000]) {
  const batch = windowBatch(samples, samples);
  if (batch.entries.length !== FLAGS * 2) throw new Error(`expected ${FLAGS * 2} entries, got ${batch.entries.length}`);
  const json = JSON.stringify(batch);
  const gzipped = gzipSync(json, { level: SDK_LEVEL });
  const level6 = gzipSync(json, { level: 6 });
  if (gunzipSync(gzipped).toString("utf8") !== json) throw new Error("gzip did not round-trip");
  const stringify = timeSync(() => JSON.stringify(batch));
  const deflate = timeSync(() => gzipSync(json, { level: SDK_LEVEL }));
  const deflate6 = timeSync(() => gzipSync(json, { level: 6 }));
  const deflateAsync = await timeAsync(() => gzipAsync(json, { level: SDK_LEVEL }));
  const inflateRoute = await timeAsync(() => gunzipAsync(gzipped, { maxOutputLength: LIMIT }));
  const inflateSync = timeSync(() => gunzipSync(gzipped, { maxOutputLength: LIMIT }));
  const parse = timeSync(() => JSON.parse(json));
  const size = (bytes: number) => `${kb(bytes)} (${(json.length / bytes).toFixed(1)}×)`;
  console.log(
    `| ${samples.toLocaleString("en")} | ${kb(json.length)} | ${size(gzipped.length)} | ${size(level6.length)} | ${ms(stringify)} | ${ms(deflate)} | ${ms(deflate6)} | ${ms(deflateAsync)} | ${ms(inflateRoute)} | ${ms(inflateSync)} | ${ms(parse)} |`,
  );
}
console.log(`\nload after: ${os.loadavg()[0]!.toFixed(2)}`);
