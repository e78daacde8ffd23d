import type { FlagMetrics } from "@/components/flag/flag-api";
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

/** A state change drawn as a vertical line: "→ 25%", "killed", "restored". */
export interface RampMarker {
  at: number;
  label: string;
  tone: "ramp" | "killed" | "restored";
}

/** What every path chart receives: the points, the window's bounds and the ramp markers. */
export interface PathChartProps {
  points: PathChartPoint[];
  from: number;
  to: number;
  window: MetricsWindow;
  resolution: FlagMetrics["resolution"];
  markers: RampMarker[];
}

export function toPathChartProps(metrics: FlagMetrics): PathChartProps {
  const points = metrics.series.new.map((newPoint, index): PathChartPoint => {
    const legacyPoint = metrics.series.legacy[index];
    return {
      t: Date.parse(newPoint.t),
      newRequests: newPoint.requests,
      legacyRequests: legacyPoint?.requests ?? 0,
      newP95: newPoint.p95,
      newP99: newPoint.p99,
      legacyP95: legacyPoint?.p95 ?? null,
      legacyP99: legacyPoint?.p99 ?? null,
      newErrorPct: toPercent(newPoint.errorRate),
      legacyErrorPct: toPercent(legacyPoint?.errorRate ?? null),
    };
  });
  return {
    points,
    from: Date.parse(metrics.from),
    to: Date.parse(metrics.to),
    window: metrics.window,
    resolution: metrics.resolution,
    markers: metrics.percentageChanges.flatMap((change): RampMarker[] => {
      const at = Date.parse(change.at);
      if (change.action === "flag.killed") return [{ at, label: "killed", tone: "killed" }];
      if (change.action === "flag.restored") return [{ at, label: "restored", tone: "restored" }];
      // A state update that left the percentage alone (default, pins) moves nobody between paths.
      if (change.to === null || change.to === change.from) return [];
      return [{ at, label: `→ ${change.to}%`, tone: "ramp" }];
    }),
  };
}

export function hasTraffic(points: PathChartPoint[]): boolean {
  return points.some((point) => point.newRequests + point.legacyRequests > 0);
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

/** Ticks on round local times (every 10 min for 1 h, local midnight for 7 d) rather than recharts' round milliseconds. */
export function timeTicks(from: number, to: number, window: MetricsWindow): number[] {
  const step = TICK_STEP_MS[window];
  const offset = -new Date(from).getTimezoneOffset() * 60_000;
  const ticks: number[] = [];
  for (let t = Math.ceil((from + offset) / step) * step - offset; t <= to; t += step) ticks.push(t);
  return ticks;
}

// Browser locale and time zone: the charts render only in the browser (ResponsiveContainer measures first).
const clockFormat = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
const weekdayClockFormat = new Intl.DateTimeFormat(undefined, { weekday: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });

export function formatTick(t: number, window: MetricsWindow): string {
  return (window === "7d" ? weekdayClockFormat : clockFormat).format(t);
}

export function formatBucket(t: number): string {
  return weekdayClockFormat.format(t);
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
