import { percentageToBasisPoints } from "@rampart/sdk";
import type { ServiceContext } from "@/lib/context";
import { ConflictError } from "@/lib/errors";
import { changeFlagState, type FlagStateChange } from "./change-flag-state";
import type { FlagStateRow } from "./flag-view";
import type { FlagStatePatch } from "./schemas";

export interface UpdateFlagStateInput {
  key: string;
  env: string;
  patch: FlagStatePatch;
  expectedVersion?: number;
}

/**
 * A partial update of default, percentage, rollout attribute and context pins.
 * While killed the percentage stays 0: restore first, so nobody re-ramps a killed flag by accident.
 */
export async function updateFlagState({ ctx, input }: { ctx: ServiceContext; input: UpdateFlagStateInput }) {
  return changeFlagState(ctx, {
    key: input.key,
    env: input.env,
    action: "flag.state_updated",
    reason: input.patch.reason,
    expectedVersion: input.expectedVersion,
    decide: (current) => applyPatch(current, input.patch),
  });
}

function applyPatch(current: FlagStateRow, patch: FlagStatePatch): FlagStateChange {
  const change: FlagStateChange = {};
  if (patch.default !== undefined) change.defaultValue = patch.default;
  if (patch.percentage !== undefined) {
    const percentageBp = percentageToBasisPoints(patch.percentage);
    if (current.killed && percentageBp !== current.percentageBp) {
      throw new ConflictError("flag_killed", "The flag is killed; restore it before changing the percentage.", [
        { path: "percentage", message: "cannot change while the flag is killed" },
      ]);
    }
    change.percentageBp = percentageBp;
  }
  if (patch.rollout) change.rolloutBy = patch.rollout.by;
  if (patch.contexts) change.contexts = mergePins(current.contexts, patch.contexts);
  return change;
}

/** JSON merge-patch semantics: a boolean pins the kind, null removes its pin. */
function mergePins(current: Record<string, boolean>, patch: Record<string, boolean | null>): Record<string, boolean> {
  const merged = { ...current };
  for (const [kind, pinned] of Object.entries(patch)) {
    if (pinned === null) delete merged[kind];
    else merged[kind] = pinned;
  }
  return Object.fromEntries(Object.entries(merged).sort(([a], [b]) => a.localeCompare(b)));
}
