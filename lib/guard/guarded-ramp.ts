import { basisPointsToPercentage, percentageToBasisPoints } from "@rampart/sdk";
import type { ServiceContext } from "@/lib/context";
import type { Db } from "@/lib/db/client";
import { recordAuditEvent } from "@/lib/audit/audit-store";
import { requireEnvironment, type Environment } from "@/lib/environments/environment-store";
import { ConflictError, NotFoundError } from "@/lib/errors";
import { changeFlagState } from "@/lib/flags/change-flag-state";
import { requireFlag, requireFlagState } from "@/lib/flags/flag-store";
import type { FlagRow, FlagStateRow } from "@/lib/flags/flag-view";
import { lockEnvironmentsForChange } from "@/lib/propagation/flag-changes";
import { startingStep, type RampPlan } from "./ramp-plan";
import { FINISHED_STATUSES } from "./ramp-plan-status";
import { findRampPlan, putRampPlan, updateRampPlan, type RampPlanRow } from "./ramp-plan-store";

// People start, pause, resume and abort a guarded ramp; the controller (guard-controller.ts)
// moves it on. Every operation takes the environment's change lock first, as a flag-state change
// does, so plan and flag rows are always locked in one order and never deadlock.

export interface GuardedRampInput {
  key: string;
  env: string;
  reason?: string;
}

export interface StartGuardedRampInput extends GuardedRampInput {
  plan: RampPlan;
}

/**
 * Starts a plan at the highest step not above the flag's percentage (the first step from 0%),
 * moving the flag to it: a start never ramps past where a person left it.
 */
export async function startGuardedRamp({ ctx, input }: { ctx: ServiceContext; input: StartGuardedRampInput }): Promise<RampMove> {
  return inPlanTransaction(ctx, input, async (tx, { flag, environment, state, plan: existing }) => {
    if (existing && !FINISHED_STATUSES.includes(existing.status)) {
      throw new ConflictError("ramp_in_progress", `Flag "${flag.key}" already has a ${existing.status} guarded ramp in ${environment.key}; abort it first.`, [
        { path: "plan", message: `a ${existing.status} plan exists` },
      ]);
    }
    refuseKilled(flag, state);
    if (state.percentageBp >= 10_000) {
      throw new ConflictError("already_ramped", `Flag "${flag.key}" is already at 100% in ${environment.key}; there is nothing to ramp.`, [
        { path: "percentage", message: "is already 100" },
      ]);
    }
    const step = startingStep(input.plan.steps, basisPointsToPercentage(state.percentageBp));
    const { now, flagVersion } = await moveToStep(tx, ctx, input, input.plan, step, `Guarded ramp started at ${input.plan.steps[step]}%`);
    const row = await putRampPlan(tx, {
      flagId: flag.id,
      environmentId: environment.id,
      plan: input.plan,
      ...runningFrom(step, now, ctx),
      startedAt: now,
      startedBy: ctx.actor.name,
    });
    await audit(tx, ctx, row, "ramp.started", existing ?? null, input.reason);
    return { plan: row, flagVersion };
  });
}

export async function pauseGuardedRamp({ ctx, input }: { ctx: ServiceContext; input: GuardedRampInput }): Promise<RampPlanRow> {
  return inPlanTransaction(ctx, input, async (tx, { plan }) => {
    const current = requireStatus(plan, input, ["running"], "pause");
    const now = new Date();
    const statusReason = `Paused by ${ctx.actor.name}${input.reason ? `: ${input.reason}` : ""}`;
    const row = await updateRampPlan(tx, current, current.version, { status: "paused", statusReason, updatedAt: now, updatedBy: ctx.actor.name });
    await audit(tx, ctx, row!, "ramp.paused", current, input.reason);
    return row!;
  });
}

/**
 * Resumes at the highest step not above the flag's percentage now (a person may have moved it
 * while paused) and starts that step's hold afresh: evidence from before the pause may be from
 * other traffic, and no data is never a pass.
 */
export async function resumeGuardedRamp({ ctx, input }: { ctx: ServiceContext; input: GuardedRampInput }): Promise<RampMove> {
  return inPlanTransaction(ctx, input, async (tx, { flag, state, plan }) => {
    const current = requireStatus(plan, input, ["paused"], "resume");
    refuseKilled(flag, state);
    const step = startingStep(current.plan.steps, basisPointsToPercentage(state.percentageBp));
    const { now, flagVersion } = await moveToStep(tx, ctx, input, current.plan, step, `Guarded ramp resumed at ${current.plan.steps[step]}%`);
    const row = await updateRampPlan(tx, current, current.version, runningFrom(step, now, ctx));
    await audit(tx, ctx, row!, "ramp.resumed", current, input.reason);
    return { plan: row!, flagVersion };
  });
}

