import type { LatencySketch } from "@rampart/sdk";
import { alwaysValidInterval, growthToFit } from "./always-valid";
import type { PathTotals } from "./guard-window";
import type { RampPlan } from "./ramp-plan";

/**
 * The guard's statistics (docs/decisions/0007-ramp-guard-statistics.md). Each guardrail is a
 * proportion compared with a threshold through an always-valid interval, so it may be checked
 * after every window without inflating false alarms.
 */
export const GUARD_STATISTICS = {
  /** Chance, over a whole step, that a guardrail ever reads `regressed` while the new path is within its threshold (per guardrail). */
  alpha: 0.05,
  /** Chance, over a whole step, that a guardrail reads `pass` while the new path is in fact beyond its threshold. */
  passAlpha: 0.2,
  /** Requests each compared path needs before a guardrail gives any verdict but `collecting`. */
  judgeFloor: 100,
} as const;

export type GuardrailName = "errorRate" | "p99" | "p95" | "errorRateCeiling" | "p99Ceiling";
export type GuardrailVerdict = "pass" | "regressed" | "collecting";

export interface GuardrailCheck {
  guardrail: GuardrailName;
  verdict: GuardrailVerdict;
  /**
   * The proportion judged: for `errorRate` new minus legacy error rate; for `p99`/`p95` and
   * `p99Ceiling` the share of new-path requests slower than `latencyLimitMs`; for
   * `errorRateCeiling` the new-path error rate. Null until there is something to estimate.
   */
  estimate: number | null;
  /** The always-valid interval at 1 − alpha, on the estimate's scale. */
  interval: { lower: number; upper: number; level: number } | null;
  /** The always-valid upper bound at 1 − passAlpha: the guardrail passes when it is ≤ threshold. */
  passBound: number | null;
  /** The largest value of `estimate` the guardrail allows. */
  threshold: number;
  samples: { new: number; legacy: number };
  /** About how many more requests each path needs before the guardrail can pass; null when it cannot at the current estimate. */
  needed: { new: number; legacy: number } | null;
  /** Error rates (proportions) or quantiles (ms) of each path, for people. */
  newValue: number | null;
  legacyValue: number | null;
  /** Latency guardrails: the limit the shares are counted above, and legacy's share above it. */
  latencyLimitMs?: number | null;
  legacyShareAboveLimit?: number | null;
  /** One sentence in plain words. */
  summary: string;
}

/** Every guardrail of the plan, judged on one step's totals. */
export function checkGuardrails(plan: RampPlan, totals: { new: PathTotals; legacy: PathTotals }): GuardrailCheck[] {
  const { guardrails } = plan;
  const checks = [
    errorRateCheck(plan, totals),
    latencyCheck(plan, totals, "p99", 0.99, guardrails.p99MaxSlowerPct),
  ];
  if (guardrails.p95MaxSlowerPct !== undefined) checks.push(latencyCheck(plan, totals, "p95", 0.95, guardrails.p95MaxSlowerPct));
  if (guardrails.errorRateCeilingPct !== undefined) checks.push(errorRateCeilingCheck(plan, totals, guardrails.errorRateCeilingPct / 100));
  if (guardrails.p99CeilingMs !== undefined) checks.push(latencyCeilingCheck(plan, totals, guardrails.p99CeilingMs));
  return checks;
}

