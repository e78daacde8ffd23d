// npm run bench:propagation — SDK streams held open on one control plane (the built Next server,
// started here on its own port and data); the time from a change until every stream has it.
// Embedded database by default; set DATABASE_URL for PostgreSQL.
//
// BENCH_READERS=sdk (default): BENCH_CLIENTS (1,000) full `@rampart/sdk` clients in this process,
// PATCHes of one flag's percentage.
// BENCH_READERS=raw: BENCH_CLIENTS (10,000) streams on bare sockets spread over
// BENCH_READER_PROCESSES (4) child processes (scripts/bench-propagation-reader.mts), each parsing
// the real HTTP and SSE bytes; the flag is killed and restored in turn, and the server's RSS is
// read before and after the streams open (in BENCH_STEPS steps) for the memory per stream.
import { fork, spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import { createClient, type RampartClient } from "@rampart/sdk";
import type { ReaderCommand, ReaderReport } from "./bench-propagation-reader.mts";

const READERS = process.env.BENCH_READERS === "raw" ? "raw" : "sdk";
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? (READERS === "raw" ? 10_000 : 1_000));
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? (READERS === "raw" ? 30 : 50));
// The first changes warm up the JIT on both sides; they run but are not counted.
const WARMUP_ROUNDS = 5;
const PORT = Number(process.env.BENCH_PORT ?? 3290);
const url = `http://127.0.0.1:${PORT}`;
const adminToken = "rpt_bench-admin-token-0123456789";
const sdkKey = "rps_bench-sdk-key-0123456789abcdef";
const dataDir = process.env.DATABASE_URL ? null : mkdtempSync(path.join(tmpdir(), "rampart-bench-"));
const databaseName = process.env.DATABASE_URL ? "PostgreSQL" : "embedded PGlite";

// Raw mode reads the server's memory after a full collection, so the figures do not depend on
// when V8 happened to collect: a preload (measurement only) collects on SIGUSR2 and writes
// process.memoryUsage() to a file. Startup alone leaves ~400 MB of garbage that V8 frees a
// while later.
const gcDir = READERS === "raw" ? mkdtempSync(path.join(tmpdir(), "rampart-bench-gc-")) : null;
const gcPreload = gcDir && path.join(gcDir, "collect-on-signal.cjs");
const memoryFile = gcDir && path.join(gcDir, "memory.json");
if (gcPreload && memoryFile) {
  writeFileSync(
    gcPreload,
    `process.on("SIGUSR2", () => { globalThis.gc?.(); globalThis.gc?.(); require("node:fs").writeFileSync(${JSON.stringify(memoryFile)}, JSON.stringify(process.memoryUsage())); });\n`,
  );
}