/** Ends the plan and leaves the flag where it is. */
export async function abortGuardedRamp({ ctx, input }: { ctx: ServiceContext; input: GuardedRampInput }): Promise<RampPlanRow> {
  return inPlanTransaction(ctx, input, async (tx, { plan }) => {
    const current = requireStatus(plan, input, ["running", "paused"], "abort");
    const now = new Date();
    const statusReason = `Aborted by ${ctx.actor.name}${input.reason ? `: ${input.reason}` : ""}`;
    const row = await updateRampPlan(tx, current, current.version, { status: "aborted", statusReason, updatedAt: now, updatedBy: ctx.actor.name });
    await audit(tx, ctx, row!, "ramp.aborted", current, input.reason);
    return row!;
  });
}

/** A plan running from `step`, its hold starting `now`, with no check of it yet. */
function runningFrom(step: number, now: Date, ctx: ServiceContext) {
  return { status: "running" as const, step, stepStartedAt: now, statusReason: null, lastCheck: null, lastCheckAt: null, updatedAt: now, updatedBy: ctx.actor.name };
}

interface PlanScope {
  flag: FlagRow;
  environment: Environment;
  state: FlagStateRow;
  plan: RampPlanRow | undefined;
}

async function inPlanTransaction<T>(ctx: ServiceContext, input: GuardedRampInput, work: (tx: Db, scope: PlanScope) => Promise<T>): Promise<T> {
  const environment = await requireEnvironment(ctx.db, input.env);
  return ctx.db.transaction(async (tx) => {
    await lockEnvironmentsForChange(tx, [environment.id]);
    const flag = await requireFlag(tx, input.key);
    if (flag.archivedAt) {
      throw new ConflictError("flag_archived", `Flag "${flag.key}" is archived; it cannot be ramped.`, [{ path: "key", message: "is archived" }]);
    }
    const state = await requireFlagState(tx, flag, environment);
    const plan = await findRampPlan(tx, flag.id, environment.id, { forUpdate: true });
    return work(tx, { flag, environment, state, plan });
  });
}

function requireStatus(plan: RampPlanRow | undefined, input: GuardedRampInput, allowed: RampPlanRow["status"][], verb: string): RampPlanRow {
  if (!plan) {
    throw new NotFoundError("ramp_plan_not_found", `Flag "${input.key}" has no guarded ramp in ${input.env}.`, [{ path: "key", message: "has no guarded ramp" }]);
  }
  if (!allowed.includes(plan.status)) {
    throw new ConflictError("ramp_plan_status", `The guarded ramp of "${input.key}" in ${input.env} is ${plan.status.replace("_", " ")}; only a ${allowed.join(" or ")} one can ${verb}.`, [
      { path: "status", message: `is ${plan.status}` },
    ]);
  }
  return plan;
}

function refuseKilled(flag: FlagRow, state: FlagStateRow): void {
  if (state.killed) {
    throw new ConflictError("flag_killed", `Flag "${flag.key}" is killed; restore it before ramping it.`, [{ path: "killed", message: "restore the flag first" }]);
  }
}

/** A started or resumed plan, and the flag version its move to the step made (null when the flag was already there). */
export interface RampMove {
  plan: RampPlanRow;
  flagVersion: number | null;
}

/** Sets the flag to the step's percentage (no change if it is there), as the person acting; answers the time and the new version. */
async function moveToStep(tx: Db, ctx: ServiceContext, input: GuardedRampInput, plan: RampPlan, step: number, reason: string): Promise<{ now: Date; flagVersion: number | null }> {
  const percentageBp = percentageToBasisPoints(plan.steps[step]!);
  const result = await changeFlagState({ ...ctx, db: tx }, { key: input.key, env: input.env, action: "flag.state_updated", reason, decide: () => ({ percentageBp }) });
  return { now: new Date(), flagVersion: result.changed ? result.state.version : null };
}

async function audit(tx: Db, ctx: ServiceContext, row: RampPlanRow, action: string, before: RampPlanRow | null, reason?: string): Promise<void> {
  await recordAuditEvent(tx, {
    actor: ctx.actor.name,
    source: ctx.source,
    action,
    environmentId: row.environmentId,
    flagId: row.flagId,
    before: before && planAudit(before),
    after: planAudit(row),
    reason: reason ?? row.statusReason,
    requestId: ctx.requestId,
  });
}

/** What the audit trail keeps of a plan: enough to tell what it was doing, not the guard's every check. */
export function planAudit(row: RampPlanRow) {
  return {
    status: row.status,
    step: row.step,
    percentage: row.plan.steps[row.step],
    stepStartedAt: row.stepStartedAt.toISOString(),
    plan: row.plan,
  };
}
