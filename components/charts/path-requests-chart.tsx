"use client";

import { useMemo } from "react";
import { Area, AreaChart, CartesianGrid, ResponsiveContainer, Tooltip, YAxis } from "recharts";
import { ChartFrame, PathLegend } from "./chart-frame";
import { axisNote, chartSummary, emptyMessage, formatCount, PATH_COLORS, PATH_LABELS, type PathChartProps } from "./path-chart-data";
import { PathTooltip, type TooltipRow } from "./path-tooltip";
import { rampMarkerLines } from "./ramp-markers";
import { timeAxis } from "./time-axis";

export const NO_TRAFFIC_MESSAGE = "No traffic in this window yet — instrument the gated code with client.gate()";

const ROWS: TooltipRow[] = [
  { label: PATH_LABELS.new, color: PATH_COLORS.new, value: (point) => formatCount(point.newRequests) },
  { label: PATH_LABELS.legacy, color: PATH_COLORS.legacy, value: (point) => formatCount(point.legacyRequests) },
];

/** Requests per bucket, legacy stacked under new, so the new path's share reads as the top band's thickness. */
export function PathRequestsChart({ points, from, to, window, resolution, markers, partialRequests }: PathChartProps) {
  const byTime = useMemo(() => new Map(points.map((point) => [point.t, point])), [points]);
  return (
    <ChartFrame
      testId="chart-requests"
      title={`Requests per ${resolution}`}
      aside={<PathLegend items={[{ label: PATH_LABELS.new, color: PATH_COLORS.new }, { label: PATH_LABELS.legacy, color: PATH_COLORS.legacy }]} />}
      empty={emptyMessage({ points, resolution, partialRequests }, NO_TRAFFIC_MESSAGE)}
      summary={chartSummary({ points, markers, resolution }, (point) => `${formatCount(point.newRequests)} requests on the new path, ${formatCount(point.legacyRequests)} on the legacy path`)}
      axisNote={axisNote(resolution)}
    >
      <ResponsiveContainer width="100%" height="100%">
        <AreaChart accessibilityLayer={false} data={points} margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
          <CartesianGrid stroke="#e2e8f0" vertical={false} />
          {timeAxis({ from, to, window })}
          <YAxis allowDecimals={false} width={48} tickFormatter={(n: number) => formatCount(n)} tick={{ fontSize: 11, fill: "#475569" }} stroke="#cbd5e1" />
          <Tooltip content={({ active, label }) => <PathTooltip active={active} label={label} points={byTime} rows={ROWS} />} />
          <Area type="linear" dataKey="legacyRequests" name={PATH_LABELS.legacy} stackId="requests" stroke={PATH_COLORS.legacy} fill={PATH_COLORS.legacy} fillOpacity={0.25} isAnimationActive={false} />
          <Area type="linear" dataKey="newRequests" name={PATH_LABELS.new} stackId="requests" stroke={PATH_COLORS.new} fill={PATH_COLORS.new} fillOpacity={0.35} isAnimationActive={false} />
          {rampMarkerLines(markers, { labelled: true, from, to })}
        </AreaChart>
      </ResponsiveContainer>
    </ChartFrame>
  );
}
