import { ReferenceArea, XAxis } from "recharts";
import { timeTicks, utcClock, type ResetGap } from "@/lib/pages/database-evidence-view";
import { formatClock, niceTicks } from "./path-chart-data";

/** The database evidence's colours: old-column reads like the legacy path, the new index like the new one. */
export const EVIDENCE_COLORS = { scans: "#4f46e5", percentage: "#0891b2", reads: "#475569", writes: "#d97706", waits: "#0f766e" } as const;

export const EVIDENCE_AXIS_NOTE = "Times in UTC · one point per sampled minute";

/** The evidence charts' time axis over the chart's span, ticks on round UTC times. A plain function so recharts sees the XAxis. */
export function evidenceTimeAxis({ from, to }: { from: number; to: number }) {
  return (
    <XAxis
      dataKey="t"
      type="number"
      scale="time"
      domain={[from, to]}
      ticks={timeTicks(from, to)}
      tickFormatter={(t: number) => formatClock(t)}
      tick={{ fontSize: 11, fill: "#475569" }}
      stroke="#cbd5e1"
      allowDataOverflow
    />
  );
}

/** Resets in the window's last share like this are labelled leftwards, so the label stays inside the plot. */
const RIGHT_EDGE = 0.6;

/** A counter reset as a shaded, labelled gap: the line breaks there rather than dipping below zero. */
export function resetAreas(resets: readonly ResetGap[], { from, to, yAxisId }: { from: number; to: number; yAxisId?: string }) {
  const rightEdge = from + (to - from) * RIGHT_EDGE;
  return resets.map((reset) => (
    <ReferenceArea
      key={reset.to}
      x1={reset.from}
      x2={reset.to}
      yAxisId={yAxisId}
      fill="#e2e8f0"
      fillOpacity={0.8}
      stroke="#64748b"
      strokeDasharray="2 2"
      ifOverflow="hidden"
      label={{ value: "statistics reset", position: reset.to > rightEdge ? "insideTopRight" : "insideTopLeft", fontSize: 10, fill: "#334155" }}
    />
  ));
}

/** The hovered minute's values, in a fixed order. */
export function EvidenceTooltip({ active, label, rows }: { active?: boolean; label?: string | number; rows: { label: string; color: string; value: string }[] | null }) {
  if (!active || typeof label !== "number" || !rows) return null;
  return (
    <div className="rounded border border-slate-200 bg-white px-3 py-2 text-xs shadow-md">
      <p className="mb-1 font-semibold text-slate-900">{utcClock(label)}</p>
      <table>
        <tbody>
          {rows.map((row) => (
            <tr key={row.label}>
              <td className="pr-3">
                <span className="mr-1.5 inline-block size-2 rounded-full" style={{ backgroundColor: row.color }} />
                {row.label}
              </td>
              <td className="text-right font-mono tabular-nums">{row.value}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Round ticks for whole counts: 0, 1, 2 rather than 0, 0.25, 0.5. */
export function countTicks(max: number): number[] {
  return niceTicks(Math.max(1, max)).filter((tick) => Number.isInteger(tick));
}
