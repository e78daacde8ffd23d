import { newLatencySketch, type EvaluationReason, type LatencySketch } from "@rampart/sdk";

/** One path's metrics over one SDK window (~10 s): what the guard reads, whatever stores it. */
export interface GuardWindow {
  windowStart: Date;
  path: "new" | "legacy";
  reason: EvaluationReason;
  requests: number;
  errors: number;
  /** Latencies in milliseconds; null when the window recorded none. */
  sketch: LatencySketch | null;
}

/** One path's totals over the windows the guard counts. */
export interface PathTotals {
  requests: number;
  errors: number;
  /** All the windows' latencies merged; null when there were none. */
  latency: LatencySketch | null;
}

/**
 * The totals the guard judges a step on: `rollout`-reason windows only (pinned, targeted and
 * unkeyed traffic is not bucketed by the hash, so it is no fair control), and only windows that
 * began at or after the step started and before `now`.
 */
export function stepTotals(windows: readonly GuardWindow[], stepStartedAt: Date, now: Date): { new: PathTotals; legacy: PathTotals } {
  const from = stepStartedAt.getTime();
  const until = now.getTime();
  const totals = { new: emptyTotals(), legacy: emptyTotals() };
  for (const window of windows) {
    if (window.reason !== "rollout") continue;
    const start = window.windowStart.getTime();
    if (start < from || start >= until) continue;
    const path = totals[window.path];
    path.requests += window.requests;
    path.errors += window.errors;
    if (window.sketch && window.sketch.count > 0) {
      // Merged into a sketch of our own: the caller's sketches stay as they were.
      path.latency ??= newLatencySketch();
      path.latency.merge(window.sketch);
    }
  }
  return totals;
}

function emptyTotals(): PathTotals {
  return { requests: 0, errors: 0, latency: null };
}
