import type { FlagTarget } from "@rampart/sdk";

/** "t-42, t-43 t-44" → ["t-42", "t-43", "t-44"]: commas and whitespace both separate, repeats dropped. */
export function parseTargetValues(text: string): string[] {
  return [...new Set(text.split(/[\s,]+/).filter((value) => value !== ""))];
}

export interface TargetEdit {
  /** The PATCH's `targets`: the edited rule first, so `targets.0` is what the form shows. */
  targets: FlagTarget[];
  /** Values that were forced the other way and move with this edit. */
  moved: string[];
  /** Values already forced this way: nothing to do for them. */
  unchanged: string[];
}

/**
 * Adds values to the rule (attribute, value). The API replaces a rule's whole value list, so the
 * edit sends the merged list, and takes the values out of the opposite rule if they were there.
 */
export function planAddTargets(current: FlagTarget[], { attribute, value, values }: FlagTarget): TargetEdit {
  const same = valuesOf(current, attribute, value);
  const opposite = valuesOf(current, attribute, !value);
  const added = values.filter((v) => !same.includes(v));
  const moved = added.filter((v) => opposite.includes(v));
  const targets: FlagTarget[] = added.length === 0 ? [] : [{ attribute, value, values: [...same, ...added] }];
  if (moved.length > 0) targets.push({ attribute, value: !value, values: opposite.filter((v) => !moved.includes(v)) });
  return { targets, moved, unchanged: values.filter((v) => same.includes(v)) };
}

/** Takes one value out of its rule; the rule's last value removes the rule (`values: []`). */
export function planRemoveTarget(current: FlagTarget[], { attribute, value, item }: { attribute: string; value: boolean; item: string }): FlagTarget[] {
  const values = valuesOf(current, attribute, value);
  if (!values.includes(item)) return [];
  return [{ attribute, value, values: values.filter((v) => v !== item) }];
}

/** How many values are targeted in all: the number of test tenants (or users) the flag names. */
export function countTargetValues(targets: FlagTarget[]): number {
  return targets.reduce((sum, target) => sum + target.values.length, 0);
}

function valuesOf(targets: FlagTarget[], attribute: string, value: boolean): string[] {
  return targets.find((target) => target.attribute === attribute && target.value === value)?.values ?? [];
}