// BENCH_SKIP_BUILD=1 serves the build already in .next (scripts/server.mjs) instead of `npm start`.
const skipBuild = process.env.BENCH_SKIP_BUILD === "1";
const server = spawn(process.execPath, [skipBuild ? "scripts/server.mjs" : "scripts/start.mjs"], {
  env: {
    ...process.env,
    NEXT_TELEMETRY_DISABLED: "1",
    ...(gcPreload ? { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --expose-gc --require ${gcPreload}`.trim() } : {}),
    PORT: String(PORT),
    RAMPART_INIT_ADMIN_TOKEN: adminToken,
    RAMPART_INIT_SDK_KEYS: `production:${sdkKey}`,
    ...(dataDir ? { RAMPART_DATA_DIR: dataDir } : {}),
  },
  stdio: ["ignore", "ignore", "inherit"],
});

const api = (pathname: string, method: string, body?: unknown) =>
  fetch(`${url}${pathname}`, { method, headers: { authorization: `Bearer ${adminToken}` }, body: body === undefined ? undefined : JSON.stringify(body) });

async function waitForServer(): Promise<void> {
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    const up = await api("/api/me", "GET").then((r) => r.ok, () => false);
    if (up) return;
    await sleep(250);
  }
  throw new Error("control plane did not start");
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** The system-wide monotonic clock in ms, the one the reader processes stamp arrivals with. */
const now = () => Number(process.hrtime.bigint()) / 1e6;
const ms = (value: number) => `${value.toFixed(1)} ms`;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function createBenchFlag(): Promise<string> {
  const key = `bench_${Date.now().toString(36)}`;
  if ((await api("/api/flags", "POST", { key, owner: "bench" })).status !== 201) throw new Error("could not create the flag");
  return key;
}

async function sdkBench(clients: RampartClient[]): Promise<void> {
  const key = await createBenchFlag();
  clients.push(...Array.from({ length: CLIENTS }, () => createClient({ url, sdkKey })));
  const ready = await Promise.all(clients.map((client) => client.ready({ timeoutMs: 60_000 })));
  if (ready.some((ok) => !ok)) throw new Error("not every client became ready");

  const latencies: number[] = [];
  const roundMax: number[] = [];
  const answered: number[] = [];
  for (let round = 1 - WARMUP_ROUNDS; round <= ROUNDS; round++) {
    const target = clients[0].flag(key)!.version + 1;
    const seen = clients.map(
      (client) =>
        new Promise<number>((resolve) => {
          const off = client.onChange((changed) => {
            if (changed === key && client.flag(key)!.version >= target) {
              off();
              resolve(performance.now());
            }
          });
        }),
    );
    const started = performance.now();
    const response = await api(`/api/flags/${key}`, "PATCH", { percentage: round % 2 ? 25 : 50 });
    if (response.status !== 200) throw new Error(`PATCH answered ${response.status}`);
    answered.push(performance.now() - started);
    const lagging = setTimeout(() => {
      const behind = clients.filter((client) => client.flag(key)!.version < target);
      console.error(`round ${round}: ${behind.length} clients still behind after 10 s`, behind[0]?.status());
    }, 10_000);
    const times = (await Promise.all(seen)).map((at) => at - started);
    clearTimeout(lagging);
    if (round < 1) {
      answered.pop();
      continue;
    }
    latencies.push(...times);
    roundMax.push(Math.max(...times));
    await sleep(200);
  }

  latencies.sort((a, b) => a - b);
  answered.sort((a, b) => a - b);
  roundMax.sort((a, b) => a - b);
  console.log(`\nbench:propagation — ${CLIENTS} SDK clients, ${ROUNDS} PATCHes after ${WARMUP_ROUNDS} warm-up, ${databaseName}\n`);
  console.log("| measure | p50 | p99 | max |");
  console.log("| --- | --- | --- | --- |");
  console.log(`| PATCH sent → its answer (commit included) | ${ms(percentile(answered, 50))} | ${ms(percentile(answered, 99))} | ${ms(answered.at(-1)!)} |`);
  console.log(`| PATCH sent → one client has the version | ${ms(percentile(latencies, 50))} | ${ms(percentile(latencies, 99))} | ${ms(latencies.at(-1)!)} |`);
  console.log(`| PATCH sent → every client has it (per PATCH) | ${ms(percentile(roundMax, 50))} | ${ms(percentile(roundMax, 99))} | ${ms(roundMax.at(-1)!)} |`);
  console.log(`\ntarget: p99 ≤ 100 ms`);
}

/** The process that serves: scripts/start.mjs builds if needed, then runs scripts/server.mjs as its child. */
function servingPid(): number {
  if (skipBuild) return server.pid!;
  const children = readFileSync(`/proc/${server.pid}/task/${server.pid}/children`, "utf8").trim().split(/\s+/).map(Number);
  const pid = children.find((child) => readFileSync(`/proc/${child}/cmdline`, "utf8").includes("server.mjs"));
  if (!pid) throw new Error("could not find the scripts/server.mjs process");
  return pid;
}

function rssMb(pid: number): number {
  const kb = Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1]);
  return kb / 1024;
}

interface MemoryReading {
  rssMb: number;
  heapUsedMb: number;
}

/** The server's memory after a full collection, once two readings agree within 1 %. */
async function settledMemory(pid: number): Promise<MemoryReading> {
  let previous: MemoryReading | null = null;
  for (let attempt = 0; attempt < 10; attempt++) {
    rmSync(memoryFile!, { force: true });
    process.kill(pid, "SIGUSR2");
    const deadline = Date.now() + 30_000;
    while (!existsSync(memoryFile!) && Date.now() < deadline) await sleep(100);
    await sleep(Number(process.env.BENCH_SETTLE_MS ?? 2_000));
    const { heapUsed } = JSON.parse(readFileSync(memoryFile!, "utf8")) as NodeJS.MemoryUsage;
    const reading = { rssMb: rssMb(pid), heapUsedMb: heapUsed / 1048576 };
    if (previous && Math.abs(reading.rssMb - previous.rssMb) <= previous.rssMb * 0.01) return reading;
    previous = reading;
  }
  return previous!;
}

interface Reader {
  child: ChildProcess;
  reports: ReaderReport[];
  waiters: (() => void)[];
  dropped?: number;
}

function startReader(): Reader {
  const child = fork(path.join(import.meta.dirname, "bench-propagation-reader.mts"), [], { execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const reader: Reader = { child, reports: [], waiters: [] };
  child.on("message", (report: ReaderReport) => {
    if (report.type === "dropped") {
      reader.dropped = report.streams;
      console.error(`a reader lost a stream (${report.streams} so far)`);
      return;
    }
    else if (report.type === "behind") console.error(`round ${report.round}: ${report.behind} streams of one reader still behind after 10 s`);
    else if (report.type === "failed") console.error(`a reader failed: ${report.message}`);
    reader.reports.push(report);
    reader.waiters.splice(0).forEach((wake) => wake());
  });
  return reader;
}

async function nextReport<T extends ReaderReport["type"]>(reader: Reader, type: T): Promise<Extract<ReaderReport, { type: T }>> {
  for (;;) {
    const index = reader.reports.findIndex((report) => report.type === type || report.type === "failed");
    if (index >= 0) {
      const [report] = reader.reports.splice(index, 1);
      if (report.type === "failed") throw new Error(report.message);
      return report as Extract<ReaderReport, { type: T }>;
    }
    await new Promise<void>((resolve) => reader.waiters.push(resolve));
  }
}

const command = (reader: Reader, message: ReaderCommand) => reader.child.send(message);

/** Opens and closes a few streams so the route's code is loaded and warm before the baseline. */
async function warmUpStreamRoute(): Promise<void> {
  await Promise.all(
    Array.from({ length: 50 }, async () => {
      const abort = new AbortController();
      const response = await fetch(`${url}/api/sdk/stream`, { headers: { authorization: `Bearer ${sdkKey}` }, signal: abort.signal });
      await response.body!.getReader().read();
      abort.abort();
    }),
  );
}

async function rawBench(readers: Reader[]): Promise<void> {
  const pid = servingPid();
  const key = await createBenchFlag();
  await warmUpStreamRoute();
  const steps = Math.max(1, Number(process.env.BENCH_STEPS ?? 1));
  const concurrency = Number(process.env.BENCH_CONNECT_CONCURRENCY ?? 32);
  const load = [loadavg()[0]];

  const memory: (MemoryReading & { streams: number; openSeconds: number })[] = [{ streams: 0, openSeconds: 0, ...(await settledMemory(pid)) }];
  let open = 0;
  for (let step = 1; step <= steps; step++) {
    const total = Math.round((CLIENTS * step) / steps);
    const adding = total - open;
    const started = now();
    await Promise.all(
      readers.map(async (reader, index) => {
        const count = Math.floor(adding / readers.length) + (index < adding % readers.length ? 1 : 0);
        command(reader, { type: "open", port: PORT, sdkKey, flagKey: key, count, concurrency });
        const opened = await nextReport(reader, "opened");
        if (opened.retries > 0) console.error(`a reader retried ${opened.retries} connections`);
      }),
    );
    open = total;
    const openSeconds = (now() - started) / 1000;
    memory.push({ streams: open, openSeconds, ...(await settledMemory(pid)) });
    console.error(`${open} streams open (${openSeconds.toFixed(1)} s); server RSS ${memory.at(-1)!.rssMb.toFixed(1)} MB`);
  }
  load.push(loadavg()[0]);

  const answered = { kill: [] as number[], restore: [] as number[] };
  const latencies = { kill: [] as number[], restore: [] as number[] };
  const roundMax = { kill: [] as number[], restore: [] as number[] };
  let killed = false;
  for (let round = 1 - WARMUP_ROUNDS; round <= ROUNDS; round++) {
    const action = killed ? "restore" : "kill";
    const started = now();
    const response = await api(`/api/flags/${key}/${action}`, "POST", {});
    if (response.status !== 200) throw new Error(`${action} answered ${response.status}`);
    const tookMs = now() - started;
    const { state } = (await response.json()) as { state: { version: number; killed: boolean } };
    killed = state.killed;
    readers.forEach((reader) => command(reader, { type: "expect", round, version: state.version }));
    const times = (await Promise.all(readers.map((reader) => nextReport(reader, "seen")))).flatMap((seen) => seen.times.map((at) => at - started));
    if (round >= 1) {
      answered[action].push(tookMs);
      latencies[action].push(...times);
      roundMax[action].push(Math.max(...times));
    }
    await sleep(200);
  }
  load.push(loadavg()[0]);
  const afterRounds = await settledMemory(pid);
  const dropped = readers.reduce((sum, reader) => sum + (reader.dropped ?? 0), 0);

  const [base, ...opened] = memory;
  const full = opened.at(-1)!;
  console.log(`\nbench:propagation — ${CLIENTS} raw SSE streams over ${readers.length} reader processes, ${ROUNDS} changes (kill and restore in turn) after ${WARMUP_ROUNDS} warm-up, ${databaseName}`);
  console.log(`1-minute load: ${load.map((value) => value.toFixed(2)).join(" → ")} (before opening → after opening → after the rounds)\n`);
  const perStream = (reading: MemoryReading, streams: number) =>
    `${(((reading.rssMb - base.rssMb) * 1024) / streams).toFixed(1)} KB | ${(((reading.heapUsedMb - base.heapUsedMb) * 1024) / streams).toFixed(1)} KB`;
  console.log("server memory after a full collection:\n");
  console.log("| streams open | RSS | JS heap used | RSS per stream | heap per stream | time to open |");
  console.log("| ---: | ---: | ---: | ---: | ---: | ---: |");
  console.log(`| 0 | ${base.rssMb.toFixed(1)} MB | ${base.heapUsedMb.toFixed(1)} MB | | | |`);
  for (const step of opened) {
    console.log(`| ${step.streams} | ${step.rssMb.toFixed(1)} MB | ${step.heapUsedMb.toFixed(1)} MB | ${perStream(step, step.streams)} | ${step.openSeconds.toFixed(1)} s |`);
  }
  console.log(`| ${full.streams}, after the rounds | ${afterRounds.rssMb.toFixed(1)} MB | ${afterRounds.heapUsedMb.toFixed(1)} MB | ${perStream(afterRounds, full.streams)} | |`);
  if (opened.length >= 2) console.log(`\nRSS slope over the steps (least squares): ${(slopeMbPerStream(opened) * 1024).toFixed(1)} KB per stream`);
  console.log(`streams dropped during the run: ${dropped}\n`);
  console.log("| measure | p50 | p99 | max |");
  console.log("| --- | --- | --- | --- |");
  for (const action of ["kill", "restore"] as const) {
    const sorted = [answered[action], latencies[action], roundMax[action]].map((values) => values.sort((a, b) => a - b));
    const [answer, each, every] = sorted;
    const row = (label: string, values: number[]) => `| ${label} | ${ms(percentile(values, 50))} | ${ms(percentile(values, 99))} | ${ms(values.at(-1)!)} |`;
    console.log(row(`${action} sent → its answer (commit included)`, answer));
    console.log(row(`${action} sent → one stream has it`, each));
    console.log(row(`${action} sent → every stream has it (per change)`, every));
  }
  console.log(`\ntarget: memory ≤ 40 KB per stream; kill → every stream p99 ≤ 1 s at 10,000`);
}

function slopeMbPerStream(points: { streams: number; rssMb: number }[]): number {
  const meanX = points.reduce((sum, p) => sum + p.streams, 0) / points.length;
  const meanY = points.reduce((sum, p) => sum + p.rssMb, 0) / points.length;
  const covariance = points.reduce((sum, p) => sum + (p.streams - meanX) * (p.rssMb - meanY), 0);
  const variance = points.reduce((sum, p) => sum + (p.streams - meanX) ** 2, 0);
  return covariance / variance;
}

const clients: RampartClient[] = [];
let readers: Reader[] = [];
try {
  await waitForServer();
  if (READERS === "raw") {
    readers = Array.from({ length: Number(process.env.BENCH_READER_PROCESSES ?? 4) }, startReader);
    await rawBench(readers);
  } else {
    await sdkBench(clients);
  }
} finally {
  await Promise.all(clients.map((client) => client.close()));
  for (const reader of readers) if (reader.child.connected) command(reader, { type: "close" });
  server.kill("SIGTERM");
  await new Promise((resolve) => server.once("exit", resolve));
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  if (gcDir) rmSync(gcDir, { recursive: true, force: true });
}
