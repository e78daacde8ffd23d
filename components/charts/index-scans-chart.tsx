"use client";

import { useMemo } from "react";
import { CartesianGrid, ComposedChart, Line, ResponsiveContainer, Tooltip, YAxis } from "recharts";
import { indexScanSummary, percentageAt, type IndexScanPoint, type PercentagePoint, type ResetGap } from "@/lib/pages/database-evidence-view";
import { ChartFrame, PathLegend } from "./chart-frame";
import { EVIDENCE_AXIS_NOTE, EVIDENCE_COLORS, EvidenceTooltip, evidenceTimeAxis, resetAreas } from "./evidence-chart-parts";
import { formatCount, niceTicks } from "./path-chart-data";

interface IndexScansChartProps {
  index: string;
  points: IndexScanPoint[];
  /** The flag's percentage as a step line over the same window. */
  percentage: PercentagePoint[];
  resets: ResetGap[];
  from: number;
  to: number;
}

const PERCENT_TICKS = [0, 25, 50, 75, 100];

/** The seed's "idx_scan should climb as the rollout percentage rises": scans per minute beside the percentage. */
export function IndexScansChart({ index, points, percentage, resets, from, to }: IndexScansChartProps) {
  const byTime = useMemo(() => new Map(points.map((point) => [point.t, point])), [points]);
  const ticks = useMemo(() => niceTicks(Math.max(0, ...points.map((point) => point.perMinute ?? 0))), [points]);
  const hasRates = points.some((point) => point.perMinute !== null) || resets.length > 0;
  const tooltipRows = (t: number) => {
    const point = byTime.get(t);
    const at = percentageAt(percentage, t);
    return [
      { label: "Index scans per minute", color: EVIDENCE_COLORS.scans, value: point ? (point.perMinute === null ? "statistics reset" : formatCount(point.perMinute)) : "—" },
      { label: "Rollout", color: EVIDENCE_COLORS.percentage, value: at === null ? "—" : `${at}%` },
    ];
  };
  return (
    <ChartFrame
      testId="chart-index-scans"
      title={`${index}: scans per minute`}
      aside={<PathLegend items={[{ label: "Index scans", color: EVIDENCE_COLORS.scans }, { label: "Rollout %", color: EVIDENCE_COLORS.percentage, dashed: true }]} />}
      empty={hasRates ? null : "No scan rate yet: Rampart samples the index every minute and draws a rate from the second sample on."}
      summary={indexScanSummary(points, percentage, resets)}
      axisNote={EVIDENCE_AXIS_NOTE}
    >
      <ResponsiveContainer width="100%" height="100%">
        <ComposedChart accessibilityLayer={false} data={points} margin={{ top: 8, right: 4, bottom: 0, left: 0 }}>
          <CartesianGrid stroke="#e2e8f0" vertical={false} yAxisId="scans" />
          {evidenceTimeAxis({ from, to })}
          <YAxis yAxisId="scans" width={48} domain={[0, ticks.at(-1) ?? 1]} ticks={ticks} tickFormatter={(n: number) => formatCount(n)} tick={{ fontSize: 11, fill: "#475569" }} stroke="#cbd5e1" />
          <YAxis yAxisId="percentage" orientation="right" width={40} domain={[0, 100]} ticks={PERCENT_TICKS} tickFormatter={(n: number) => `${n}%`} tick={{ fontSize: 11, fill: EVIDENCE_COLORS.percentage }} stroke="#cbd5e1" />
          <Tooltip content={({ active, label }) => <EvidenceTooltip active={active} label={label} rows={typeof label === "number" ? tooltipRows(label) : null} />} />
          {resetAreas(resets, { from, to, yAxisId: "scans" })}
          <Line yAxisId="percentage" data={percentage} type="stepAfter" dataKey="percentage" name="Rollout %" stroke={EVIDENCE_COLORS.percentage} strokeWidth={1.5} strokeDasharray="5 3" dot={false} activeDot={false} isAnimationActive={false} />
          <Line yAxisId="scans" type="linear" dataKey="perMinute" name="Index scans per minute" stroke={EVIDENCE_COLORS.scans} strokeWidth={2} dot={{ r: 1.5, fill: EVIDENCE_COLORS.scans }} activeDot={{ r: 4 }} connectNulls={false} isAnimationActive={false} />
        </ComposedChart>
      </ResponsiveContainer>
    </ChartFrame>
  );
}
