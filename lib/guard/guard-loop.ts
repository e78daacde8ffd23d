import type { Db, LeaderLease } from "@/lib/db/client";
import { startLeaderLoop, type LeaderLoop } from "@/lib/runtime/leader-loop";
import { runGuardChecks, type GuardOutcome } from "./guard-controller";

/** The advisory lock whose holder runs the guard; any other instance waits to take over. */
export const GUARD_LEADER_LOCK_ID = 7_204_316_016;

/** How often the leader checks every running plan, and a standby tries to take the lead. */
export const GUARD_INTERVAL_MS = Number(process.env.RAMPART_GUARD_INTERVAL_MS) > 0 ? Number(process.env.RAMPART_GUARD_INTERVAL_MS) : 10_000;

export type GuardLoop = LeaderLoop<GuardOutcome[]>;

/** The ramp guard on its leader: every running plan checked every interval, and what it did logged. */
export function startGuardLoop({ db, lease, intervalMs = GUARD_INTERVAL_MS, log = console }: { db: Db; lease: LeaderLease; intervalMs?: number; log?: Pick<Console, "log" | "error"> }): GuardLoop {
  return startLeaderLoop({
    tag: "guard",
    name: "the ramp guard",
    lease,
    intervalMs,
    log,
    run: async () => {
      const outcomes = await runGuardChecks(db);
      for (const outcome of outcomes) {
        if (outcome.action !== "hold") log.log(`[rampart] guard: ${outcome.flag} in ${outcome.env}: ${outcome.action}: ${outcome.reason}`);
      }
      return outcomes;
    },
  });
}
