// npm run bench:eval — ns per flag evaluation on the SDK's hot path, and our inline
// MurmurHash3 against the `murmurhash` package on the same inputs. Results: docs/benchmarks.md.
// It measures the built package (sdk/dist, what services install; the npm script builds it and
// then runs this again with BENCH_EVAL_SDK=source for the TypeScript source as tsx runs it). One
// process per build keeps each hot call site monomorphic.
import { existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import murmurhash from "murmurhash";
import type { FlagState } from "@rampart/sdk";

type Sdk = typeof import("@rampart/sdk");
const fromSource = process.env.BENCH_EVAL_SDK === "source";
const builtEntry = path.resolve(import.meta.dirname, "../sdk/dist/index.js");
if (!fromSource && !existsSync(builtEntry)) {
  console.error("sdk/dist is missing: `npm run bench:eval` builds it first (or `npm run build -w @rampart/sdk`).");
  process.exit(1);
}
const sdk: Sdk = fromSource ? await import("@rampart/sdk") : await import(pathToFileURL(builtEntry).href);
const measured = fromSource ? "sdk/src via tsx" : "sdk/dist";

const FLAGS = 1_000;
const USERS = 10_000;
const ROUNDS = 31;
const WARMUP_ROUNDS = 5;
const CALLS_PER_ROUND = 200_000;

const keys = Array.from({ length: FLAGS }, (_, i) => `flag_${String(i).padStart(4, "0")}`);
// States as the SDK holds them: parsed from a snapshot's JSON. (Made by object spread instead,
// V8 gives the copies ~100 different hidden classes and every call site goes megamorphic.)
const asReceived = (states: FlagState[]) => new Map<string, FlagState>(
  (JSON.parse(JSON.stringify(states)) as FlagState[]).map((state) => [state.key, state]),
);
const plainState = (key: string): FlagState =>
  ({ key, default: false, percentage: 25, rollout: { by: "user_id" }, contexts: {}, killed: false, version: 1 });
const tenantTargets = (values: number) =>
  [{ attribute: "tenant_id", values: Array.from({ length: values }, (_, i) => `t-${i}`), value: true }];
const flags = asReceived(keys.map(plainState));
const contexts = Array.from({ length: USERS }, (_, i) => ({ kind: "user", user_id: `user-${i}`, tenant_id: `other-${i}` }));

// Every flag with its own 1,000-value list: a million listed values, so lookups also miss cache.
const TENANTS = 1_000;
const targetedFlags = asReceived(keys.map((key) => ({ ...plainState(key), targets: tenantTargets(TENANTS) })));
const listedTenants = contexts.map((context, i) => ({ kind: "user", user_id: context.user_id, tenant_id: `t-${i % TENANTS}` }));
// One flag, its list 0 to 10,000 values long: what the O(1) lookup is for.
const oneFlag = (values: number) =>
  asReceived([values === 0 ? plainState("flag_0000") : { ...plainState("flag_0000"), targets: tenantTargets(values) }]);
const hashInputs = Array.from({ length: USERS }, (_, i) => `${keys[i % FLAGS]}:user-${i}`);

// All are printed at the end so the optimiser cannot drop the work.
let evaluationsOn = 0;
let targetedCasesOn = 0;
let oneFlagOn = 0;
let hashChecksum = 0;

function evaluateRound({ evaluate }: Sdk, states = flags, users: readonly object[] = contexts): () => void {
  const untargeted = states === flags;
  const flagCount = states.size;
  return () => {
    let on = 0;
    let flag = 0;
    let user = 0;
    for (let call = 0; call < CALLS_PER_ROUND; call++) {
      if (evaluate(states.get(keys[flag]!), users[user], false).value) on++;
      if (++flag === flagCount) flag = 0;
      // Shift the flag index each time the users wrap, so all flag × user pairs come round.
      if (++user === USERS) { user = 0; flag = (flag + 1) % flagCount; }
    }
    if (untargeted) evaluationsOn += on;
    else if (states === targetedFlags) targetedCasesOn += on;
    else oneFlagOn += on;
  };
}

// What client.evaluate() adds with metrics on: noting the key as evaluated in the window.
function clientEvaluateRound({ evaluate, PathMetrics }: Sdk): () => void {
  const pathMetrics = new PathMetrics({ instanceId: "bench" });
  return () => {
    let on = 0;
    let flag = 0;
    let user = 0;
    for (let call = 0; call < CALLS_PER_ROUND; call++) {
      const key = keys[flag]!;
      pathMetrics.noteEvaluated(key);
      if (evaluate(flags.get(key), contexts[user], false).value) on++;
      if (++flag === FLAGS) flag = 0;
      if (++user === USERS) { user = 0; flag = (flag + 1) % FLAGS; }
    }
    evaluationsOn += on;
    pathMetrics.drain();
  };
}

function hashRound(hash: (input: string, seed?: number) => number): () => void {
  return () => {
    let acc = 0;
    for (let call = 0, input = 0; call < CALLS_PER_ROUND; call++) {
      acc = (acc + hash(hashInputs[input]!, 0)) | 0;
      if (++input === USERS) input = 0;
    }
    hashChecksum = (hashChecksum + acc) | 0;
  };
}

interface Result { name: string; median: number; p99: number }

function measure(name: string, round: () => void): Result {
  for (let i = 0; i < WARMUP_ROUNDS; i++) round();
  const nsPerOp: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const start = process.hrtime.bigint();
    round();
    nsPerOp.push(Number(process.hrtime.bigint() - start) / CALLS_PER_ROUND);
  }
  nsPerOp.sort((a, b) => a - b);
  // Nearest-rank percentiles over the per-round figures (with 31 rounds, p99 is the slowest round).
  const rank = (p: number) => nsPerOp[Math.min(nsPerOp.length - 1, Math.ceil(p * nsPerOp.length) - 1)]!;
  return { name, median: rank(0.5), p99: rank(0.99) };
}

