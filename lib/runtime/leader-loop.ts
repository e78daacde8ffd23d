import type { LeaderLease } from "@/lib/db/client";

export interface LeaderLoop<T> {
  /** Whether this instance led at its last tick. */
  leading(): boolean;
  /** One tick now (tests): take or confirm the lead, then run the work if leading. */
  tick(): Promise<T | null>;
  stop(): Promise<void>;
}

export interface LeaderLoopOptions<T> {
  /** What the log calls this work: "[rampart] {tag}: this instance now leads {name}". */
  tag: string;
  name: string;
  lease: LeaderLease;
  intervalMs: number;
  run: () => Promise<T>;
  log?: Pick<Console, "log" | "error">;
}

/**
 * Work one instance does alone, every interval: hold the lead (a standby takes it within one
 * interval of the leader's death), then run if leading. Ticks never overlap; a failed one is
 * logged and the next runs as usual.
 */
export function startLeaderLoop<T>({ tag, name, lease, intervalMs, run, log = console }: LeaderLoopOptions<T>): LeaderLoop<T> {
  let leading = false;
  let stopped = false;
  let current: Promise<T | null> = Promise.resolve(null);
  let timer: NodeJS.Timeout | undefined;

  const runOnce = async (): Promise<T | null> => {
    const wasLeading = leading;
    leading = await lease.hold();
    if (leading !== wasLeading) log.log(`[rampart] ${tag}: this instance ${leading ? "now leads" : "no longer leads"} ${name}`);
    if (!leading || stopped) return null;
    return run();
  };
  const tick = () => {
    current = current.then(runOnce, runOnce).catch((error: unknown) => {
      log.error(`[rampart] ${tag}: a run failed; trying again next interval`, error);
      return null;
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