function errorRateCheck(plan: RampPlan, totals: { new: PathTotals; legacy: PathTotals }): GuardrailCheck {
  const threshold = plan.guardrails.errorRateMaxPp / 100;
  const nNew = totals.new.requests;
  const nLegacy = totals.legacy.requests;
  const newRate = nNew > 0 ? totals.new.errors / nNew : null;
  const legacyRate = nLegacy > 0 ? totals.legacy.errors / nLegacy : null;
  const estimate = newRate !== null && legacyRate !== null ? newRate - legacyRate : null;
  const variance = smoothedVariance(totals.new.errors, nNew) + smoothedVariance(totals.legacy.errors, nLegacy);
  const judged = judge(plan, { estimate, variance, threshold, tau: threshold, nNew, nLegacy, needsLegacy: true });
  const rates = newRate !== null && legacyRate !== null ? `new-path error rate ${pct(newRate)} vs legacy ${pct(legacyRate)}` : null;
  const allowed = `+${pp(threshold)} allowed`;
  const summary =
    judged.verdict === "regressed"
      ? `${rates} (≥ +${pp(judged.interval!.lower)} at ${level()} confidence, ${allowed})`
      : judged.verdict === "pass"
        ? `${rates} (at most ${signedPp(judged.passBound!)}, ${allowed})`
        : collectingSummary("error rate", rates, judged, plan, (value) => signedPp(value), allowed);
  return { guardrail: "errorRate", ...judgedFields(judged), threshold, samples: { new: nNew, legacy: nLegacy }, newValue: newRate, legacyValue: legacyRate, summary };
}

/**
 * The new path may be at most `maxSlowerPct` slower than legacy at quantile q. With the limit
 * T = legacy quantile × (1 + maxSlowerPct), that holds exactly when at most 1 − q of new-path
 * requests are slower than T (legacy has 1 − q above its own quantile), so it is judged as a
 * proportion; legacy's share at its own quantile carries the noise of T (its (1−q)q/n term).
 */
function latencyCheck(plan: RampPlan, totals: { new: PathTotals; legacy: PathTotals }, guardrail: "p99" | "p95", q: number, maxSlowerPct: number): GuardrailCheck {
  const threshold = 1 - q;
  const newSketch = totals.new.latency;
  const legacySketch = totals.legacy.latency;
  const nNew = newSketch?.count ?? 0;
  const nLegacy = legacySketch?.count ?? 0;
  const newValue = nNew > 0 ? newSketch!.getValueAtQuantile(q) : null;
  const legacyValue = nLegacy > 0 ? legacySketch!.getValueAtQuantile(q) : null;
  const limit = legacyValue !== null ? legacyValue * (1 + maxSlowerPct / 100) : null;
  const aboveNew = limit !== null && newSketch ? countAbove(newSketch, limit) : null;
  const estimate = aboveNew !== null && nNew > 0 ? aboveNew / nNew : null;
  const legacyShare = limit !== null && legacySketch ? countAbove(legacySketch, limit) / nLegacy : null;
  const variance = smoothedVariance(aboveNew ?? 0, nNew) + (nLegacy > 0 ? (q * (1 - q)) / nLegacy : Infinity);
  const judged = judge(plan, { estimate, variance, threshold, tau: threshold, nNew, nLegacy, needsLegacy: true });
  const quantiles = newValue !== null && legacyValue !== null ? `new-path ${guardrail} ${ms(newValue)} vs legacy ${ms(legacyValue)}` : null;
  const limitWords = limit !== null ? `slower than ${ms(limit)} (legacy ${guardrail} + ${maxSlowerPct}%)` : "";
  const allowed = `${pct(threshold)} allowed`;
  const summary =
    judged.verdict === "regressed"
      ? `${quantiles}: ${pct(estimate!)} of new-path requests ${limitWords} (≥ ${pct(judged.interval!.lower)} at ${level()} confidence, ${allowed})`
      : judged.verdict === "pass"
        ? `${quantiles}: at most ${pct(judged.passBound!)} of new-path requests ${limitWords}, ${allowed}`
        : collectingSummary(`${guardrail} latency`, quantiles, judged, plan, (value) => `${pct(value)} of new-path requests ${limitWords}`, allowed);
  return {
    guardrail,
    ...judgedFields(judged),
    threshold,
    samples: { new: nNew, legacy: nLegacy },
    newValue,
    legacyValue,
    latencyLimitMs: limit,
    legacyShareAboveLimit: legacyShare,
    summary,
  };
}

