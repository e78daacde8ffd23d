/**
 * When the new path counts as worse than the legacy path: the rule behind the red in the flag
 * page's headline (docs/design.md, "When a delta turns red"). Pure, so a ramp controller can
 * apply the same rule to the same counts and quantiles.
 */

export type VerdictTone = "regressed" | "ok" | "insufficient";

export interface Verdict {
  tone: VerdictTone;
  /** New minus legacy: milliseconds for p99, percentage points for the error rate; null when either side is missing. */
  delta: number | null;
  /** One sentence a person can act on, e.g. "not enough traffic: 42 new-path requests, 100 needed". */
  reason: string;
}

export interface VerdictRule {
  /** Requests a path needs in the window before its number is judged. */
  minRequests: number;
  /** One-sided z for the error-rate test; 1.645 is ~95 %. */
  zCritical: number;
  /** An error-rate difference smaller than this (percentage points) is never red, however certain. */
  minErrorPp: number;
  /** p99 is red only above legacy by more than the larger of these. */
  minP99Ratio: number;
  minP99Ms: number;
}

export const HEADLINE_RULE: VerdictRule = { minRequests: 100, zCritical: 1.645, minErrorPp: 0.5, minP99Ratio: 0.2, minP99Ms: 10 };

export interface PathCounts {
  requests: number;
  errors: number;
}

/**
 * Red when the new path has enough requests, a pooled two-proportion z-test puts its error rate
 * above legacy's at ~95 % one-sided, and the difference is at least 0.5 pp.
 */
export function errorRateVerdict(next: PathCounts, legacy: PathCounts, rule: VerdictRule = HEADLINE_RULE): Verdict {
  const delta = next.requests > 0 && legacy.requests > 0 ? (next.errors / next.requests - legacy.errors / legacy.requests) * 100 : null;
  if (next.requests < rule.minRequests) {
    return { tone: "insufficient", delta, reason: `not enough traffic: ${next.requests} new-path requests, ${rule.minRequests} needed` };
  }
  if (legacy.requests === 0 || delta === null) return { tone: "insufficient", delta, reason: "no legacy-path requests to compare with" };
  const z = twoProportionZ(next, legacy);
  if (delta >= rule.minErrorPp && z > rule.zCritical) {
    return { tone: "regressed", delta, reason: `new path errs more than legacy (z = ${z.toFixed(1)}, +${delta.toFixed(2)} pp)` };
  }
  if (delta <= 0) return { tone: "ok", delta, reason: "new path errs no more than legacy" };
  if (delta < rule.minErrorPp) return { tone: "ok", delta, reason: `difference under ${rule.minErrorPp} pp` };
  return { tone: "ok", delta, reason: `within noise (z = ${z.toFixed(1)}, ${rule.zCritical} needed)` };
}

/** Red when both paths have enough requests and new p99 exceeds legacy by more than max(20 %, 10 ms). */
export function p99Verdict(
  next: { requests: number; p99: number | null },
  legacy: { requests: number; p99: number | null },
  rule: VerdictRule = HEADLINE_RULE,
): Verdict {
  const delta = next.p99 !== null && legacy.p99 !== null ? next.p99 - legacy.p99 : null;
  const short = [next.requests < rule.minRequests ? `${next.requests} new-path` : null, legacy.requests < rule.minRequests ? `${legacy.requests} legacy-path` : null].filter(Boolean);
  if (short.length > 0) return { tone: "insufficient", delta, reason: `not enough traffic: ${short.join(", ")} requests, ${rule.minRequests} each needed` };
  if (delta === null || legacy.p99 === null) return { tone: "insufficient", delta, reason: "no latency samples to compare" };
  const allowed = Math.max(legacy.p99 * rule.minP99Ratio, rule.minP99Ms);
  if (delta > allowed) return { tone: "regressed", delta, reason: `new p99 above legacy by more than ${Math.round(allowed)} ms` };
  return { tone: "ok", delta, reason: `within max(${rule.minP99Ratio * 100} %, ${rule.minP99Ms} ms) of legacy` };
}

/** Pooled two-proportion z statistic, new minus legacy; 0 when neither path had an error. */
export function twoProportionZ(next: PathCounts, legacy: PathCounts): number {
  const pooled = (next.errors + legacy.errors) / (next.requests + legacy.requests);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / next.requests + 1 / legacy.requests));
  if (se === 0) return 0;
  return (next.errors / next.requests - legacy.errors / legacy.requests) / se;
}
