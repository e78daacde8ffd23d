import { z } from "zod";
import { findStateChanges } from "@/lib/audit/audit-store";
import type { Db } from "@/lib/db/client";
import { DEFAULT_ENVIRONMENT } from "@/lib/environments/default-environment";
import { requireEnvironment } from "@/lib/environments/environment-store";
import { environmentKeySchema } from "@/lib/environments/schemas";
import { requireFlag, requireFlagState } from "@/lib/flags/flag-store";
import { basisPointsToPercentage, EVALUATION_REASONS } from "@rampart/sdk";
import { defaultMetricsWindow } from "./default-window";
import { decodeSketch } from "./latency-sketch";
import type { MetricResolution } from "./metric-resolution";
import { compare, headlineSpan, nowHeadline, PathTotalsBuilder, summarizePath, type PathTotals } from "./now-headline";
import { findBuckets, RESOLUTION_MS } from "./path-metrics-store";

/** Each window reads rows at a resolution that keeps it to at most a few hundred sketches. */
export const METRICS_WINDOWS = {
  "15m": { ms: 15 * 60_000, resolution: "minute" },
  "1h": { ms: 60 * 60_000, resolution: "minute" },
  "24h": { ms: 24 * 3_600_000, resolution: "hour" },
  "7d": { ms: 7 * 24 * 3_600_000, resolution: "hour" },
} as const satisfies Record<string, { ms: number; resolution: MetricResolution }>;
export type MetricsWindow = keyof typeof METRICS_WINDOWS;

export const metricsQuerySchema = z.strictObject({
  env: environmentKeySchema.default(DEFAULT_ENVIRONMENT),
  /** Absent: 15m while the flag is ramping, 1h otherwise (defaultMetricsWindow). */
  window: z.enum(Object.keys(METRICS_WINDOWS) as [MetricsWindow, ...MetricsWindow[]], { message: "must be 15m, 1h, 24h or 7d" }).optional(),
});

export interface PathPoint {
  t: string;
  requests: number;
  errors: number;
  errorRate: number | null;
  p95: number | null;
  p99: number | null;
}

export type { PathTotals };
type Path = "new" | "legacy";

/** Test tenants' traffic over the window, both paths, kept out of the comparison; `values`: how many the targets list now (null: none). */
export interface TargetedSummary {
  requests: number;
  errors: number;
  values: number | null;
}

/**
 * New path against legacy path for one flag: a series per path, totals, share and reasons, from
 * rollout traffic only; targeted traffic (test tenants) is summed apart in `targeted`. `headline`
 * judges "now" (now-headline.ts) apart from the window's totals, so a fixed fault stops showing.
 * Without a window, the flag's state picks one (defaultMetricsWindow).
 */
export async function readFlagMetrics({ db, key, env, window: asked, now = new Date() }: { db: Db; key: string; env: string; window?: MetricsWindow | null; now?: Date }) {
  const environment = await requireEnvironment(db, env);
  const flag = await requireFlag(db, key);
  const state = await requireFlagState(db, flag, environment);
  const percentage = basisPointsToPercentage(state.percentageBp);
  const window = asked ?? defaultMetricsWindow({ percentage, killed: state.killed });
  const { ms, resolution } = METRICS_WINDOWS[window];
  const step = RESOLUTION_MS[resolution];
  const to = new Date(Math.floor(now.getTime() / step) * step + step);
  const from = new Date(to.getTime() - Math.ceil(ms / step) * step);
  const span = headlineSpan({ now, killed: state.killed, servedSince: state.servedSince });
  const [rows, targetedRows, changes, headlineRows] = await Promise.all([
    findBuckets(db, { environmentId: environment.id, flagId: flag.id, resolution, from, to }),
    findBuckets(db, { environmentId: environment.id, flagId: flag.id, cohort: "targeted", resolution, from, to }),
    findStateChanges(db, { flagId: flag.id, environmentId: environment.id, since: from }),
    findBuckets(db, { environmentId: environment.id, flagId: flag.id, resolution: "minute", from: span.from, to: span.to }),
  ]);

  const series: Record<Path, PathPoint[]> = { new: [], legacy: [] };
  const merged: Record<Path, PathTotalsBuilder> = { new: new PathTotalsBuilder(), legacy: new PathTotalsBuilder() };
  const evaluations: Record<string, number> = Object.fromEntries(EVALUATION_REASONS.map((reason) => [reason, 0]));
  const byBucket = new Map(rows.map((row) => [`${row.path}:${row.bucketStart.getTime()}`, row]));

  for (let t = from.getTime(); t < to.getTime(); t += step) {
    for (const path of ["new", "legacy"] as const) {
      const row = byBucket.get(`${path}:${t}`);
      const sketch = row?.sketch ? decodeSketch(row.sketch) : null;
      series[path].push({ t: new Date(t).toISOString(), ...summarizePath(row?.requests ?? 0, row?.errors ?? 0, sketch) });
      if (!row) continue;
      // The point's quantiles are taken already, so its sketch can become the running total.
      merged[path].add(row.requests, row.errors, sketch);
      for (const [reason, n] of Object.entries(row.reasons)) evaluations[reason] = (evaluations[reason] ?? 0) + n;
    }
  }

  const totals = { new: merged.new.totals(), legacy: merged.legacy.totals() };
  const all = totals.new.requests + totals.legacy.requests;
  const targetValues = state.targets.reduce((sum, rule) => sum + rule.values.length, 0);
  const targeted: TargetedSummary = {
    requests: targetedRows.reduce((sum, row) => sum + row.requests, 0),
    errors: targetedRows.reduce((sum, row) => sum + row.errors, 0),
    values: targetValues === 0 ? null : targetValues,
  };
  return {
    flag: flag.key,
    environment: environment.key,
    window,
    resolution,
    from: from.toISOString(),
    to: to.toISOString(),
    series,
    totals,
    /** Share of requests on the new path; null with no traffic. */
    newShare: all === 0 ? null : totals.new.requests / all,
    evaluations,
    targeted,
    /** What the flag serves now, for the share sentence and the default window. */
    state: { percentage, killed: state.killed, servedSince: state.servedSince.toISOString() },
    headline: {
      now: nowHeadline(span, headlineRows),
      window: compare(totals.new, totals.legacy),
    },
    percentageChanges: changes.map((change) => ({
      at: change.at.toISOString(),
      action: change.action,
      actor: change.actor,
      from: percentageOf(change.before),
      to: percentageOf(change.after),
    })),
  };
}

function percentageOf(state: unknown): number | null {
  const value = (state as { percentage?: unknown } | null)?.percentage;
  return typeof value === "number" ? value : null;
}
