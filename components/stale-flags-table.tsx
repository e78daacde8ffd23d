import Link from "next/link";
import type { StaleFlag, StaleReason } from "@/lib/lifecycle/stale-flags";
import { DueDate } from "./due-date";
import { formatPercentage } from "./format";
import { KilledBadge } from "./killed-badge";
import { withEnv } from "./search-params";

const th = "px-4 py-2 text-left text-xs font-semibold tracking-wide text-slate-500 uppercase";
const td = "px-4 py-3 align-top";

export function StaleFlagsTable({ staleFlags, env }: { staleFlags: StaleFlag[]; env: string }) {
  const now = new Date();
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
      <table className="min-w-full divide-y divide-slate-200 text-sm">
        <thead className="bg-slate-50">
          <tr>
            <th className={th}>Flag</th>
            <th className={th}>Removal owner</th>
            <th className={`${th} text-right`}>Percentage</th>
            <th className={th}>Due</th>
            <th className={th}>Why it is listed</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {staleFlags.map(({ flag, reasons, overdue }) => (
            <tr key={flag.key} data-overdue={overdue || undefined} className={overdue ? "bg-red-50" : undefined}>
              <td className={td}>
                <Link href={withEnv(`/flags/${flag.key}`, { env })} className="font-mono font-medium text-blue-700 hover:underline">
                  {flag.key}
                </Link>
                {flag.removalTicket?.contraction ? (
                  <div className="font-mono text-xs text-slate-500">
                    drop {flag.removalTicket.contraction.table}.{flag.removalTicket.contraction.oldColumn}
                  </div>
                ) : null}
              </td>
              <td className={td}>{flag.removalTicket?.owner ?? flag.owner}</td>
              <td className={`${td} text-right font-mono tabular-nums`}>
                {flag.state.killed ? <KilledBadge /> : formatPercentage(flag.state.percentage)}
              </td>
              <td className={td}>
                {flag.removalTicket ? <DueDate dueDate={flag.removalTicket.dueDate} now={now} /> : <span className="text-slate-400">—</span>}
              </td>
              <td className={td}>
                <ul className="space-y-0.5">
                  {reasons.map((reason) => (
                    <li key={reason.kind} className={reason.kind === "removal_overdue" ? "font-semibold text-red-700" : undefined}>
                      {describeReason(reason)}
                    </li>
                  ))}
                </ul>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function describeReason(reason: StaleReason): string {
  switch (reason.kind) {
    case "removal_overdue":
      return `Removal ticket overdue by ${plural(reason.days, "day")}`;
    case "removal_due_soon":
      return reason.days === 0 ? "Removal ticket due today" : `Removal ticket due in ${plural(reason.days, "day")}`;
    case "idle": {
      const where = reason.killed ? "Killed (0%)" : `At ${formatPercentage(reason.percentage)}`;
      return `${where} with no change for ${plural(reason.days, "day")}`;
    }
  }
}

function plural(count: number, unit: string): string {
  return `${count} ${unit}${count === 1 ? "" : "s"}`;
}
