// npm run bench:query — GET /api/flags/{key}/metrics over 7 days of generated minute data, as if
// 100 SDK instances had reported every minute (their sketches merged per bucket, as ingest does).
// Embedded database in memory by default; set DATABASE_URL for PostgreSQL.
import { newLatencySketch } from "@rampart/sdk";
import { pathMetrics } from "@/db/schema";
import { getDb } from "@/lib/db/client";
import { listEnvironments } from "@/lib/environments/environment-store";
import { createFlag } from "@/lib/flags/create-flag";
import { findFlagByKey } from "@/lib/flags/flag-store";
import { encodeSketch } from "@/lib/metrics/latency-sketch";
import { METRICS_WINDOWS, readFlagMetrics, type MetricsWindow } from "@/lib/metrics/read-flag-metrics";

if (!process.env.DATABASE_URL) process.env.RAMPART_DATA_DIR ??= "memory://";
const INSTANCES = 100;
const SAMPLES_PER_INSTANCE_MINUTE = 20;
const DAYS = 7;
const RUNS = 30;

const db = await getDb();
const [production] = await listEnvironments(db);
const key = `bench_query_${Date.now().toString(36)}`;
const actor = { kind: "controller" as const, name: "bench", role: "admin" as const, environment: null };
await createFlag({ ctx: { db, actor, source: "controller" }, input: { key, owner: "bench" } });
const flag = (await findFlagByKey(db, key))!;

/** One bucket's sketch: every instance's samples for that minute (or hour), merged. */
function bucketSketch(samples: number, scale: number): string {
  const sketch = newLatencySketch();
  for (let i = 0; i < samples; i++) sketch.accept(scale * Math.exp(3 * Math.random() ** 2));
  return encodeSketch(sketch);
}

const generated = performance.now();
const now = Date.now();
const minuteStart = Math.floor(now / 60_000) * 60_000 - DAYS * 1440 * 60_000;
const perMinute = INSTANCES * SAMPLES_PER_INSTANCE_MINUTE;
// A few hundred distinct sketches reused across buckets: query cost depends on the bins, not on uniqueness.
const minuteSketches = Array.from({ length: 200 }, (_, i) => bucketSketch(perMinute, 10 + (i % 5)));
const hourSketches = Array.from({ length: 24 }, (_, i) => bucketSketch(perMinute * 10, 10 + (i % 5)));
type Row = typeof pathMetrics.$inferInsert;
const rows: Row[] = [];
for (let m = 0; m < DAYS * 1440; m++) {
  for (const path of ["new", "legacy"] as const) {
    const requests = path === "new" ? perMinute / 4 : (perMinute * 3) / 4;
    rows.push({ environmentId: production.id, flagId: flag.id, path, resolution: "minute", bucketStart: new Date(minuteStart + m * 60_000), requests, errors: Math.floor(requests / 200), reasons: { rollout: requests }, sketch: minuteSketches[m % 200] });
  }
}
for (let h = 0; h <= DAYS * 24; h++) {
  for (const path of ["new", "legacy"] as const) {
    const requests = (path === "new" ? perMinute / 4 : (perMinute * 3) / 4) * 60;
    rows.push({ environmentId: production.id, flagId: flag.id, path, resolution: "hour", bucketStart: new Date(Math.floor(minuteStart / 3_600_000) * 3_600_000 + h * 3_600_000), requests, errors: Math.floor(requests / 200), reasons: { rollout: requests }, sketch: hourSketches[h % 24] });
  }
}
for (let i = 0; i < rows.length; i += 1_000) await db.insert(pathMetrics).values(rows.slice(i, i + 1_000)).onConflictDoNothing();
console.log(`generated ${rows.length} rows in ${((performance.now() - generated) / 1000).toFixed(1)} s`);

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
console.log(`\nbench:query — ${key}, ${DAYS} days of minute and hour rows from ${INSTANCES} instances, ${process.env.DATABASE_URL ? "PostgreSQL" : "embedded PGlite"}\n`);
console.log("| window | buckets (both paths) | median | p99 |");
console.log("| --- | ---: | ---: | ---: |");
for (const window of Object.keys(METRICS_WINDOWS) as MetricsWindow[]) {
  const times: number[] = [];
  let points = 0;
  for (let run = 0; run < RUNS + 3; run++) {
    const started = performance.now();
    const result = await readFlagMetrics({ db, key, env: production.key, window });
    if (run >= 3) times.push(performance.now() - started);
    points = result.series.new.length + result.series.legacy.length;
  }
  times.sort((a, b) => a - b);
  console.log(`| ${window} | ${points} | ${percentile(times, 50).toFixed(1)} ms | ${percentile(times, 99).toFixed(1)} ms |`);
}
console.log("\ntarget: ≤ 50 ms (7 days)");
process.exit(0);
