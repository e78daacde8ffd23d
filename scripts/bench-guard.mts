// npm run bench:guard — the ramp guard (lib/guard) on simulated traffic and a simulated clock:
// false rollbacks under A/A, time to kill an injected fault, and how long a ramp takes.
// Every 10 s window is drawn (Poisson arrivals split by the rollout percentage, binomial errors,
// lognormal latencies into real sketches) and the real decideStep judges it. Results: docs/benchmarks.md.
import os from "node:os";
import { decideStep, type StepAction } from "@/lib/guard/decide-step";
import type { GuardWindow } from "@/lib/guard/guard-window";
import { GUARD_STATISTICS } from "@/lib/guard/guardrails";
import { holdMs, RAMP_PRESETS, type RampPlan } from "@/lib/guard/ramp-plan";
import { HEALTHY, rolloutWindows, WINDOW_MS, type PathBehaviour } from "@/testing/guard-traffic";
import { SeededRandom } from "@/testing/seeded-random";

const RAMPS = Number(process.env.BENCH_RAMPS ?? 1000);
const FAULT_RUNS = Number(process.env.BENCH_FAULT_RUNS ?? 1000);
const SEED = Number(process.env.BENCH_SEED ?? 1);
const PER_SECOND = 200;
const plan: RampPlan = RAMP_PRESETS.standard;

interface StepRun {
  action: StepAction;
  /** Simulated ms from the step start to the decision that ended it. */
  endedAfterMs: number;
  reason: string;
}

/**
 * One step from its start: a window every 10 s, decideStep after each, until the step ends.
 * `behaviour(t)` gives the new path at t ms into the step.
 */
function runStep(random: SeededRandom, step: number, behaviour: (t: number) => PathBehaviour): StepRun {
  const startedAt = new Date(0);
  const windows: GuardWindow[] = [];
  for (let t = 0; ; t += WINDOW_MS) {
    windows.push(...rolloutWindows(random, { windowStart: new Date(t), perSecond: PER_SECOND, percentage: plan.steps[step]!, next: behaviour(t), legacy: HEALTHY }));
    const now = new Date(t + WINDOW_MS);
    const decision = decideStep({ plan, step, stepStartedAt: startedAt, now, windows });
    if (decision.action !== "hold") return { action: decision.action, endedAfterMs: t + WINDOW_MS, reason: decision.reason };
  }
}

// ---- A/A: whole ramps, both paths the same ----
const started = performance.now();
const last = plan.steps.length - 1;
let rolledBack = 0;
let paused = 0;
const rollbackSteps = new Map<number, number>();
const pauseSteps = new Map<number, number>();
const rampMinutes: number[] = [];
const extendedSteps = new Map<number, number>();
for (let ramp = 0; ramp < RAMPS; ramp++) {
  const random = new SeededRandom(SEED * 1_000_003 + ramp);
  let elapsed = 0;
  let outcome: StepAction = "complete";
  for (let step = 0; step < last; step++) {
    const run = runStep(random, step, () => HEALTHY);
    elapsed += run.endedAfterMs;
    if (run.endedAfterMs > holdMs(plan)) extendedSteps.set(plan.steps[step]!, (extendedSteps.get(plan.steps[step]!) ?? 0) + 1);
    if (run.action !== "advance") {
      outcome = run.action;
      const tally = run.action === "rollback" ? rollbackSteps : pauseSteps;
      tally.set(plan.steps[step]!, (tally.get(plan.steps[step]!) ?? 0) + 1);
      break;
    }
  }
  if (outcome === "rollback") rolledBack++;
  else if (outcome === "pause") paused++;
  else rampMinutes.push(elapsed / 60_000);
}
const aaSeconds = (performance.now() - started) / 1000;

// ---- Faults: the step the fault appears at, from its start (the guard reads only that step) ----
interface Fault {
  name: string;
  step: number;
  /** ms into the step at which the new path turns faulty. */
  onsetMs: number;
  faulty: PathBehaviour;
  target: string;
}
const faults: Fault[] = [
  { name: "(a) p99 × 2 at 25 % (all new-path latencies × 2)", step: plan.steps.indexOf(25), onsetMs: 0, faulty: { ...HEALTHY, medianMs: HEALTHY.medianMs * 2 }, target: "p95 ≤ 60 s, ≥ 99 % killed" },
  { name: "(b) errors 0.5 % → 3 % at 25 %", step: plan.steps.indexOf(25), onsetMs: 0, faulty: { ...HEALTHY, errorRate: 0.03 }, target: "p95 ≤ 60 s, ≥ 99 % killed" },
  { name: "(c) errors 0.5 % → 3 % at 5 %", step: plan.steps.indexOf(5), onsetMs: 0, faulty: { ...HEALTHY, errorRate: 0.03 }, target: "—" },
  { name: "(a′) p99 × 2 at 25 % from the tail alone (2 % of new-path requests × 6; median unchanged)", step: plan.steps.indexOf(25), onsetMs: 0, faulty: { ...HEALTHY, slowShare: 0.02, slowFactor: 6 }, target: "— (extra)" },
  { name: "(d) errors 0.5 % → 3 % at 25 %, 5 min into the hold", step: plan.steps.indexOf(25), onsetMs: 300_000, faulty: { ...HEALTHY, errorRate: 0.03 }, target: "— (extra)" },
];
const faultRows = faults.map((fault, index) => {
  const faultStarted = performance.now();
  const killSeconds: number[] = [];
  let earlyKills = 0;
  for (let run = 0; run < FAULT_RUNS; run++) {
    const random = new SeededRandom(SEED * 7_000_003 + index * 100_003 + run);
    const result = runStep(random, fault.step, (t) => (t >= fault.onsetMs ? fault.faulty : HEALTHY));
    if (result.action !== "rollback") continue;
    // The first faulty sample is at the onset (windows start on it); a kill before it is a false one.
    if (result.endedAfterMs <= fault.onsetMs) earlyKills++;
    else killSeconds.push((result.endedAfterMs - fault.onsetMs) / 1000);
  }
  killSeconds.sort((a, b) => a - b);
  return { fault, killed: killSeconds.length, earlyKills, killSeconds, seconds: (performance.now() - faultStarted) / 1000 };
});

