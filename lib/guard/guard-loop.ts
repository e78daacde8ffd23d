import type { Db, LeaderLease } from "@/lib/db/client";
import { runGuardChecks, type GuardOutcome } from "./guard-controller";

/** The advisory lock whose holder runs the guard; any other instance waits to take over. */
export const GUARD_LEADER_LOCK_ID = 7_204_316_016;

/** How often the leader checks every running plan, and a standby tries to take the lead. */
export const GUARD_INTERVAL_MS = Number(process.env.RAMPART_GUARD_INTERVAL_MS) > 0 ? Number(process.env.RAMPART_GUARD_INTERVAL_MS) : 10_000;

export interface GuardLoop {
  /** Whether this instance led at its last tick. */
  leading(): boolean;
  /** One tick now (tests): take or confirm the lead, then check the plans if leading. */
  tick(): Promise<GuardOutcome[]>;
  stop(): Promise<void>;
}

/**
 * Every interval: hold the lead (a standby takes it within one interval of the leader's death),
 * then, leading, check every running plan. Ticks never overlap; a failed tick is logged and the
 * next one runs as usual.
 */
export function startGuardLoop({ db, lease, intervalMs = GUARD_INTERVAL_MS, log = console }: { db: Db; lease: LeaderLease; intervalMs?: number; log?: Pick<Console, "log" | "error"> }): GuardLoop {
  let leading = false;
  let stopped = false;
  let current: Promise<GuardOutcome[]> = Promise.resolve([]);
  let timer: NodeJS.Timeout | undefined;

  const runOnce = async (): Promise<GuardOutcome[]> => {
    const wasLeading = leading;
    leading = await lease.hold();
    if (leading !== wasLeading) log.log(leading ? "[rampart] guard: this instance now leads the ramp guard" : "[rampart] guard: this instance no longer leads the ramp guard");
    if (!leading || stopped) return [];
    const outcomes = await runGuardChecks(db);
    for (const outcome of outcomes) {
      if (outcome.action !== "hold") log.log(`[rampart] guard: ${outcome.flag} in ${outcome.env}: ${outcome.action}: ${outcome.reason}`);
    }
    return outcomes;
  };
  const tick = () => {
    current = current.then(runOnce, runOnce).catch((error: unknown) => {
      log.error("[rampart] guard: a check failed; trying again next interval", error);
      return [];
    });
    return current;
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => void tick().finally(schedule), intervalMs);
    timer.unref();
  };
  void tick().finally(schedule);

  return {
    leading: () => leading,
    tick,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await current.catch(() => undefined);
      leading = false;
      await lease.release();
    },
  };
}
