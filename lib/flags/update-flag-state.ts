import { percentageToBasisPoints, type FlagTarget } from "@rampart/sdk";
import type { ServiceContext } from "@/lib/context";
import { ConflictError, ValidationError } from "@/lib/errors";
import { changeFlagState, type FlagStateChange } from "./change-flag-state";
import { canonicalTargets, type FlagStateRow } from "./flag-view";
import { MAX_TARGET_VALUES, type FlagStatePatch, type TargetPatch } from "./schemas";

export interface UpdateFlagStateInput {
  key: string;
  env: string;
  patch: FlagStatePatch;
  expectedVersion?: number;
}

/**
 * A partial update of default, percentage, rollout attribute, context pins and targets.
 * While killed the percentage stays 0: restore first, so nobody re-ramps a killed flag by accident.
 */
export async function updateFlagState({ ctx, input }: { ctx: ServiceContext; input: UpdateFlagStateInput }) {
  return changeFlagState(ctx, {
    key: input.key,
    env: input.env,
    action: "flag.state_updated",
    reason: input.patch.reason,
    expectedVersion: input.expectedVersion,
    decide: (current, now) => applyPatch(current, input.patch, now),
  });
}

function applyPatch(current: FlagStateRow, patch: FlagStatePatch, now: Date): FlagStateChange {
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
  if (patch.targets) {
    const targets = mergeTargets(current.targets, patch.targets);
    if (JSON.stringify(targets) !== JSON.stringify(canonicalTargets(current.targets))) {
      change.targets = targets;
      // Since the targets went from none to some; back to none clears it; edits in between keep it.
      if (current.targets.length === 0 && targets.length > 0) change.targetsSince = now;
      else if (current.targets.length > 0 && targets.length === 0) change.targetsSince = null;
    }
  }
  return change;
}

const ruleOf = (attribute: string, value: boolean) => `${attribute}=${value}`;

/**
 * Merges by rule (attribute, value): a sent list replaces the rule's list, `[]` removes the rule,
 * rules not sent stay. Refuses (400, nothing written) a value forced both on and off, or more
 * than MAX_TARGET_VALUES values in all. Sorted by attribute, the true rule first.
 */
function mergeTargets(current: FlagTarget[], patch: TargetPatch[]): FlagTarget[] {
  const rules = new Map(canonicalTargets(current).map((rule) => [ruleOf(rule.attribute, rule.value), rule]));
  for (const { attribute, value, values } of patch) {
    if (values.length === 0) rules.delete(ruleOf(attribute, value));
    else rules.set(ruleOf(attribute, value), { attribute, value, values: [...values] });
  }

  // Stored rules never conflict, so a conflict involves a value this PATCH sends.
  patch.forEach(({ attribute, value, values }, n) => {
    const opposite = new Set(rules.get(ruleOf(attribute, !value))?.values);
    const m = values.findIndex((v) => opposite.has(v));
    if (m === -1) return;
    const message = `is forced to ${value} here and to ${!value} by the ${attribute} → ${!value} rule: remove it from one of them`;
    throw new ValidationError("invalid_targets", `Invalid body: targets.${n}.values.${m}: ${message}`, [
      { path: `targets.${n}.values.${m}`, message },
    ]);
  });

  const merged = [...rules.values()].sort(
    (a, b) => (a.attribute < b.attribute ? -1 : a.attribute > b.attribute ? 1 : Number(b.value) - Number(a.value)),
  );
  const total = merged.reduce((sum, rule) => sum + rule.values.length, 0);
  if (total > MAX_TARGET_VALUES) {
    const message = `at most ${MAX_TARGET_VALUES.toLocaleString("en-US")} values in all; this would make ${total.toLocaleString("en-US")}`;
    throw new ValidationError("invalid_targets", `Invalid body: targets: ${message}`, [{ path: "targets", message }]);
  }
  return merged;
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
