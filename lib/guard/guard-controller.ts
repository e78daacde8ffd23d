import { basisPointsToPercentage, percentageToBasisPoints } from "@rampart/sdk";
import type { Actor } from "@/lib/auth/actor";
import type { ServiceContext } from "@/lib/context";
import type { Db } from "@/lib/db/client";
import { recordAuditEvent } from "@/lib/audit/audit-store";
import { ConflictError } from "@/lib/errors";
import { changeFlagState } from "@/lib/flags/change-flag-state";
import { findFlagState } from "@/lib/flags/flag-store";
import { killFlag } from "@/lib/flags/kill-switch";
import { registerFollowRamp } from "@/lib/lifecycle/follow-ramp";
import { readGuardWindows } from "@/lib/metrics/guard-window-store";
import { decideStep, type StepAction, type StepDecision } from "./decide-step";
import { planAudit } from "./guarded-ramp";
import { registerPeopleOutrankGuard } from "./people-outrank-guard";
import { findRunningRampPlans, saveLastCheck, updateRampPlan, type RampPlanChange, type RampPlanRow, type RunningRampPlan } from "./ramp-plan-store";

// The controller's flag changes run the same hooks as a person's: reaching 100% starts the
// teardown hold, and (skipped for the controller itself) people outrank the guard.
registerFollowRamp();
registerPeopleOutrankGuard();

/** Who the controller is in the audit trail. */
export const GUARD_ACTOR: Actor = { kind: "controller", name: "guard", role: "operator", environment: null };

export interface GuardOutcome {
  flag: string;
  env: string;
  /** What the guard did; `superseded` when a person changed the flag or the plan first; `failed` on any other error. */
  action: StepAction | "superseded" | "failed";
  reason: string;
}

/** Looks at every running plan once and acts on each: what the leader runs every 10 s. */
export async function runGuardChecks(db: Db, now = new Date()): Promise<GuardOutcome[]> {
  const outcomes: GuardOutcome[] = [];
  for (const running of await findRunningRampPlans(db)) {
    try {
      outcomes.push(await checkRampPlan(db, running, now));
    } catch (error) {
      // One plan's failure must not keep the guard from the others: it is logged and retried next tick.
      const superseded = error instanceof ConflictError || error instanceof PlanMoved;
      if (!superseded) console.error(`[rampart] guard: checking ${running.flagKey} in ${running.environmentKey} failed`, error);
      outcomes.push({ flag: running.flagKey, env: running.environmentKey, action: superseded ? "superseded" : "failed", reason: error instanceof Error ? error.message : String(error) });
    }
  }
  return outcomes;
}

class PlanMoved extends Error {
  constructor() {
    super("The plan changed while the guard checked it; it looks again next time.");
  }
}

async function checkRampPlan(db: Db, { plan, flagKey, environmentKey }: RunningRampPlan, now: Date): Promise<GuardOutcome> {
  const outcome = (action: GuardOutcome["action"], reason: string): GuardOutcome => ({ flag: flagKey, env: environmentKey, action, reason });
  const state = await findFlagState(db, plan.flagId, plan.environmentId);
  if (!state) return outcome("superseded", "the flag has no state here");

  // Every change through Rampart pauses the plan in its own transaction; this catches the rest.
  const stepBp = percentageToBasisPoints(plan.plan.steps[plan.step]!);
  if (state.killed || state.percentageBp !== stepBp) {
    const served = state.killed ? "killed" : `at ${basisPointsToPercentage(state.percentageBp)}%`;
    const reason = `Guard paused the ramp: the flag is ${served}, not at the plan's ${plan.plan.steps[plan.step]}%`;
    await act(db, plan, "ramp.paused", { status: "paused", statusReason: reason }, null, now);
    return outcome("pause", reason);
  }

  const windows = await readGuardWindows(db, plan.environmentId, plan.flagId, plan.stepStartedAt);
  const decision = decideStep({
    plan: plan.plan,
    step: plan.step,
    stepStartedAt: plan.stepStartedAt,
    now,
    windows: windows.map((window) => ({ ...window, reason: "rollout" as const })),
  });
  const ctx = (tx: Db): ServiceContext => ({ db: tx, actor: GUARD_ACTOR, source: "controller" });
  const flagInput = { key: flagKey, env: environmentKey, reason: decision.reason, expectedVersion: state.version };

  switch (decision.action) {
    case "hold":
      await saveLastCheck(db, plan, plan.version, decision, now);
      break;
    case "advance":
      await db.transaction(async (tx) => {
        const percentageBp = percentageToBasisPoints(decision.evidence.nextPercentage!);
        await changeFlagState(ctx(tx), { ...flagInput, action: "flag.state_updated", decide: () => ({ percentageBp }) });
        const step = plan.step + 1;
        const last = step === plan.plan.steps.length - 1;
        const advanced = await act(tx, plan, "ramp.advanced", { step, stepStartedAt: new Date() }, decision, now);
        if (last) {
          const reason = `Ramp complete: ${plan.plan.steps[step]}% of traffic on the new path`;
          await act(tx, advanced, "ramp.completed", { status: "completed", statusReason: reason }, decision, now);
        }
      });
      break;
    case "rollback":
      await db.transaction(async (tx) => {
        await killFlag({ ctx: ctx(tx), input: flagInput });
        await act(tx, plan, "ramp.rolled_back", { status: "rolled_back", statusReason: decision.reason }, decision, now);
      });
      break;
    case "complete":
      await act(db, plan, "ramp.completed", { status: "completed", statusReason: decision.reason }, decision, now);
      break;
    case "pause":
      await act(db, plan, "ramp.paused", { status: "paused", statusReason: decision.reason }, decision, now);
      break;
  }
  return outcome(decision.action, decision.reason);
}

/**
 * Moves the plan on, if nobody did first (its version), and audits it as the guard with the
 * evidence. Throws PlanMoved otherwise, so the flag change made beside it rolls back too.
 */
async function act(db: Db, plan: RampPlanRow, action: string, change: RampPlanChange, decision: StepDecision | null, now: Date): Promise<RampPlanRow> {
  return db.transaction(async (tx) => {
    const moved = await updateRampPlan(tx, plan, plan.version, {
      ...change,
      ...(decision ? { lastCheck: decision, lastCheckAt: now } : {}),
      updatedAt: new Date(),
      updatedBy: GUARD_ACTOR.name,
    });
    if (!moved) throw new PlanMoved();
    await recordAuditEvent(tx, {
      actor: GUARD_ACTOR.name,
      source: "controller",
      action,
      environmentId: plan.environmentId,
      flagId: plan.flagId,
      before: planAudit(plan),
      after: { ...planAudit(moved), ...(decision ? { evidence: decision.evidence } : {}) },
      reason: moved.statusReason ?? decision?.reason ?? null,
    });
    return moved;
  });
}
