import type { FlagMetrics } from "@/components/flag/flag-api";
import { changeMarker, type ChangeMarkerTone } from "@/lib/guard/change-marker";
import { groupByTime } from "@/lib/metrics/marker-groups";
import type { MetricsWindow } from "@/lib/metrics/read-flag-metrics";

/** One colour per path, the same in every chart and in the headline's legend. */
export const PATH_COLORS = { new: "#4f46e5", legacy: "#64748b" } as const;
export const PATH_LABELS = { new: "New path", legacy: "Legacy path" } as const;

/** One bucket with both paths side by side, flat so recharts can address every series by key. */
export interface PathChartPoint {
  t: number;
  newRequests: number;
  legacyRequests: number;
  newP95: number | null;
  newP99: number | null;
  legacyP95: number | null;
  legacyP99: number | null;
  /** Percent (0–100), null for a bucket without requests on that path. */
  newErrorPct: number | null;
  legacyErrorPct: number | null;
}

/** A state change drawn as a vertical line: "→ 25%", "killed", "restored", "guard: 5%", "guard killed". */
export interface RampMarker {
  /** Where the line is drawn: the change's time, or the plot's right edge for a change in the current bucket. */
  at: number;
  /** When the change happened. */
  changedAt: number;
  label: string;
  tone: ChangeMarkerTone;
  actor: string;
}

/** Changes close together drawn as one line; its label is the change's, or "3 changes". */
export interface RampMarkerGroup {
  at: number;
  label: string;
  tone: RampMarker["tone"];
  changes: RampMarker[];
}

/** What every path chart receives: the points, the window's bounds and the ramp markers. */
export interface PathChartProps {
  /** Complete buckets only: the current one, still filling, would read as a drop (see toPathChartProps). */
  points: PathChartPoint[];
  from: number;
  /** The end of the last complete bucket. */
  to: number;
  window: MetricsWindow;
  resolution: FlagMetrics["resolution"];
  markers: RampMarkerGroup[];
  /** Requests in the current, left-out bucket: an empty chart then says data is on its way. */
  partialRequests?: number;
}

const BUCKET_MS = { minute: 60_000, hour: 3_600_000 } as const;
/** Markers closer than this share of the plot merge; labels are ~50 px, a plot at least ~550 px. */
const MARKER_MERGE_SHARE = 0.09;

/**
 * The current bucket is left out of the charts until it completes: a minute 10 s old holds a sixth
 * of a minute's requests and would look like an outage. The headline counts it, weighted by requests.
 */
export function toPathChartProps(metrics: FlagMetrics): PathChartProps {
  const step = BUCKET_MS[metrics.resolution];
  const from = Date.parse(metrics.from);
  const to = Date.parse(metrics.to) - step;
  let partialRequests = 0;
  const points = metrics.series.new.flatMap((newPoint, index): PathChartPoint[] => {
    if (Date.parse(newPoint.t) >= to) {
      partialRequests += newPoint.requests + (metrics.series.legacy[index]?.requests ?? 0);
      return [];
    }
    const legacyPoint = metrics.series.legacy[index];
    return [{
      t: Date.parse(newPoint.t),
      newRequests: newPoint.requests,
      legacyRequests: legacyPoint?.requests ?? 0,
      newP95: newPoint.p95,
      newP99: newPoint.p99,
      legacyP95: legacyPoint?.p95 ?? null,
      legacyP99: legacyPoint?.p99 ?? null,
      newErrorPct: toPercent(newPoint.errorRate),
      legacyErrorPct: toPercent(legacyPoint?.errorRate ?? null),
    }];
  });
  const markers = metrics.percentageChanges.flatMap((change): RampMarker[] => {
    const changedAt = Date.parse(change.at);
    const marker = changeMarker(change);
    return marker ? [{ ...marker, at: Math.min(changedAt, to), changedAt, actor: change.actor }] : [];
  });
  return {
    points,
    from,
    to,
    window: metrics.window,
    resolution: metrics.resolution,
    markers: groupMarkers(markers, (to - from) * MARKER_MERGE_SHARE),
    partialRequests,
  };
}

export function groupMarkers(markers: RampMarker[], gapMs: number): RampMarkerGroup[] {
  return groupByTime(markers, gapMs).map((changes) => {
    const last = changes[changes.length - 1]!;
    return { at: changes[0]!.at, label: changes.length === 1 ? last.label : `${changes.length} changes`, tone: last.tone, changes };
  });
}

