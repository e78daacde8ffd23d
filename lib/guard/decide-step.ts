import { stepTotals, type GuardWindow } from "./guard-window";
import { checkGuardrails, type GuardrailCheck } from "./guardrails";
import { holdMs, type RampPlan } from "./ramp-plan";

export type StepAction = "hold" | "advance" | "rollback" | "complete" | "pause";

/** A hold that ends without enough evidence is extended, up to this many holds; then the ramp pauses. */
export const HOLD_EXTENSION_LIMIT = 3;

export interface StepDecision {
  action: StepAction;
  /** Plain words for the audit trail and the flag page, e.g. "Guard: new-path error rate 3.1% vs legacy 0.4% (…) at 25%". */
  reason: string;
  evidence: {
    step: number;
    percentage: number;
    /** The percentage to move to on `advance` (the next step) or `rollback` (0). */
    nextPercentage: number | null;
    elapsedMs: number;
    holdMs: number;
    checks: GuardrailCheck[];
  };
}

export interface DecideStepInput {
  plan: RampPlan;
  /** Index into `plan.steps` of the step the flag is at. */
  step: number;
  stepStartedAt: Date;
  now: Date;
  /** Per-path, per-reason windows; those of other reasons or from before the step are ignored. */
  windows: readonly GuardWindow[];
}

/**
 * What a guarded ramp does now. Rollback as soon as any guardrail reads `regressed`, hold or
 * not; advance once the hold has elapsed and every guardrail passes; extend the hold while
 * guardrails are still collecting, and pause after HOLD_EXTENSION_LIMIT holds. The last step
 * (100 %) completes: there is no legacy path left to compare with.
 */
export function decideStep({ plan, step, stepStartedAt, now, windows }: DecideStepInput): StepDecision {
  if (!Number.isInteger(step) || step < 0 || step >= plan.steps.length) throw new RangeError(`step ${step} is not in the plan (0–${plan.steps.length - 1})`);
  const percentage = plan.steps[step]!;
  const hold = holdMs(plan);
  const elapsedMs = Math.max(0, now.getTime() - stepStartedAt.getTime());
  const evidence = (checks: GuardrailCheck[], nextPercentage: number | null) => ({ step, percentage, nextPercentage, elapsedMs, holdMs: hold, checks });

  if (step === plan.steps.length - 1) {
    return { action: "complete", reason: `Ramp complete: ${percentage}% of traffic on the new path`, evidence: evidence([], null) };
  }

  const checks = checkGuardrails(plan, stepTotals(windows, stepStartedAt, now));
  const regressed = checks.filter((check) => check.verdict === "regressed");
  if (regressed.length > 0) {
    return { action: "rollback", reason: `Guard: ${regressed.map((check) => check.summary).join("; ")} at ${percentage}%`, evidence: evidence(checks, 0) };
  }

  const waiting = checks.filter((check) => check.verdict !== "pass");
  if (elapsedMs < hold) {
    const status = waiting.length === 0 ? "every guardrail passes so far" : `${waiting.length} of ${checks.length} guardrails still collecting`;
    return { action: "hold", reason: `Holding at ${percentage}%: ${duration(hold - elapsedMs)} of ${duration(hold)} left; ${status}`, evidence: evidence(checks, null) };
  }

  if (waiting.length === 0) {
    const next = plan.steps[step + 1]!;
    return { action: "advance", reason: `Guard: every guardrail passed at ${percentage}% after ${duration(elapsedMs)}; next ${next}%`, evidence: evidence(checks, next) };
  }

  const why = waiting.map((check) => check.summary).join("; ");
  if (elapsedMs >= HOLD_EXTENSION_LIMIT * hold) {
    return { action: "pause", reason: `Guard paused the ramp at ${percentage}%: after ${duration(elapsedMs)} (${HOLD_EXTENSION_LIMIT}× the hold) there is still not enough evidence: ${why}`, evidence: evidence(checks, null) };
  }
  return {
    action: "hold",
    reason: `Hold extended at ${percentage}% (${duration(elapsedMs)} of up to ${duration(HOLD_EXTENSION_LIMIT * hold)}): ${why}`,
    evidence: evidence(checks, null),
  };
}

function duration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  if (minutes === 0) return `${rest} s`;
  return rest === 0 ? `${minutes} min` : `${minutes} min ${rest} s`;
}
