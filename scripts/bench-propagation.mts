// npm run bench:propagation — 1,000 SDK clients streaming from one control plane (the built
// Next server, started here on its own port and data); time from a PATCH until every client
// holds the new version. Embedded database by default; set DATABASE_URL for PostgreSQL.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createClient, type RampartClient } from "@rampart/sdk";

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 1_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 50);
// The first PATCHes warm up the JIT on both sides; they run but are not counted.
const WARMUP_ROUNDS = 5;
const PORT = Number(process.env.BENCH_PORT ?? 3290);
const url = `http://127.0.0.1:${PORT}`;
const adminToken = "rpt_bench-admin-token-0123456789";
const sdkKey = "rps_bench-sdk-key-0123456789abcdef";
const dataDir = process.env.DATABASE_URL ? null : mkdtempSync(path.join(tmpdir(), "rampart-bench-"));

const server = spawn(process.execPath, ["scripts/start.mjs"], {
  env: {
    ...process.env,
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
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error("control plane did not start");
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

let clients: RampartClient[] = [];
try {
  await waitForServer();
  const key = `bench_${Date.now().toString(36)}`;
  if ((await api("/api/flags", "POST", { key, owner: "bench" })).status !== 201) throw new Error("could not create the flag");

  clients = Array.from({ length: CLIENTS }, () => createClient({ url, sdkKey }));
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
    await new Promise((resolve) => setTimeout(resolve, 200));
  }

  latencies.sort((a, b) => a - b);
  answered.sort((a, b) => a - b);
  roundMax.sort((a, b) => a - b);
  const ms = (value: number) => `${value.toFixed(1)} ms`;
  console.log(`\nbench:propagation — ${CLIENTS} SDK clients, ${ROUNDS} PATCHes after ${WARMUP_ROUNDS} warm-up, ${process.env.DATABASE_URL ? "PostgreSQL" : "embedded PGlite"}\n`);
  console.log("| measure | p50 | p99 | max |");
  console.log("| --- | --- | --- | --- |");
  console.log(`| PATCH sent → its answer (commit included) | ${ms(percentile(answered, 50))} | ${ms(percentile(answered, 99))} | ${ms(answered.at(-1)!)} |`);
  console.log(`| PATCH sent → one client has the version | ${ms(percentile(latencies, 50))} | ${ms(percentile(latencies, 99))} | ${ms(latencies.at(-1)!)} |`);
  console.log(`| PATCH sent → every client has it (per PATCH) | ${ms(percentile(roundMax, 50))} | ${ms(percentile(roundMax, 99))} | ${ms(roundMax.at(-1)!)} |`);
  console.log(`\ntarget: p99 ≤ 100 ms`);
} finally {
  await Promise.all(clients.map((client) => client.close()));
  server.kill("SIGTERM");
  await new Promise((resolve) => server.once("exit", resolve));
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}
