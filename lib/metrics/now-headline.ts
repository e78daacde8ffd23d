import type { LatencySketch } from "@rampart/sdk";
import { errorRateVerdict, p99Verdict, type Verdict } from "./headline-verdict";
import { decodeSketch, quantile } from "./latency-sketch";

/** How far back the headline's "now" reaches when no step began or kill happened within it. */
export const NOW_MINUTES = 5;
const MINUTE_MS = 60_000;
/** A kill long ago is checked over the last hour only: enough to catch SDKs that never got it. */
const KILL_LOOKBACK_MINUTES = 60;

export interface PathTotals {
  requests: number;
  errors: number;
  errorRate: number | null;
  p95: number | null;
  p99: number | null;
}

/** One path's rows folded into totals; the rows' sketches are merged, so quantiles hold over the span. */
export class PathTotalsBuilder {
  requests = 0;
  errors = 0;
  private sketch: LatencySketch | null = null;

  add(requests: number, errors: number, sketch: LatencySketch | null): void {
    this.requests += requests;
    this.errors += errors;
    if (!sketch) return;
    if (this.sketch) this.sketch.merge(sketch);
    else this.sketch = sketch;
  }

  totals(): PathTotals {
    return summarizePath(this.requests, this.errors, this.sketch);
  }
}

export function summarizePath(requests: number, errors: number, sketch: LatencySketch | null): PathTotals {
  return { requests, errors, errorRate: requests === 0 ? null : errors / requests, p95: quantile(sketch, 0.95), p99: quantile(sketch, 0.99) };
}

/**
 * What "now" means for the headline: `recent`, the last 5 whole minutes and the current partial
 * one; `step`, from the minute the flag last changed what it serves, when that is more recent;
 * `killed`, from the first whole minute after the kill.
 */
export interface HeadlineSpan {
  basis: "recent" | "step" | "killed";
  from: Date;
  to: Date;
  /** When the step began or the kill happened (basis step or killed). */
  since: Date | null;
}

export function headlineSpan({ now, killed, servedSince }: { now: Date; killed: boolean; servedSince: Date }): HeadlineSpan {
  const minute = Math.floor(now.getTime() / MINUTE_MS) * MINUTE_MS;
  const to = new Date(minute + MINUTE_MS);
  const recentFrom = minute - NOW_MINUTES * MINUTE_MS;
  const changedMinute = Math.floor(servedSince.getTime() / MINUTE_MS) * MINUTE_MS;
  if (killed) {
    // The kill's own minute holds new-path requests from before it; they are not "since the kill".
    const from = Math.max(changedMinute + MINUTE_MS, minute - KILL_LOOKBACK_MINUTES * MINUTE_MS);
    return { basis: "killed", from: new Date(Math.min(from, to.getTime())), to, since: servedSince };
  }
  // A step's own minute is counted whole, so the headline has numbers at once after a ramp.
  if (changedMinute > recentFrom) return { basis: "step", from: new Date(changedMinute), to, since: servedSince };
  return { basis: "recent", from: new Date(recentFrom), to, since: null };
}

export interface Comparison {
  new: PathTotals;
  legacy: PathTotals;
  /** Share of requests on the new path; null with no traffic. */
  newShare: number | null;
  p99: Verdict;
  errorRate: Verdict;
}

/** Both paths' totals judged by the headline rule (headline-verdict.ts). */
export function compare(next: PathTotals, legacy: PathTotals): Comparison {
  const all = next.requests + legacy.requests;
  return {
    new: next,
    legacy,
    newShare: all === 0 ? null : next.requests / all,
    p99: p99Verdict(next, legacy),
    errorRate: errorRateVerdict(next, legacy),
  };
}

export interface NowHeadline extends Comparison {
  basis: HeadlineSpan["basis"];
  from: string;
  to: string;
  since: string | null;
}

/** The headline over `span` from minute rows of the rollout cohort. */
export function nowHeadline(span: HeadlineSpan, rows: { path: string; bucketStart: Date; requests: number; errors: number; sketch: string | null }[]): NowHeadline {
  const paths = { new: new PathTotalsBuilder(), legacy: new PathTotalsBuilder() };
  for (const row of rows) {
    if (row.bucketStart < span.from || row.bucketStart >= span.to) continue;
    if (row.path !== "new" && row.path !== "legacy") continue;
    paths[row.path].add(row.requests, row.errors, row.sketch ? decodeSketch(row.sketch) : null);
  }
  return {
    basis: span.basis,
    from: span.from.toISOString(),
    to: span.to.toISOString(),
    since: span.since?.toISOString() ?? null,
    ...compare(paths.new.totals(), paths.legacy.totals()),
  };
}
