import { performance } from "node:perf_hooks";

/**
 * How late this process's timers run: the CPU queue a request waits in before any handler sees
 * it. Ingest's write-cost estimate cannot see it, and at CPU saturation it is most of an ack's wait.
 * A 20 ms tick; the lag is the mean over the last second, counting the tick now overdue.
 */
export class EventLoopLag {
  private readonly lags: number[] = [];
  private lastTick = performance.now();
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(private readonly tickMs = 20) {}

  start(): this {
    if (this.timer) return this;
    this.lastTick = performance.now();
    this.timer = setInterval(() => this.tick(performance.now()), this.tickMs);
    this.timer.unref();
    return this;
  }

  /** The mean lag in ms over the last second, the overdue tick included. */
  recentMs(now = performance.now()): number {
    const overdue = Math.max(0, now - this.lastTick - this.tickMs);
    const all = overdue > 0 ? [...this.lags, overdue] : this.lags;
    return all.length === 0 ? 0 : all.reduce((sum, lag) => sum + lag, 0) / all.length;
  }

  tick(now: number): void {
    this.lags.push(Math.max(0, now - this.lastTick - this.tickMs));
    this.lastTick = now;
    const window = Math.max(1, Math.round(1_000 / this.tickMs));
    if (this.lags.length > window) this.lags.splice(0, this.lags.length - window);
  }
}
