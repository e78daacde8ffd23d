import { isDeepStrictEqual } from "node:util";
import { basisPointsToPercentage } from "@rampart/sdk";
import type { ServiceContext } from "@/lib/context";
import type { Db } from "@/lib/db/client";
import { recordAuditEvent } from "@/lib/audit/audit-store";
import { onFlagStateChange, type FlagStateChanged } from "@/lib/flags/change-flag-state";
import { planAudit } from "./guarded-ramp";
import { findRampPlan, updateRampPlan } from "./ramp-plan-store";

/**
 * In every flag-state change's transaction: a change a person makes to what a flag serves
 * (percentage, kill, restore, default, pins) pauses its running plan, so the controller never
 * undoes it. Target edits serve nobody else differently and leave the plan alone.
 */
export async function pauseForPeople(tx: Db, ctx: ServiceContext, change: FlagStateChanged): Promise<void> {
  if (ctx.source === "controller") return;
  if (!servesDifferently(change)) return;
  const plan = await findRampPlan(tx, change.flagId, change.environmentId, { forUpdate: true });
  if (plan?.status !== "running") return;
  const statusReason = `Paused: ${ctx.actor.name} ${whatChanged(change)} by hand, and people outrank the guard`;
  const paused = await updateRampPlan(tx, plan, plan.version, { status: "paused", statusReason, updatedAt: change.now, updatedBy: ctx.actor.name });
  await recordAuditEvent(tx, {
    actor: ctx.actor.name,
    source: ctx.source,
    action: "ramp.paused",
    environmentId: change.environmentId,
    flagId: change.flagId,
    before: planAudit(plan),
    after: planAudit(paused!),
    reason: statusReason,
    requestId: ctx.requestId,
  });
}

function servesDifferently({ before, after }: FlagStateChanged): boolean {
  return (
    before.percentageBp !== after.percentageBp ||
    before.killed !== after.killed ||
    before.defaultValue !== after.defaultValue ||
    before.rolloutBy !== after.rolloutBy ||
    !isDeepStrictEqual(before.contexts, after.contexts)
  );
}

function whatChanged({ before, after }: FlagStateChanged): string {
  if (!before.killed && after.killed) return "killed the flag";
  if (before.killed && !after.killed) return "restored the flag";
  if (before.percentageBp !== after.percentageBp) return `moved it to ${basisPointsToPercentage(after.percentageBp)}%`;
  return "changed what it serves";
}

// As registerFollowRamp: flags may not import the guard, so it registers itself with flags
// wherever services are entered (apiRoute, the controller, testContext).
export function registerPeopleOutrankGuard(): void {
  onFlagStateChange("guard.pauseForPeople", pauseForPeople);
}
