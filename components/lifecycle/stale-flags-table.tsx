import Link from "next/link";
import { formatCount, formatTicketStatus } from "@/components/ui/format";
import type { StaleFlag, StaleReason } from "@/lib/lifecycle/stale-flags";
import type { SortOrder, StaleSort } from "@/lib/lifecycle/stale-sorts";
import { staleHref, staleSortOrder, withEnv } from "@/lib/pages/search-params";
import { DueDate } from "./due-date";

const th = "px-4 py-2 text-left text-xs font-semibold tracking-wide text-slate-500 uppercase";
const td = "px-4 py-3 align-top";

/** A stale flag with its reasons already in words (the wording lives with the rules, on the server). */
export interface StaleFlagRow extends Omit<StaleFlag, "reasons"> {
  reasons: { kind: StaleReason["kind"]; text: string }[];
}

interface StaleFlagsTableProps {
  staleFlags: StaleFlagRow[];
  env: string;
  sort: StaleSort;
  order: SortOrder;
}

export function StaleFlagsTable({ staleFlags, env, sort, order }: StaleFlagsTableProps) {
  const now = new Date();
  const sorting = { env, sort, order };
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
      <table className="min-w-full divide-y divide-slate-200 text-sm">
        <thead className="bg-slate-50">
          <tr>
            <th className={th}>Flag</th>
            <SortHeader column="owner" label="Owner" {...sorting} />
            <th className={th}>Why it is listed</th>
            <SortHeader column="age" label="Age" align="right" {...sorting} />
            <th className={th}>Due</th>
            <th className={th}>Ticket</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {staleFlags.map((flag) => {
            const overdue = flag.reasons.some((reason) => reason.kind === "removal_overdue");
            return (
              <tr key={flag.key} data-testid={`stale-row-${flag.key}`} data-overdue={overdue || undefined} className={overdue ? "bg-red-50" : undefined}>
                <td className={td}>
                  <Link href={withEnv(`/flags/${flag.key}`, { env })} className="font-mono font-medium text-blue-700 hover:underline">
                    {flag.key}
                  </Link>
                  {flag.name !== flag.key ? <div className="text-xs text-slate-500">{flag.name}</div> : null}
                  {flag.archived ? <div className="text-xs text-slate-500">archived</div> : null}
                </td>
                <td className={td}>{flag.owner}</td>
                <td className={td}>
                  <ul className="space-y-0.5">
                    {flag.reasons.map((reason) => (
                      <li key={reason.kind} className={reason.kind === "removal_overdue" ? "font-semibold text-red-700" : undefined}>
                        {reason.text}
                      </li>
                    ))}
                  </ul>
                </td>
                <td className={`${td} text-right whitespace-nowrap tabular-nums`}>{formatCount(flag.ageDays, "day")}</td>
                <td className={td}>
                  {flag.dueDate ? <DueDate dueDate={flag.dueDate} now={now} /> : <span className="text-slate-500">—</span>}
                </td>
                <td className={td}>
                  {flag.ticketStatus ? formatTicketStatus(flag.ticketStatus) : <span className="text-slate-500">no ticket</span>}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

interface SortHeaderProps {
  column: StaleSort;
  label: string;
  env: string;
  sort: StaleSort;
  order: SortOrder;
  align?: "right";
}

/** A header that sorts by its column; a second click on the sorted one reverses it. */
function SortHeader({ column, label, env, sort, order, align }: SortHeaderProps) {
  const active = column === sort;
  const nextOrder: SortOrder = active ? (order === "asc" ? "desc" : "asc") : staleSortOrder(column, null);
  return (
    <th aria-sort={active ? (order === "asc" ? "ascending" : "descending") : undefined} className={`${th} ${align === "right" ? "text-right" : ""}`}>
      <Link
        href={staleHref("/stale", { env, sort: column, order: nextOrder })}
        className={`inline-flex items-center gap-1 hover:text-slate-900 ${active ? "text-slate-900" : ""}`}
      >
        {label}
        <span aria-hidden="true">{active ? (order === "asc" ? "▲" : "▼") : "↕"}</span>
        <span className="sr-only">, sort {nextOrder === "asc" ? "ascending" : "descending"}</span>
      </Link>
    </th>
  );
}
