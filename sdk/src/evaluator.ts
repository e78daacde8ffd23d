import { percentageToBasisPoints, type FlagState, type FlagTarget } from "./flag-state";
import { murmurhash3Joined } from "./murmurhash3";
import type { EvaluationReason } from "./protocol";

export type { EvaluationReason };

/**
 * `{ kind?, key?, ...attributes }`: kind selects a context pin, the flag's targets name attributes
 * whose listed values force the flag, and rollout.by names the attribute to bucket on.
 */
export interface EvaluationContext {
  kind?: string;
  key?: string;
  [attribute: string]: unknown;
}

/** Results are shared frozen objects (one per value × reason), so the hot path allocates none. */
export interface Evaluation {
  readonly value: boolean;
  readonly reason: EvaluationReason;
}

export const BUCKETS = 10_000;

const result = (value: boolean, reason: EvaluationReason): Evaluation => Object.freeze({ value, reason });
const ROLLOUT_ON = result(true, "rollout");
const ROLLOUT_OFF = result(false, "rollout");
const PINNED_ON = result(true, "pinned");
const PINNED_OFF = result(false, "pinned");
const TARGETED_ON = result(true, "targeted");
const TARGETED_OFF = result(false, "targeted");
const UNKEYED_ON = result(true, "unkeyed");
const UNKEYED_OFF = result(false, "unkeyed");
const KILLED = result(false, "killed");
const FALLBACK_ON = result(true, "fallback");
const FALLBACK_OFF = result(false, "fallback");

/** `murmurhash3_x86_32(salt + ":" + value, 0) % BUCKETS`; sdk/test-vectors.json pins it down. */
export function bucketOf(salt: string, value: string): number {
  return murmurhash3Joined(salt, ":", value, 0) % BUCKETS;
}

/**
 * A targets list prepared for lookups that cost the same however many values it lists: per
 * attribute (in order of first mention), value → index of the first rule listing it.
 */
export interface PreparedTargets {
  readonly groups: readonly { readonly attribute: string; readonly rules: ReadonlyMap<string, number> }[];
  /** Per rule index: what it forces. */
  readonly results: readonly Evaluation[];
}

// Keyed by the targets array, so copies of a state (`{ ...state, killed: true }`) share one
// preparation; a change arrives as a new state, never as an edit in place. `null` marks a
// malformed list, so it is not validated again on every call.
const preparedTargets = new WeakMap<readonly FlagTarget[], PreparedTargets | null>();

function prepare(targets: readonly FlagTarget[]): PreparedTargets | null {
  const groups: { attribute: string; rules: Map<string, number> }[] = [];
  const results: Evaluation[] = [];
  for (let index = 0; index < targets.length; index++) {
    const target: unknown = targets[index];
    if (typeof target !== "object" || target === null) return null;
    const { attribute, values, value } = target as Partial<FlagTarget>;
    if (typeof attribute !== "string" || !Array.isArray(values) || typeof value !== "boolean") return null;
    let group = groups.find((candidate) => candidate.attribute === attribute);
    if (group === undefined) groups.push((group = { attribute, rules: new Map() }));
    for (const listed of values as unknown[]) {
      if (typeof listed !== "string") return null;
      if (!group.rules.has(listed)) group.rules.set(listed, index);
    }
    results.push(value ? TARGETED_ON : TARGETED_OFF);
  }
  return { groups, results };
}

/** `null` when `targets` is malformed: not an array of `{ attribute: string, values: string[], value: boolean }`. */
function targetsLookup(targets: unknown): PreparedTargets | null {
  if (!Array.isArray(targets)) return null;
  let prepared = preparedTargets.get(targets);
  if (prepared === undefined) preparedTargets.set(targets, (prepared = prepare(targets)));
  return prepared;
}

/** Prepares the state's targets lookup now (FlagStore does, as a state arrives) rather than on first evaluation. Never throws. */
export function prepareTargets(state: FlagState): void {
  try {
    if (Array.isArray(state.targets)) targetsLookup(state.targets);
  } catch {
    // A state whose reads throw falls back when evaluated; nothing to prepare.
  }
}

