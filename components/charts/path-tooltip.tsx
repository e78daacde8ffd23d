"use client";

import type { PathChartPoint } from "./path-chart-data";
import { formatBucket } from "./path-chart-data";

export interface TooltipRow {
  label: string;
  color: string;
  value: (point: PathChartPoint) => string;
}

interface PathTooltipProps {
  active?: boolean;
  /** The hovered bucket's start, the x value recharts hands over. */
  label?: string | number;
  points: Map<number, PathChartPoint>;
  rows: TooltipRow[];
}

/** Both paths for the hovered bucket, always in the same order, "—" where a path had no samples. */
export function PathTooltip({ active, label, points, rows }: PathTooltipProps) {
  const point = typeof label === "number" ? points.get(label) : undefined;
  if (!active || !point) return null;
  return (
    <div className="rounded border border-slate-200 bg-white px-3 py-2 text-xs shadow-md">
      <p className="mb-1 font-semibold text-slate-900">{formatBucket(point.t)}</p>
      <table>
        <tbody>
          {rows.map((row) => (
            <tr key={row.label}>
              <td className="pr-3">
                <span className="mr-1.5 inline-block size-2 rounded-full" style={{ backgroundColor: row.color }} />
                {row.label}
              </td>
              <td className="text-right font-mono tabular-nums">{row.value(point)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
