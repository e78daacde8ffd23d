import { basisPointsToPercentage } from "@rampart/sdk";
import type { ServiceContext } from "@/lib/context";
import type { Db } from "@/lib/db/client";
import { recordAuditEvent } from "@/lib/audit/audit-store";
import { onFlagStateChange, type FlagStateChanged } from "@/lib/flags/change-flag-state";
import { isRamped, type TeardownStage } from "./teardown-gates";
import { findTeardowns, saveTeardown } from "./teardown-store";

/**
 * Called by every flag-state change, in its transaction: reaching 100% starts the ramp's
 * hold; a kill or a drop after that undoes stages 1 and 2 and says so in the audit log.
 */
export async function followRamp(tx: Db, ctx: ServiceContext, change: FlagStateChanged): Promise<void> {
  const wasRamped = isRamped(change.before);
  if (wasRamped === isRamped(change.after)) return;
  if (!wasRamped) {
    await saveTeardown(tx, change.flagId, change.environmentId, { rampedAt: change.now });
    return;
  }
  const row = (await findTeardowns(tx, change.flagId)).find((t) => t.environmentId === change.environmentId);
  const from: TeardownStage = row?.zeroFallbackConfirmedAt ? "zero_fallback_confirmed" : "ramped";
  await saveTeardown(tx, change.flagId, change.environmentId, {
    rampedAt: null,
    zeroFallbackConfirmedAt: null,
    zeroFallbackConfirmedBy: null,
    zeroFallbackEvidence: null,
    movedBackAt: change.now,
    movedBackFrom: from,
    movedBackBy: ctx.actor.name,
    movedBackAction: change.action,
  });
  await recordAuditEvent(tx, {
    actor: ctx.actor.name,
    source: ctx.source,
    action: "teardown.moved_back",
    environmentId: change.environmentId,
    flagId: change.flagId,
    before: { stage: from },
    after: { stage: "ramping", percentage: basisPointsToPercentage(change.after.percentageBp), killed: change.after.killed, by: change.action },
    reason: change.reason,
    requestId: ctx.requestId,
  });
}

// lib/lifecycle reads lib/flags, so flags may not import lifecycle back: flags runs the hooks
// registered with it inside each flag-state change's transaction. Registered where services are
// entered: apiRoute for every route, testContext for services that tests call directly.
export function registerFollowRamp(): void {
  onFlagStateChange("teardown.followRamp", followRamp);
}
