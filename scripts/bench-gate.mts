// npm run bench:gate — what `client.gate()` adds to a flag check: evaluation plus timing and
// recording into the per-path sketches, against a bare `client.enabled()`. Results: docs/benchmarks.md.
import { createServer } from "node:net";
import os from "node:os";
import { createClient, type FlagState } from "@rampart/sdk";

const USERS = 10_000;
const ROUNDS = 31;
const WARMUP_ROUNDS = 5;
const CALLS_PER_ROUND = 200_000;
const FLAG = "schema_v2";

const state: FlagState = { key: FLAG, default: false, percentage: 25, rollout: { by: "user_id" }, contexts: {}, killed: false, version: 1 };
const contexts = Array.from({ length: USERS }, (_, i) => ({ kind: "user", user_id: `user-${i}` }));
const paths = { newPath: () => 1, legacyPath: () => 0 };

// A port nobody listens on: the client serves its bootstrap and never reaches a network.
const closedPort = await new Promise<number>((resolve) => {
  const probe = createServer().listen(0, "127.0.0.1", () => {
    const { port } = probe.address() as { port: number };
    probe.close(() => resolve(port));
  });
});
const client = createClient({
  url: `http://127.0.0.1:${closedPort}`,
  sdkKey: "rps_bench",
  bootstrap: { environment: "bench", cursor: 1, flags: [state] },
  backoff: { minMs: 600_000, maxMs: 600_000 },
  flushIntervalMs: 3_600_000,
  onError: () => {},
});

// Printed at the end so the optimiser cannot drop the work.
let onCount = 0;

function gateRound(): void {
  let on = 0;
  for (let call = 0, user = 0; call < CALLS_PER_ROUND; call++) {
    on += client.gate(FLAG, contexts[user], paths);
    if (++user === USERS) user = 0;
  }
  onCount += on;
}

function enabledRound(): void {
  let on = 0;
  for (let call = 0, user = 0; call < CALLS_PER_ROUND; call++) {
    on += client.enabled(FLAG, contexts[user]) ? 1 : 0;
    if (++user === USERS) user = 0;
  }
  onCount += on;
}

function timeRound(round: () => void): number {
  const start = process.hrtime.bigint();
  round();
  return Number(process.hrtime.bigint() - start) / CALLS_PER_ROUND;
}

for (let i = 0; i < WARMUP_ROUNDS; i++) {
  gateRound();
  enabledRound();
}
// Alternating rounds, so load from other processes falls on both alike; the difference is per pair.
const gateNs: number[] = [];
const enabledNs: number[] = [];
const addedNs: number[] = [];
for (let i = 0; i < ROUNDS; i++) {
  const enabled = timeRound(enabledRound);
  const gated = timeRound(gateRound);
  enabledNs.push(enabled);
  gateNs.push(gated);
  addedNs.push(gated - enabled);
}

// Nearest-rank percentiles over the per-round figures (with 31 rounds, p99 is the slowest round).
function rank(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
}

const status = client.metricsStatus();
await client.close();

console.log(`Node ${process.version}, ${os.cpus().length} cores; ${ROUNDS} rounds × ${CALLS_PER_ROUND.toLocaleString("en")} calls after ${WARMUP_ROUNDS} warm-up rounds\n`);
console.log("| benchmark | median ns/op | p99 ns/op |");
console.log("| --- | ---: | ---: |");
console.log(`| \`client.enabled(flag, ctx) ? 1 : 0\` — 25 % rollout, 10,000 users | ${rank(enabledNs, 0.5).toFixed(1)} | ${rank(enabledNs, 0.99).toFixed(1)} |`);
console.log(`| \`client.gate(flag, ctx, { newPath: () => 1, legacyPath: () => 0 })\` | ${rank(gateNs, 0.5).toFixed(1)} | ${rank(gateNs, 0.99).toFixed(1)} |`);
console.log(`| what \`gate()\` adds (per round pair) | ${rank(addedNs, 0.5).toFixed(1)} | ${rank(addedNs, 0.99).toFixed(1)} |`);
const calls = (ROUNDS + WARMUP_ROUNDS) * CALLS_PER_ROUND;
console.log(`\nSanity: ${((100 * onCount) / (2 * calls)).toFixed(2)} % on (expected ≈ 25 %); ${status.recorded.toLocaleString("en")} samples recorded (expected ${calls.toLocaleString("en")}), ${status.dropped} dropped.`);
