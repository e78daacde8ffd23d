import { newLatencySketch } from "@rampart/sdk";
import type { GuardWindow } from "@/lib/guard/guard-window";
import type { SeededRandom } from "./seeded-random";

/** How one path behaves: lognormal latency around `medianMs`, errors at `errorRate`. */
export interface PathBehaviour {
  medianMs: number;
  /** Standard deviation of log latency. */
  sigma: number;
  errorRate: number;
  /** A slow tail: this share of requests takes `slowFactor` times as long. */
  slowShare?: number;
  slowFactor?: number;
}

export const WINDOW_MS = 10_000;

/** A path that behaves like the default simulated service: ~24 ms median, p99 ≈ 68 ms, 0.5 % errors. */
export const HEALTHY: PathBehaviour = { medianMs: 24, sigma: 0.45, errorRate: 0.005 };

/**
 * One SDK window of `rollout` traffic at `percentage`: Poisson arrivals at `perSecond`, each on
 * the new path with probability percentage/100 (as the hash buckets users), errors binomial,
 * latencies drawn one by one into the window's sketch.
 */
export function rolloutWindows(
  random: SeededRandom,
  options: { windowStart: Date; perSecond: number; percentage: number; next: PathBehaviour; legacy: PathBehaviour },
): GuardWindow[] {
  const total = random.poisson((options.perSecond * WINDOW_MS) / 1000);
  const onNew = random.binomial(total, options.percentage / 100);
  return [
    pathWindow(random, options.windowStart, "new", onNew, options.next),
    pathWindow(random, options.windowStart, "legacy", total - onNew, options.legacy),
  ];
}

export function pathWindow(random: SeededRandom, windowStart: Date, path: "new" | "legacy", requests: number, behaviour: PathBehaviour, reason: GuardWindow["reason"] = "rollout"): GuardWindow {
  const sketch = requests > 0 ? newLatencySketch() : null;
  const slowShare = behaviour.slowShare ?? 0;
  for (let i = 0; i < requests; i++) {
    const latency = random.lognormal(behaviour.medianMs, behaviour.sigma);
    sketch!.accept(slowShare > 0 && random.next() < slowShare ? latency * (behaviour.slowFactor ?? 1) : latency);
  }
  return { windowStart, path, reason, requests, errors: random.binomial(requests, behaviour.errorRate), sketch };
}
