import type { ServiceContext } from "@/lib/context";
import { changeFlagState } from "./change-flag-state";

export interface KillSwitchInput {
  key: string;
  env: string;
  reason?: string;
  /** The version the caller last saw (If-Match); the guard's kill never lands on a newer change. */
  expectedVersion?: number;
}

/** Sends everyone to the legacy path, pins included, and remembers the percentage. Idempotent. */
export async function killFlag({ ctx, input }: { ctx: ServiceContext; input: KillSwitchInput }) {
  return changeFlagState(ctx, {
    ...input,
    action: "flag.killed",
    decide: (current) =>
      current.killed ? null : { killed: true, percentageBeforeKillBp: current.percentageBp, percentageBp: 0 },
  });
}

/** Lifts the kill and brings back the percentage it remembered, so exactly the same users return. Idempotent. */
export async function restoreFlag({ ctx, input }: { ctx: ServiceContext; input: KillSwitchInput }) {
  return changeFlagState(ctx, {
    ...input,
    action: "flag.restored",
    decide: (current) =>
      current.killed
        ? { killed: false, percentageBp: current.percentageBeforeKillBp ?? current.percentageBp, percentageBeforeKillBp: null }
        : null,
  });
}