function errorRateCeilingCheck(plan: RampPlan, totals: { new: PathTotals; legacy: PathTotals }, threshold: number): GuardrailCheck {
  const nNew = totals.new.requests;
  const newRate = nNew > 0 ? totals.new.errors / nNew : null;
  const judged = judge(plan, { estimate: newRate, variance: smoothedVariance(totals.new.errors, nNew), threshold, tau: threshold, nNew, nLegacy: 0, needsLegacy: false });
  const words = newRate !== null ? `new-path error rate ${pct(newRate)}` : null;
  const allowed = `ceiling ${pct(threshold)}`;
  const summary =
    judged.verdict === "regressed"
      ? `${words} (≥ ${pct(judged.interval!.lower)} at ${level()} confidence, ${allowed})`
      : judged.verdict === "pass"
        ? `${words} (at most ${pct(judged.passBound!)}, ${allowed})`
        : collectingSummary("error-rate ceiling", words, judged, plan, (value) => pct(value), allowed);
  return { guardrail: "errorRateCeiling", ...judgedFields(judged), threshold, samples: { new: nNew, legacy: totals.legacy.requests }, newValue: newRate, legacyValue: null, summary };
}

function latencyCeilingCheck(plan: RampPlan, totals: { new: PathTotals; legacy: PathTotals }, ceilingMs: number): GuardrailCheck {
  const threshold = 0.01;
  const sketch = totals.new.latency;
  const nNew = sketch?.count ?? 0;
  const above = sketch ? countAbove(sketch, ceilingMs) : 0;
  const estimate = nNew > 0 ? above / nNew : null;
  const newValue = nNew > 0 ? sketch!.getValueAtQuantile(0.99) : null;
  const judged = judge(plan, { estimate, variance: smoothedVariance(above, nNew), threshold, tau: threshold, nNew, nLegacy: 0, needsLegacy: false });
  const words = newValue !== null ? `new-path p99 ${ms(newValue)}` : null;
  const allowed = `${pct(threshold)} allowed above the ${ms(ceilingMs)} ceiling`;
  const summary =
    judged.verdict === "regressed"
      ? `${words}: ${pct(estimate!)} of new-path requests slower than ${ms(ceilingMs)} (≥ ${pct(judged.interval!.lower)} at ${level()} confidence, ${allowed})`
      : judged.verdict === "pass"
        ? `${words}: at most ${pct(judged.passBound!)} of new-path requests slower than ${ms(ceilingMs)}, ${allowed}`
        : collectingSummary("p99 ceiling", words, judged, plan, (value) => `${pct(value)} slower than ${ms(ceilingMs)}`, allowed);
  return { guardrail: "p99Ceiling", ...judgedFields(judged), threshold, samples: { new: nNew, legacy: totals.legacy.requests }, newValue, legacyValue: null, latencyLimitMs: ceilingMs, legacyShareAboveLimit: null, summary };
}

interface Judged {
  verdict: GuardrailVerdict;
  estimate: number | null;
  interval: GuardrailCheck["interval"];
  passBound: number | null;
  needed: GuardrailCheck["needed"];
  /** The legacy path has fewer requests than the plan's minimum. */
  legacyShort: boolean;
}

function judgedFields({ verdict, estimate, interval, passBound, needed }: Judged) {
  return { verdict, estimate, interval, passBound, needed };
}