/**
 * Two rounds measured in turn, round by round, so drift on a shared machine falls on both alike:
 * the median of the per-pair ratios, and each side's median.
 */
function measurePaired(name: string, without: () => void, withIt: () => void): { name: string; without: number; with: number; ratio: number } {
  for (let i = 0; i < WARMUP_ROUNDS; i++) (without(), withIt());
  const a: number[] = [];
  const b: number[] = [];
  const time = (round: () => void) => {
    const start = process.hrtime.bigint();
    round();
    return Number(process.hrtime.bigint() - start) / CALLS_PER_ROUND;
  };
  for (let i = 0; i < ROUNDS; i++) {
    // Alternate which goes first, so neither always runs on a cache the other warmed.
    if (i % 2 === 0) (a.push(time(without)), b.push(time(withIt)));
    else (b.push(time(withIt)), a.push(time(without)));
  }
  const median = (values: number[]) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)]!;
  return { name, without: median(a), with: median(b), ratio: median(a.map((x, i) => b[i]! / x)) };
}

const results = [
  measure("`evaluate(flags.get(key), context)` — 1,000 flags, 25 % rollout, 10,000 users", evaluateRound(sdk)),
  measure("the same with metrics on, as `client.evaluate()` runs it (notes the key as evaluated)", clientEvaluateRound(sdk)),
  // After the cases above, so the states' new shape cannot make their call sites polymorphic first.
  measure("the same flags each with its own 1,000-value `tenant_id` target list, tenant not listed (lookup, then the rollout)", evaluateRound(sdk, targetedFlags)),
  measure("the same, tenant listed (targeted: no hashing)", evaluateRound(sdk, targetedFlags, listedTenants)),
  ...[0, 10, 1_000, 10_000].map((values) =>
    measure(`one flag, ${values === 0 ? "no targets" : `a ${values.toLocaleString("en")}-value list`}, 10,000 users not listed`, evaluateRound(sdk, oneFlag(values)))),
  measure("`murmurhash3_x86_32` (inline, this SDK)", hashRound(sdk.murmurhash3_x86_32)),
  measure("`murmurhash` 2.0.1 `v3`", hashRound(murmurhash.v3)),
];

// Issue 14's bound: a 1,000-value target list on the flag costs at most 10 % over the same flag without one.
const paired = [
  measurePaired("one flag: no targets vs a 1,000-value `tenant_id` list, tenant not listed", evaluateRound(sdk, oneFlag(0)), evaluateRound(sdk, oneFlag(1_000))),
  measurePaired("one flag as the wire sends it, `targets: []` vs a 1,000-value list, tenant not listed", evaluateRound(sdk, asReceived([{ ...plainState("flag_0000"), targets: [] }])), evaluateRound(sdk, oneFlag(1_000))),
  measurePaired("1,000 flags: no targets vs each its own 1,000-value list, tenant not listed", evaluateRound(sdk), evaluateRound(sdk, targetedFlags)),
];

console.log(`@rampart/sdk from ${measured}; Node ${process.version}, ${os.cpus().length} cores; ${ROUNDS} rounds × ${CALLS_PER_ROUND.toLocaleString("en")} calls after ${WARMUP_ROUNDS} warm-up rounds\n`);
console.log("| benchmark | median ns/op | p99 ns/op |");
console.log("| --- | ---: | ---: |");
for (const { name, median, p99 } of results) console.log(`| ${name} | ${median.toFixed(1)} | ${p99.toFixed(1)} |`);
console.log("\nRounds in turn (median ns/op of each side; median of the per-round ratios):\n");
console.log("| pair | without ns/op | with ns/op | with / without |");
console.log("| --- | ---: | ---: | ---: |");
for (const pair of paired) console.log(`| ${pair.name} | ${pair.without.toFixed(1)} | ${pair.with.toFixed(1)} | ${pair.ratio.toFixed(3)} |`);
const share = evaluationsOn / (3 * (ROUNDS + WARMUP_ROUNDS) * CALLS_PER_ROUND);
const targetedShare = targetedCasesOn / (3 * (ROUNDS + WARMUP_ROUNDS) * CALLS_PER_ROUND);
const oneFlagShare = oneFlagOn / (8 * (ROUNDS + WARMUP_ROUNDS) * CALLS_PER_ROUND);
console.log(`\nSanity: ${(100 * share).toFixed(2)} % of evaluations on (expected ≈ 25 %); with targets ${(100 * targetedShare).toFixed(2)} % (expected ≈ 50 %: two rounds unlisted at 25 % for one listed); one flag ${(100 * oneFlagShare).toFixed(2)} % (expected ≈ 25 %); hash checksum ${hashChecksum}.`);
