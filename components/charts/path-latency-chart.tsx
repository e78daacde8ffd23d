"use client";

import { useMemo } from "react";
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, YAxis } from "recharts";
import { ChartFrame, PathLegend } from "./chart-frame";
import { axisNote, chartSummary, emptyMessage, formatMs, PATH_COLORS, PATH_LABELS, type PathChartProps } from "./path-chart-data";
import { PathTooltip, type TooltipRow } from "./path-tooltip";
import { rampMarkerLines } from "./ramp-markers";
import { timeAxis } from "./time-axis";

const ROWS: TooltipRow[] = [
  { label: "New p99", color: PATH_COLORS.new, value: (point) => formatMs(point.newP99) },
  { label: "New p95", color: PATH_COLORS.new, value: (point) => formatMs(point.newP95) },
  { label: "Legacy p99", color: PATH_COLORS.legacy, value: (point) => formatMs(point.legacyP99) },
  { label: "Legacy p95", color: PATH_COLORS.legacy, value: (point) => formatMs(point.legacyP95) },
];

const LINES = [
  { dataKey: "newP99", name: "New p99", color: PATH_COLORS.new, dashed: false },
  { dataKey: "newP95", name: "New p95", color: PATH_COLORS.new, dashed: true },
  { dataKey: "legacyP99", name: "Legacy p99", color: PATH_COLORS.legacy, dashed: false },
  { dataKey: "legacyP95", name: "Legacy p95", color: PATH_COLORS.legacy, dashed: true },
] as const;

/** p99 solid and p95 dashed per path; gaps where a path had no samples rather than a line drawn through them. */
export function PathLatencyChart({ points, from, to, window, resolution, markers, partialRequests }: PathChartProps) {
  const byTime = useMemo(() => new Map(points.map((point) => [point.t, point])), [points]);
  const empty = !points.some((point) => point.newP99 !== null || point.legacyP99 !== null);
  return (
    <ChartFrame
      testId="chart-latency"
      title="Latency (ms)"
      aside={<PathLegend items={LINES.map((line) => ({ label: line.name, color: line.color, dashed: line.dashed }))} />}
      empty={empty ? (emptyMessage({ points, resolution, partialRequests }, "No latency samples in this window.") ?? "No latency samples in this window.") : null}
      summary={chartSummary({ points, markers, resolution }, (point) => `p99 new path ${formatMs(point.newP99)}, legacy path ${formatMs(point.legacyP99)}`)}
      axisNote={axisNote(resolution)}
    >
      <ResponsiveContainer width="100%" height="100%">
        <LineChart accessibilityLayer={false} data={points} margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
          <CartesianGrid stroke="#e2e8f0" vertical={false} />
          {timeAxis({ from, to, window })}
          <YAxis width={44} tick={{ fontSize: 11, fill: "#475569" }} stroke="#cbd5e1" tickFormatter={(ms: number) => String(Math.round(ms))} />
          <Tooltip content={({ active, label }) => <PathTooltip active={active} label={label} points={byTime} rows={ROWS} />} />
          {LINES.map((line) => (
            <Line
              key={line.dataKey}
              type="linear"
              dataKey={line.dataKey}
              name={line.name}
              stroke={line.color}
              strokeWidth={line.dashed ? 1.5 : 2}
              strokeDasharray={line.dashed ? "5 4" : undefined}
              dot={{ r: 1.5, fill: line.color }}
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
