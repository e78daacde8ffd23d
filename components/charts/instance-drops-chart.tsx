"use client";

import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { ChartFrame } from "./chart-frame";
import { formatCount } from "./path-chart-data";

export interface InstanceDrops {
  instanceId: string;
  dropped: number;
  samples: number;
  /** "1.2%" of the instance's samples, formatted by the caller. */
  share: string;
}

const DROPPED_COLOR = "#dc2626";
const LABEL_CHARS = 22;

/** Dropped samples per instance, most first: one bar standing out is one sick host, even bars are the control plane. */
export function InstanceDropsChart({ instances, windowLabel }: { instances: InstanceDrops[]; windowLabel: string }) {
  return (
    <ChartFrame
      testId="chart-instance-drops"
      title="Dropped samples by instance"
      aside={windowLabel}
      empty={instances.length === 0 ? "No instance dropped samples in this window." : null}
      summary={instances[0] ? `${instances.length === 1 ? "1 instance" : `${instances.length} instances`} dropped samples; the most, ${instances[0].instanceId}, dropped ${formatCount(instances[0].dropped)} (${instances[0].share}).` : undefined}
    >
      <ResponsiveContainer width="100%" height="100%">
        <BarChart accessibilityLayer={false} data={instances} layout="vertical" margin={{ top: 4, right: 16, bottom: 0, left: 0 }} barCategoryGap="20%">
          <CartesianGrid stroke="#e2e8f0" horizontal={false} />
          <XAxis type="number" allowDecimals={false} tickFormatter={(n: number) => formatCount(n)} tick={{ fontSize: 11, fill: "#475569" }} stroke="#cbd5e1" />
          <YAxis
            type="category"
            dataKey="instanceId"
            width={160}
            interval={0}
            tickFormatter={(id: string) => (id.length > LABEL_CHARS ? `${id.slice(0, LABEL_CHARS - 1)}…` : id)}
            tick={{ fontSize: 11, fill: "#334155", fontFamily: "ui-monospace, monospace" }}
            stroke="#cbd5e1"
          />
          <Tooltip cursor={{ fill: "#f1f5f9" }} content={({ active, payload }) => <DropsTooltip active={active} instance={payload?.[0]?.payload as InstanceDrops | undefined} />} />
          <Bar dataKey="dropped" name="Dropped samples" fill={DROPPED_COLOR} maxBarSize={28} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </ChartFrame>
  );
}

function DropsTooltip({ active, instance }: { active?: boolean; instance?: InstanceDrops }) {
  if (!active || !instance) return null;
  return (
    <div className="rounded border border-slate-200 bg-white px-3 py-2 text-xs shadow-md">
      <p className="mb-1 font-mono font-semibold break-all text-slate-900">{instance.instanceId}</p>
      <p>
        <span className="font-mono tabular-nums">{formatCount(instance.dropped)}</span> dropped ({instance.share}),{" "}
        <span className="font-mono tabular-nums">{formatCount(instance.samples)}</span> delivered
      </p>
    </div>
  );
}