/** @internal For tests: the lookup prepared for the state's targets, `null` if malformed, `undefined` if none yet. */
export function preparedTargetsOf(state: FlagState): PreparedTargets | null | undefined {
  return Array.isArray(state.targets) ? preparedTargets.get(state.targets) : undefined;
}

/**
 * Evaluates one flag for one context by the rules in docs/design.md. Never throws: an
 * unknown flag, a malformed state or any error (a context whose reads throw) gives the fallback.
 */
export function evaluate(state: FlagState | undefined, context: unknown, fallback = false): Evaluation {
  try {
    return evaluateState(state, context) ?? (fallback === true ? FALLBACK_ON : FALLBACK_OFF);
  } catch {
    return fallback === true ? FALLBACK_ON : FALLBACK_OFF;
  }
}

/** `undefined` means "fall back": the state is missing or malformed. */
function evaluateState(state: FlagState | undefined, context: unknown): Evaluation | undefined {
  if (typeof state !== "object" || state === null) return undefined;
  // The kill switch must work whatever else the state holds.
  if (state.killed === true) return KILLED;
  const { rollout, contexts, percentage, targets } = state;
  if (
    state.killed !== false ||
    typeof state.default !== "boolean" ||
    typeof rollout !== "object" || rollout === null ||
    typeof rollout.by !== "string" ||
    typeof contexts !== "object" || contexts === null ||
    typeof percentage !== "number" ||
    !(percentage >= 0 && percentage <= 100) // also rejects NaN
  ) {
    return undefined;
  }
  // No targets (absent or empty) costs this check; a list is validated and prepared once.
  let prepared: PreparedTargets | null = null;
  if (targets !== undefined && !(Array.isArray(targets) && targets.length === 0)) {
    prepared = targetsLookup(targets);
    if (prepared === null) return undefined;
  }
  if (typeof context !== "object" || context === null) return state.default ? UNKEYED_ON : UNKEYED_OFF;

  const attributes = context as EvaluationContext;
  const kind = attributes.kind;
  if (typeof kind === "string") {
    const pinned = contexts[kind];
    // Look at own keys only when something is there, so "constructor" or "__proto__" never pin.
    if (pinned !== undefined && Object.hasOwn(contexts, kind)) {
      if (pinned === true) return PINNED_ON;
      if (pinned === false) return PINNED_OFF;
      return undefined;
    }
  }

  if (prepared !== null) {
    const targeted = targetedBy(prepared, attributes);
    if (targeted !== undefined) return targeted;
  }

  const value = keyOf(attributes[rollout.by]);
  if (value === undefined) return state.default ? UNKEYED_ON : UNKEYED_OFF;

  const salt = rollout.salt ?? state.key;
  if (typeof salt !== "string") return undefined;
  return bucketOf(salt, value) < percentageToBasisPoints(percentage) ? ROLLOUT_ON : ROLLOUT_OFF;
}

/** What the first rule (in list order) matching the context forces, if any rule does. */
function targetedBy({ groups, results }: PreparedTargets, attributes: EvaluationContext): Evaluation | undefined {
  let first = results.length;
  for (let group = 0; group < groups.length; group++) {
    const { attribute, rules } = groups[group]!;
    const value = keyOf(attributes[attribute]);
    if (value === undefined) continue;
    const index = rules.get(value);
    // Own properties only, as for pins: nothing a context inherits forces a flag.
    if (index !== undefined && index < first && Object.hasOwn(attributes, attribute)) first = index;
  }
  return results[first];
}

/** A bucketing or targeting value: a non-empty string as is, a finite number as `String(n)`. */
function keyOf(raw: unknown): string | undefined {
  if (typeof raw === "string") return raw === "" ? undefined : raw;
  if (typeof raw === "number" && Number.isFinite(raw)) return String(raw);
  return undefined;
}
