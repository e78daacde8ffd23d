"use client";

import { useMemo } from "react";
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, YAxis } from "recharts";
import { ChartFrame, PathLegend } from "./chart-frame";
import { axisNote, chartSummary, emptyMessage, formatPct, niceTicks, PATH_COLORS, PATH_LABELS, type PathChartProps } from "./path-chart-data";
import { PathTooltip, type TooltipRow } from "./path-tooltip";
import { rampMarkerLines } from "./ramp-markers";
import { timeAxis } from "./time-axis";

const ROWS: TooltipRow[] = [
  { label: PATH_LABELS.new, color: PATH_COLORS.new, value: (point) => formatPct(point.newErrorPct) },
  { label: PATH_LABELS.legacy, color: PATH_COLORS.legacy, value: (point) => formatPct(point.legacyErrorPct) },
];

/** Errors as a share of each path's own requests, so a 1% ramp is comparable with the 99% beside it. */
export function PathErrorRateChart({ points, from, to, window, resolution, markers, partialRequests }: PathChartProps) {
  const byTime = useMemo(() => new Map(points.map((point) => [point.t, point])), [points]);
  const ticks = useMemo(() => niceTicks(Math.max(0, ...points.flatMap((point) => [point.newErrorPct ?? 0, point.legacyErrorPct ?? 0]))), [points]);
  return (
    <ChartFrame
      testId="chart-errors"
      title="Error rate (%)"
      aside={<PathLegend items={[{ label: PATH_LABELS.new, color: PATH_COLORS.new }, { label: PATH_LABELS.legacy, color: PATH_COLORS.legacy }]} />}
      empty={emptyMessage({ points, resolution, partialRequests }, "No requests in this window.")}
      summary={chartSummary({ points, markers, resolution }, (point) => `errors on the new path ${formatPct(point.newErrorPct)}, on the legacy path ${formatPct(point.legacyErrorPct)}`)}
      axisNote={axisNote(resolution)}
    >
      <ResponsiveContainer width="100%" height="100%">
        <LineChart accessibilityLayer={false} data={points} margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
          <CartesianGrid stroke="#e2e8f0" vertical={false} />
          {timeAxis({ from, to, window })}
          <YAxis width={48} domain={[0, ticks[ticks.length - 1] ?? 1]} ticks={ticks} tick={{ fontSize: 11, fill: "#475569" }} stroke="#cbd5e1" tickFormatter={(pct: number) => `${Number(pct.toFixed(2))}%`} />
          <Tooltip content={({ active, label }) => <PathTooltip active={active} label={label} points={byTime} rows={ROWS} />} />
          {(["new", "legacy"] as const).map((path) => (
            <Line
              key={path}
              type="linear"
              dataKey={path === "new" ? "newErrorPct" : "legacyErrorPct"}
              name={PATH_LABELS[path]}
              stroke={PATH_COLORS[path]}
              strokeWidth={2}
              dot={{ r: 1.5, fill: PATH_COLORS[path] }}
              activeDot={{ r: 4 }}
              isAnimationActive={false}
            />
          ))}
          {rampMarkerLines(markers, { labelled: false, from, to })}
        </LineChart>
      </ResponsiveContainer>
    </ChartFrame>
  );
}
