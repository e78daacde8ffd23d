import type { StepDecision } from "./decide-step";
import { holdMs, type RampPlan } from "./ramp-plan";
import type { RampPlanStatus } from "./ramp-plan-status";
import type { RampPlanRow } from "./ramp-plan-store";

/** A guarded ramp as the API and the flag page show it. */
export interface RampPlanView {
  status: RampPlanStatus;
  plan: RampPlan;
  step: number;
  percentage: number;
  nextPercentage: number | null;
  stepStartedAt: string;
  /** When the current step's hold ends; the guard still waits for evidence after it. */
  holdEndsAt: string;
  statusReason: string | null;
  /** The flags list's words for it, e.g. "25% → 50% in 4 min" or "paused: not enough traffic". */
  summary: string;
  lastCheck: StepDecision | null;
  lastCheckAt: string | null;
  startedAt: string;
  startedBy: string;
  updatedAt: string;
  updatedBy: string;
  version: number;
}

export function toRampPlanView(row: RampPlanRow, now = new Date()): RampPlanView {
  const percentage = row.plan.steps[row.step]!;
  const nextPercentage = row.plan.steps[row.step + 1] ?? null;
  const holdEndsAt = new Date(row.stepStartedAt.getTime() + holdMs(row.plan));
  const lastCheck = (row.lastCheck as StepDecision | null) ?? null;
  return {
    status: row.status,
    plan: row.plan,
    step: row.step,
    percentage,
    nextPercentage,
    stepStartedAt: row.stepStartedAt.toISOString(),
    holdEndsAt: holdEndsAt.toISOString(),
    statusReason: row.statusReason,
    summary: rampSummary(row, lastCheck, holdEndsAt, now),
    lastCheck,
    lastCheckAt: row.lastCheckAt?.toISOString() ?? null,
    startedAt: row.startedAt.toISOString(),
    startedBy: row.startedBy,
    updatedAt: row.updatedAt.toISOString(),
    updatedBy: row.updatedBy,
    version: row.version,
  };
}

function rampSummary(row: RampPlanRow, lastCheck: StepDecision | null, holdEndsAt: Date, now: Date): string {
  const percentage = row.plan.steps[row.step]!;
  const next = row.plan.steps[row.step + 1];
  switch (row.status) {
    case "running": {
      if (next === undefined) return `${percentage}%: completing`;
      const leftMs = holdEndsAt.getTime() - now.getTime();
      if (leftMs > 0) return `${percentage}% → ${next}% in ${Math.max(1, Math.ceil(leftMs / 60_000))} min`;
      return `${percentage}% → ${next}% once there is enough traffic`;
    }
    case "paused":
      return row.updatedBy === "guard" && lastCheck?.action === "pause" ? "paused: not enough traffic" : `paused by ${row.updatedBy}`;
    case "rolled_back":
      return `killed by the guard at ${percentage}%`;
    case "completed":
      return "guarded ramp complete";
    case "aborted":
      return `ramp aborted by ${row.updatedBy}`;
  }
}
