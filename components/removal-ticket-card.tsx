import type { RemovalTicketView } from "@/lib/flags/flag-view";
import { daysUntilDue } from "@/lib/lifecycle/stale-flags";
import { DueDate } from "./due-date";

const STATUS_LABELS: Record<RemovalTicketView["status"], string> = {
  open: "Open",
  ready: "Ready to remove",
  flag_removed: "Flag removed, column pending",
  done: "Done",
};

export function RemovalTicketCard({ removalTicket }: { removalTicket: RemovalTicketView | null }) {
  if (!removalTicket) {
    return (
      <section className="rounded-lg border border-amber-300 bg-amber-50 p-5 text-sm text-amber-900">
        This flag has no removal ticket.
      </section>
    );
  }
  const now = new Date();
  const overdue = removalTicket.status !== "done" && daysUntilDue(removalTicket.dueDate, now) < 0;
  const { contraction } = removalTicket;
  return (
    <section className={`rounded-lg border bg-white p-5 shadow-sm ${overdue ? "border-red-400 ring-1 ring-red-300" : "border-slate-200"}`}>
      <div className="flex items-center justify-between gap-2">
        <h2 className="text-lg font-semibold">Removal ticket</h2>
        <span className="rounded bg-slate-100 px-2 py-0.5 text-xs font-medium text-slate-700">{STATUS_LABELS[removalTicket.status]}</span>
      </div>
      {overdue ? <p className="mt-2 text-sm font-semibold text-red-700">Overdue: the flag and its old column should be gone by now.</p> : null}
      <dl className="mt-3 grid grid-cols-[auto_1fr] gap-x-6 gap-y-2 text-sm">
        <dt className="text-slate-500">Owner</dt>
        <dd>{removalTicket.owner}</dd>
        <dt className="text-slate-500">Trigger</dt>
        <dd>{removalTicket.triggerCondition}</dd>
        <dt className="text-slate-500">Due</dt>
        <dd>
          <DueDate dueDate={removalTicket.dueDate} now={now} showDistance={removalTicket.status !== "done"} />
        </dd>
        <dt className="text-slate-500">Contraction</dt>
        <dd>
          {contraction ? (
            <>
              <code className="rounded bg-slate-100 px-1.5 py-0.5">
                drop {contraction.table}.{contraction.oldColumn}
              </code>
              {contraction.newColumn ? <span className="ml-2 text-slate-500">(replaced by {contraction.newColumn})</span> : null}
            </>
          ) : (
            <span className="text-slate-400">no column named yet</span>
          )}
        </dd>
        <dt className="text-slate-500">Link</dt>
        <dd>
          {removalTicket.link ? (
            <a href={removalTicket.link} target="_blank" rel="noreferrer" className="break-all text-blue-700 hover:underline">
              {removalTicket.link}
            </a>
          ) : (
            <span className="text-slate-400">—</span>
          )}
        </dd>
      </dl>
    </section>
  );
}
