import { percentageToBasisPoints, type FlagState } from "./flag-state";
import { murmurhash3Joined } from "./murmurhash3";
import type { EvaluationReason } from "./protocol";

export type { EvaluationReason };

/** `{ kind?, key?, ...attributes }`: kind selects a context pin; rollout.by names the attribute to bucket on. */
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
  const { rollout, contexts, percentage } = state;
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

  const raw = attributes[rollout.by];
  let value: string;
  if (typeof raw === "string" && raw !== "") value = raw;
  else if (typeof raw === "number" && Number.isFinite(raw)) value = String(raw);
  else return state.default ? UNKEYED_ON : UNKEYED_OFF;

  const salt = rollout.salt ?? state.key;
  if (typeof salt !== "string") return undefined;
  return bucketOf(salt, value) < percentageToBasisPoints(percentage) ? ROLLOUT_ON : ROLLOUT_OFF;
}
