"use client";

import { useMemo } from "react";
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, YAxis } from "recharts";
import type { ResetGap } from "@/lib/pages/database-evidence-view";
import { ChartFrame, PathLegend } from "./chart-frame";
import { countTicks, EVIDENCE_AXIS_NOTE, EvidenceTooltip, evidenceTimeAxis, resetAreas } from "./evidence-chart-parts";
import { formatCount } from "./path-chart-data";

export interface MinuteSeries<K extends string> {
  key: K;
  label: string;
  color: string;
}

interface MinuteBarsChartProps<K extends string> {
  testId: string;
  title: string;
  /** Under the title, e.g. "sampled: can miss short queries". */
  note?: string;
  series: MinuteSeries<K>[];
  /** A null value is a minute the counters were reset in: no bar, and a marked gap from `resets`. */
  points: ({ t: number } & Record<K, number | null>)[];
  resets?: ResetGap[];
  summary: string;
  empty: string | null;
  from: number;
  to: number;
}

/** Counts per minute as bars side by side: old-column reads and writes, queries caught running, lock waits. */
export function MinuteBarsChart<K extends string>({ testId, title, note, series, points, resets = [], summary, empty, from, to }: MinuteBarsChartProps<K>) {
  const byTime = useMemo(() => new Map(points.map((point) => [point.t, point])), [points]);
  const ticks = useMemo(() => countTicks(Math.max(0, ...points.flatMap((point) => series.map((s) => point[s.key] ?? 0)))), [points, series]);
  const tooltipRows = (t: number) => {
    const point = byTime.get(t);
    if (!point) return null;
    return series.map((s) => ({ label: s.label, color: s.color, value: point[s.key] === null ? "statistics reset" : formatCount(point[s.key]!) }));
  };
  return (
    <ChartFrame
      testId={testId}
      title={title}
      aside={
        <>
          <PathLegend items={series.map((s) => ({ label: s.label, color: s.color }))} />
          {note ? <span className="ml-3 font-medium text-slate-700">{note}</span> : null}
        </>
      }
      empty={empty}
      summary={summary}
      axisNote={EVIDENCE_AXIS_NOTE}
    >
      <ResponsiveContainer width="100%" height="100%">
        <BarChart accessibilityLayer={false} data={points} margin={{ top: 8, right: 12, bottom: 0, left: 0 }} barGap={0}>
          <CartesianGrid stroke="#e2e8f0" vertical={false} />
          {evidenceTimeAxis({ from, to })}
          <YAxis width={48} allowDecimals={false} domain={[0, ticks.at(-1) ?? 1]} ticks={ticks} tickFormatter={(n: number) => formatCount(n)} tick={{ fontSize: 11, fill: "#475569" }} stroke="#cbd5e1" />
          <Tooltip cursor={{ fill: "#f1f5f9" }} content={({ active, label }) => <EvidenceTooltip active={active} label={label} rows={typeof label === "number" ? tooltipRows(label) : null} />} />
          {resetAreas(resets, { from, to })}
          {series.map((s) => (
            <Bar key={s.key} dataKey={s.key} name={s.label} fill={s.color} minPointSize={0} maxBarSize={6} isAnimationActive={false} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </ChartFrame>
  );
}
