import { basisPointsToPercentage } from "@rampart/sdk";
import { ConflictError, type ErrorDetail } from "@/lib/errors";
import type { PathCountsEvidence } from "./path-counts-evidence";

// The rules of the teardown order, as pure functions of the evidence: the flag page shows
// what they say, and the actions refuse with the same words (409) when a step comes early.

export type TeardownStage = "ramping" | "ramped" | "zero_fallback_confirmed" | "flag_removed" | "schema_contracted";

export interface Refusal {
  code: string;
  message: string;
  details: ErrorDetail[];
}

const HOUR_MS = 60 * 60 * 1000;

/** Stage 1 holds while the flag serves the new path to everyone: 100% and not killed. */
export function isRamped(state: { percentageBp: number; killed: boolean }): boolean {
  return state.percentageBp === 10_000 && !state.killed;
}

export function rampRefusal(env: string, state: { percentageBp: number; killed: boolean }): Refusal | null {
  if (isRamped(state)) return null;
  const where = state.killed ? "is killed" : `is at ${basisPointsToPercentage(state.percentageBp)}%`;
  return {
    code: "not_ramped",
    message: `Ramp first: the flag ${where} in ${env}; it must be at 100% and not killed.`,
    details: [{ path: "env", message: `not ramped in ${env}` }],
  };
}

/** Stage 2: the legacy path read zero over the trigger window, and there was traffic to read. */
export function zeroFallbackRefusal({
  env,
  state,
  evidence,
  days,
}: {
  env: string;
  state: { percentageBp: number; killed: boolean };
  evidence: PathCountsEvidence;
  days: number;
}): Refusal | null {
  const notRamped = rampRefusal(env, state);
  if (notRamped) return notRamped;
  const window = `over the last ${days} ${days === 1 ? "day" : "days"}`;
  if (evidence.legacyRequests > 0) {
    return {
      code: "legacy_traffic",
      message: `The legacy path served ${evidence.legacyRequests} requests in ${env} ${window}; it must read zero.`,
      details: [{ path: "env", message: `${evidence.legacyRequests} legacy-path requests since ${evidence.from}` }],
    };
  }
  if (evidence.newRequests === 0) {
    return {
      code: "no_traffic",
      message: `No requests were measured in ${env} ${window}: zero fallback cannot be shown without traffic.`,
      details: [{ path: "env", message: `no requests since ${evidence.from}` }],
    };
  }
  return null;
}

export interface EnvironmentEvaluation {
  environment: string;
  lastEvaluatedAt: Date | null;
  zeroFallbackConfirmed: boolean;
}

/**
 * Stage 3: the flag may leave the flag service once fallback is confirmed wherever it was
 * evaluated and no SDK has evaluated it for the quiet window; earlier, code still asking
 * for it would get its caller's fallback (reason `fallback`).
 */
export function archiveRefusal({
  environments,
  quietHours,
  now,
}: {
  environments: EnvironmentEvaluation[];
  quietHours: number;
  now: Date;
}): Refusal | null {
  const unconfirmed = environments.filter((e) => !e.zeroFallbackConfirmed && e.lastEvaluatedAt !== null);
  if (unconfirmed.length > 0 || !environments.some((e) => e.zeroFallbackConfirmed)) {
    const named = unconfirmed.length > 0 ? unconfirmed.map((e) => e.environment).join(", ") : "any environment";
    return {
      code: "zero_fallback_unconfirmed",
      message: `Confirm zero fallback first: it is not confirmed in ${named}.`,
      details: (unconfirmed.length > 0 ? unconfirmed : environments).map((e) => ({
        path: "env",
        message: `zero fallback not confirmed in ${e.environment}`,
      })),
    };
  }
  const quietSince = now.getTime() - quietHours * HOUR_MS;
  const evaluated = environments.filter((e) => e.lastEvaluatedAt !== null && e.lastEvaluatedAt.getTime() > quietSince);
  if (evaluated.length > 0) {
    return {
      code: "still_evaluated",
      message: `SDKs still evaluate this flag (${evaluated.map((e) => `${e.environment} at ${e.lastEvaluatedAt!.toISOString()}`).join(", ")}). Remove it from code and wait until nothing has evaluated it for ${quietHours} hours: archiving now would hand that code "flag not found" defaults.`,
      details: evaluated.map((e) => ({ path: "env", message: `evaluated in ${e.environment} at ${e.lastEvaluatedAt!.toISOString()}` })),
    };
  }
  return null;
}

/** Stage 4: the old column may only go once the flag is gone, so no fallback can read it. */
export function contractRefusal({ archived }: { archived: boolean }): Refusal | null {
  if (archived) return null;
  return {
    code: "flag_not_removed",
    message: "Archive the flag first: the old column may only be dropped once no code can branch back to it.",
    details: [{ path: "key", message: "is not archived" }],
  };
}

/** The 409 an action answers when its gate says no. */
export function refuseIf(refusal: Refusal | null): void {
  if (refusal) throw new ConflictError(refusal.code, refusal.message, refusal.details);
}