/** "→ 25% at 12:03 UTC by alice", one change of a marker, for its tooltip and the chart's summary. */
export function describeChange(change: RampMarker): string {
  return `${change.label} at ${formatClock(change.changedAt)} UTC by ${change.actor}`;
}

export function hasTraffic(points: PathChartPoint[]): boolean {
  return points.some((point) => point.newRequests + point.legacyRequests > 0);
}

/** What an empty chart says: traffic in the current bucket only is on its way, not missing. */
export function emptyMessage({ points, resolution, partialRequests = 0 }: Pick<PathChartProps, "points" | "resolution" | "partialRequests">, none: string): string | null {
  if (hasTraffic(points)) return null;
  if (partialRequests > 0) return `Requests are arriving: the current ${resolution} is drawn once it is complete. The headline above counts it already.`;
  return none;
}

function toPercent(rate: number | null): number | null {
  return rate === null ? null : rate * 100;
}

/** Four or five round ticks from 0 (0, 1, 2, 3, 4 rather than 0, 0.85, 1.7) covering `max`. */
export function niceTicks(max: number): number[] {
  if (!(max > 0)) return [0, 1];
  const rough = max / 4;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = ([1, 2, 2.5, 5, 10].find((factor) => factor * magnitude >= rough) ?? 10) * magnitude;
  const ticks: number[] = [];
  for (let i = 0; i * step < max + step - 1e-9; i++) ticks.push(Number((i * step).toPrecision(12)));
  return ticks;
}

const TICK_STEP_MS: Record<MetricsWindow, number> = {
  "15m": 3 * 60_000,
  "1h": 10 * 60_000,
  "24h": 3 * 3_600_000,
  "7d": 24 * 3_600_000,
};

/** Ticks on round UTC times (every 10 min for 1 h, midnight UTC for 7 d) rather than recharts' round milliseconds. */
export function timeTicks(from: number, to: number, window: MetricsWindow): number[] {
  const step = TICK_STEP_MS[window];
  const ticks: number[] = [];
  for (let t = Math.ceil(from / step) * step; t <= to; t += step) ticks.push(t);
  return ticks;
}

// UTC, as the audit trail and the API: a time read off a chart matches the one in a log line.
const clockFormat = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: "UTC" });
const weekdayClockFormat = new Intl.DateTimeFormat("en-GB", { weekday: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: "UTC" });

export function formatTick(t: number, window: MetricsWindow): string {
  return (window === "7d" ? weekdayClockFormat : clockFormat).format(t);
}

export function formatBucket(t: number): string {
  return `${weekdayClockFormat.format(t)} UTC`;
}

/** "12:03", in UTC; callers add "UTC" where the reader needs it. */
export function formatClock(t: number): string {
  return clockFormat.format(t);
}

/** The newest bucket with requests on either path: what a chart's text alternative reports. */
export function latestWithTraffic(points: PathChartPoint[]): PathChartPoint | null {
  for (let i = points.length - 1; i >= 0; i--) if (points[i]!.newRequests + points[i]!.legacyRequests > 0) return points[i]!;
  return null;
}

/** A chart's text alternative: its newest values and the markers in view, in one or two sentences. */
export function chartSummary({ points, markers, resolution }: Pick<PathChartProps, "points" | "markers" | "resolution">, values: (point: PathChartPoint) => string): string {
  const latest = latestWithTraffic(points);
  const head = latest ? `Latest complete ${resolution}, ${formatBucket(latest.t)}: ${values(latest)}.` : "No requests in this window.";
  const changes = markers.flatMap((marker) => marker.changes);
  if (changes.length === 0) return head;
  return `${head} ${changes.length === 1 ? "1 state change" : `${changes.length} state changes`} in view, the latest ${describeChange(changes[changes.length - 1]!)}.`;
}

const countFormat = new Intl.NumberFormat("en-US");

export function formatCount(n: number): string {
  return countFormat.format(n);
}

export function formatMs(ms: number | null): string {
  if (ms === null) return "—";
  return `${ms < 10 ? ms.toFixed(1) : Math.round(ms)} ms`;
}

export function formatPct(pct: number | null): string {
  if (pct === null) return "—";
  return `${pct < 1 && pct > 0 ? pct.toFixed(2) : pct.toFixed(1)}%`;
}

/** Under every path chart's time axis: the zone its times are in and why the newest bucket is missing. */
export function axisNote(resolution: PathChartProps["resolution"]): string {
  return `Times in UTC · the current ${resolution} shows once it is complete`;
}
