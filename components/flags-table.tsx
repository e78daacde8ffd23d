import Link from "next/link";
import type { ListedFlag } from "@/lib/lifecycle/stale-flags";
import { DueDate } from "./due-date";
import { formatPercentage } from "./format";
import { KilledBadge } from "./killed-badge";
import { RelativeTime } from "./relative-time";
import { withEnv } from "./search-params";

const th = "px-4 py-2 text-left text-xs font-semibold tracking-wide text-slate-500 uppercase";
const td = "px-4 py-3 align-top";

export function FlagsTable({ flags, env }: { flags: ListedFlag[]; env: string }) {
  const now = new Date();
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
      <table className="min-w-full divide-y divide-slate-200 text-sm">
        <thead className="bg-slate-50">
          <tr>
            <th className={th}>Flag</th>
            <th className={th}>Owner</th>
            <th className={`${th} text-right`}>Percentage</th>
            <th className={th}>Killed</th>
            <th className={th}>Default</th>
            <th className={th}>Last change</th>
            <th className={th}>Removal due</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {flags.map((flag) => (
            <tr key={flag.key} className={flag.state.killed ? "bg-red-50/60" : "hover:bg-slate-50"}>
              <td className={td}>
                <Link href={withEnv(`/flags/${flag.key}`, { env })} className="font-mono font-medium text-blue-700 hover:underline">
                  {flag.key}
                </Link>
                {flag.name !== flag.key ? <div className="text-xs text-slate-500">{flag.name}</div> : null}
                {flag.archivedAt ? <div className="text-xs text-slate-400">archived</div> : null}
              </td>
              <td className={td}>{flag.owner}</td>
              <td className={`${td} text-right font-mono tabular-nums`}>{formatPercentage(flag.state.percentage)}</td>
              <td className={td}>{flag.state.killed ? <KilledBadge /> : <span className="text-slate-400">—</span>}</td>
              <td className={td}>{flag.state.default ? "on" : "off"}</td>
              <td className={td}>
                <RelativeTime iso={flag.state.updatedAt} />
                <div className="text-xs text-slate-500">by {flag.state.updatedBy}</div>
              </td>
              <td className={td}>
                {flag.removalTicket ? <DueDate dueDate={flag.removalTicket.dueDate} now={now} /> : <span className="text-slate-400">—</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
