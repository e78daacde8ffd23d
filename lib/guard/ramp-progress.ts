import type { GuardrailCheck, GuardrailName, GuardrailVerdict } from "./guardrails";

/**
 * How the flag page draws a guarded ramp: the step strip, the hold's countdown, and per
 * guardrail its scale, its verdict and when it may have the evidence it is waiting for.
 */

export type StripStepState = "done" | "current" | "next" | "later";

export interface StripStep {
  percentage: number;
  state: StripStepState;
}

/** The plan's steps as done, current (the flag's step), next and later. */
export function rampStrip(steps: readonly number[], step: number): StripStep[] {
  return steps.map((percentage, index) => ({
    percentage,
    state: index < step ? "done" : index === step ? "current" : index === step + 1 ? "next" : "later",
  }));
}

/** "4:07 left in the hold", "1 h 05 min left in the hold", then "hold over; waiting for evidence". */
export function holdCountdown(holdEndsAt: string, now: number): string {
  const leftMs = Date.parse(holdEndsAt) - now;
  if (leftMs <= 0) return "hold over; waiting for evidence";
  const seconds = Math.ceil(leftMs / 1000);
  if (seconds >= 3600) {
    const minutes = Math.ceil(seconds / 60);
    return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, "0")} min left in the hold`;
  }
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")} left in the hold`;
}

const GUARDRAIL_LABELS: Record<GuardrailName, string> = {
  errorRate: "Error rate vs legacy",
  p99: "p99 latency vs legacy",
  p95: "p95 latency vs legacy",
  errorRateCeiling: "Error-rate ceiling",
  p99Ceiling: "p99 latency ceiling",
};

export function guardrailLabel(name: GuardrailName): string {
  return GUARDRAIL_LABELS[name];
}

const VERDICT_WORDS: Record<GuardrailVerdict, string> = {
  pass: "passes",
  regressed: "regressed",
  collecting: "collecting evidence",
};

export function verdictWords(verdict: GuardrailVerdict): string {
  return VERDICT_WORDS[verdict];
}

/** An estimate on its guardrail's scale: percentage points of difference for `errorRate`, shares otherwise. */
export function formatGuardValue(guardrail: GuardrailName, value: number): string {
  const pct = value * 100;
  const digits = Math.abs(pct) < 1 ? 2 : 1;
  if (guardrail === "errorRate") return `${pct > 0 ? "+" : pct < 0 ? "−" : ""}${Math.abs(pct).toFixed(digits)} pp`;
  return `${pct.toFixed(digits)}%`;
}

/** The drawn range of a guardrail: 0, the threshold, the interval and the estimate, with a little room. */
export function guardScale(check: Pick<GuardrailCheck, "estimate" | "interval" | "threshold">): { min: number; max: number } {
  const values = [0, check.threshold, check.estimate, check.interval?.lower, check.interval?.upper].filter((value): value is number => value !== null && value !== undefined && Number.isFinite(value));
  const low = Math.min(...values);
  const high = Math.max(...values, check.threshold * 1.5);
  const pad = (high - low) * 0.05;
  return { min: low < 0 ? low - pad : 0, max: high + pad };
}

/** Where `value` sits on the scale, 0–100 (%), clamped. */
export function scalePosition(value: number, { min, max }: { min: number; max: number }): number {
  if (!(max > min)) return 0;
  return Math.min(100, Math.max(0, ((value - min) / (max - min)) * 100));
}

export interface EvidenceProgress {
  path: "new" | "legacy";
  have: number;
  /** What the path has plus what it still needs: the "n needed". */
  needed: number;
}

/**
 * The requests each path has against what it needs; legacy only when it is short. Null when
 * the guardrail cannot pass at its current estimate (no count of requests would do).
 */
export function evidenceProgress(check: Pick<GuardrailCheck, "samples" | "needed">): EvidenceProgress[] | null {
  if (check.needed === null) return null;
  const paths: EvidenceProgress[] = [{ path: "new", have: check.samples.new, needed: check.samples.new + check.needed.new }];
  if (check.needed.legacy > 0) paths.push({ path: "legacy", have: check.samples.legacy, needed: check.samples.legacy + check.needed.legacy });
  return paths;
}

/**
 * About how long until every path has what it needs, at the rate it gathered requests in the
 * step so far (samples ÷ elapsed time). 0 when nothing is missing; null when a path that still
 * needs requests has had none, or when no count would do.
 */
export function evidenceEtaMs(check: Pick<GuardrailCheck, "samples" | "needed">, elapsedMs: number): number | null {
  if (check.needed === null) return null;
  let eta = 0;
  for (const path of ["new", "legacy"] as const) {
    const missing = check.needed[path];
    if (missing <= 0) continue;
    if (check.samples[path] <= 0 || elapsedMs <= 0) return null;
    eta = Math.max(eta, (missing / check.samples[path]) * elapsedMs);
  }
  return eta;
}

/** "in about 4 min", "in under a minute", "in about 2 h"; for an ETA already estimated. */
export function formatEta(etaMs: number): string {
  if (etaMs < 60_000) return "in under a minute";
  const minutes = Math.round(etaMs / 60_000);
  if (minutes < 90) return `in about ${minutes} min`;
  return `in about ${Math.round(minutes / 60)} h`;
}