// ---- Report ----
const pctOf = (x: number, n: number) => `${((100 * x) / n).toFixed(1)} %`;
const wilson = (x: number, n: number) => {
  const z = 1.96;
  const p = x / n;
  const centre = (p + (z * z) / (2 * n)) / (1 + (z * z) / n);
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / (1 + (z * z) / n);
  return `${(100 * Math.max(0, centre - half)).toFixed(1)}–${(100 * Math.min(1, centre + half)).toFixed(1)} %`;
};
const nearestRank = (sorted: number[], q: number) => (sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!);
const tally = (map: Map<number, number>) => [...map].sort((a, b) => a[0] - b[0]).map(([step, n]) => `${n} at ${step} %`).join(", ") || "none";
rampMinutes.sort((a, b) => a - b);
const sumOfHolds = last * plan.holdMinutes;

console.log(`\nbench:guard — ${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} cores, Node ${process.version}, seed ${SEED}`);
console.log(`Standard plan (${plan.steps.join(" → ")} %, ${plan.holdMinutes} min holds, p99 ≤ legacy + ${plan.guardrails.p99MaxSlowerPct} %, errors ≤ legacy + ${plan.guardrails.errorRateMaxPp} pp, ≥ ${plan.minSamplesPerPath} requests a path); ${PER_SECOND} req/s; legacy and healthy new path: lognormal median ${HEALTHY.medianMs} ms, σ ${HEALTHY.sigma}, ${HEALTHY.errorRate * 100} % errors; α ${GUARD_STATISTICS.alpha}, pass α ${GUARD_STATISTICS.passAlpha}; a decision every 10 s.\n`);
console.log("| A/A, whole ramps | result | target |");
console.log("| --- | ---: | --- |");
console.log(`| ramps rolled back (false rollbacks) | ${rolledBack} / ${RAMPS} = ${pctOf(rolledBack, RAMPS)} (95 % CI ${wilson(rolledBack, RAMPS)}) | ≤ 5 % ${rolledBack / RAMPS <= 0.05 ? "✅" : "❌"} |`);
console.log(`| ramps paused (not enough evidence after 3× a hold) | ${paused} / ${RAMPS} = ${pctOf(paused, RAMPS)} (95 % CI ${wilson(paused, RAMPS)}) | — |`);
console.log(`| rollbacks by step / pauses by step | ${tally(rollbackSteps)} / ${tally(pauseSteps)} | — |`);
console.log(`| holds extended, by step (ramps) | ${tally(extendedSteps)} | — |`);
console.log(`| completed ramp, end to end: median / p95 / max | ${nearestRank(rampMinutes, 0.5).toFixed(1)} / ${nearestRank(rampMinutes, 0.95).toFixed(1)} / ${rampMinutes.at(-1)?.toFixed(1)} min (sum of holds ${sumOfHolds} min) | — |`);
console.log("");
console.log("| fault | killed | time from first faulty sample to kill: median / p95 / max | target |");
console.log("| --- | ---: | ---: | --- |");
for (const row of faultRows) {
  const met = row.fault.target.startsWith("p95") ? (nearestRank(row.killSeconds, 0.95) <= 60 && row.killed / FAULT_RUNS >= 0.99 ? " ✅" : " ❌") : "";
  const early = row.earlyKills > 0 ? ` (+${row.earlyKills} killed before the onset)` : "";
  console.log(`| ${row.fault.name} | ${row.killed} / ${FAULT_RUNS} = ${pctOf(row.killed, FAULT_RUNS)}${early} | ${nearestRank(row.killSeconds, 0.5)} / ${nearestRank(row.killSeconds, 0.95)} / ${row.killSeconds.at(-1)} s | ${row.fault.target}${met} |`);
}
console.log(`\n${RAMPS} A/A ramps in ${aaSeconds.toFixed(1)} s; ${faultRows.map((row) => `${row.seconds.toFixed(1)} s`).join(", ")} for ${FAULT_RUNS} runs of each fault.`);