function judge(
  plan: RampPlan,
  input: { estimate: number | null; variance: number; threshold: number; tau: number; nNew: number; nLegacy: number; needsLegacy: boolean },
): Judged {
  const { estimate, variance, threshold, tau, nNew, nLegacy, needsLegacy } = input;
  const { alpha, passAlpha, judgeFloor } = GUARD_STATISTICS;
  const min = plan.minSamplesPerPath;
  const shortOfMinimum = { new: Math.max(0, min - nNew), legacy: needsLegacy ? Math.max(0, min - nLegacy) : 0 };
  const legacyShort = shortOfMinimum.legacy > 0;
  if (estimate === null || !Number.isFinite(variance) || nNew < judgeFloor || (needsLegacy && nLegacy < judgeFloor)) {
    // No data is never a pass: below the floor there is only the minimum to report.
    return { verdict: "collecting", estimate, interval: null, passBound: null, needed: shortOfMinimum, legacyShort };
  }
  const interval = alwaysValidInterval(estimate, variance, tau, alpha);
  const passBound = alwaysValidInterval(estimate, variance, tau, passAlpha).upper;
  const judgedInterval = { lower: interval.lower, upper: interval.upper, level: 1 - alpha };
  if (interval.lower > threshold) return { verdict: "regressed", estimate, interval: judgedInterval, passBound, needed: null, legacyShort };
  const minimumMet = shortOfMinimum.new === 0 && shortOfMinimum.legacy === 0;
  if (minimumMet && passBound <= threshold) return { verdict: "pass", estimate, interval: judgedInterval, passBound, needed: { new: 0, legacy: 0 }, legacyShort };
  // Assume the estimate holds and both paths keep their split: how far until the bound fits?
  const growth = growthToFit(variance, tau, passAlpha, threshold - estimate);
  const needed =
    growth === null
      ? null
      : {
          new: Math.max(shortOfMinimum.new, Math.ceil(nNew * (growth - 1))),
          legacy: needsLegacy ? Math.max(shortOfMinimum.legacy, Math.ceil(nLegacy * (growth - 1))) : 0,
        };
  return { verdict: "collecting", estimate, interval: judgedInterval, passBound, needed, legacyShort };
}

function collectingSummary(
  name: string,
  values: string | null,
  judged: Judged,
  plan: RampPlan,
  bound: (value: number) => string,
  allowed: string,
): string {
  const min = plan.minSamplesPerPath;
  if (judged.passBound === null) {
    return `${name} still collecting: ${judged.needed ? describeNeeded(judged.needed, true) : "no traffic yet"} before it can be judged (at least ${count(min)} a path)`;
  }
  const where = `${values}, up to ${bound(judged.passBound)} so far (${allowed})`;
  if (judged.needed === null) return `${name} still collecting: ${where}; it cannot pass while the estimate stays above the threshold`;
  return `${name} still collecting: ${where}; about ${describeNeeded(judged.needed, judged.legacyShort)}`;
}

/** The new path is the one a step waits for; legacy is named only while it is short of the minimum. */
function describeNeeded(needed: { new: number; legacy: number }, legacyShort: boolean): string {
  const parts = [needed.new > 0 ? `${count(needed.new)} more new-path` : null, legacyShort && needed.legacy > 0 ? `${count(needed.legacy)} more legacy-path` : null].filter(Boolean);
  return parts.length > 0 ? `${parts.join(" and ")} requests needed` : "no more requests needed";
}

/** Binomial variance with one pseudo-success and one pseudo-failure, so zero errors is not zero variance. */
function smoothedVariance(successes: number, trials: number): number {
  if (trials <= 0) return Infinity;
  const p = (successes + 1) / (trials + 2);
  return (p * (1 - p)) / trials;
}

/** Requests in bins whose value lies above `limitMs` (within the sketch's 1 % accuracy). */
export function countAbove(sketch: LatencySketch, limitMs: number): number {
  const { store } = sketch;
  const key = sketch.mapping.key(limitMs);
  let above = 0;
  for (let index = Math.max(0, key + 1 - store.offset); index < store.bins.length; index++) above += store.bins[index]!;
  return above;
}

const level = () => `${Math.round((1 - GUARD_STATISTICS.alpha) * 100)}%`;
const count = (n: number) => Math.round(n).toLocaleString("en-US");
const ms = (value: number) => `${value < 10 ? value.toFixed(1) : Math.round(value)} ms`;
function pct(proportion: number): string {
  const value = proportion * 100;
  return `${Math.abs(value) < 1 ? value.toFixed(2) : value.toFixed(1)}%`;
}
function pp(proportion: number): string {
  const value = Math.abs(proportion * 100);
  return `${value < 1 ? value.toFixed(2) : value.toFixed(1)} pp`;
}
function signedPp(proportion: number): string {
  return `${proportion < 0 ? "−" : "+"}${pp(proportion)}`;
}
