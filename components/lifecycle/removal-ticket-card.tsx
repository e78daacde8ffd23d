"use client";

import { useState } from "react";
import { useCan } from "@/components/shell/session";
import { formatCount, formatTicketStatus } from "@/components/ui/format";
import type { RemovalTicketView } from "@/lib/flags/flag-view";
import { daysUntilDue } from "@/lib/lifecycle/due-date";
import { DEFAULT_STALE_AFTER_DAYS } from "@/lib/flags/ticket-defaults";
import { DueDate } from "./due-date";
import { RemovalTicketForm } from "./removal-ticket-form";


interface RemovalTicketCardProps {
  flagKey: string;
  env: string;
  removalTicket: RemovalTicketView | null;
}

/** Who removes the flag, on what evidence, by when; operators edit the plan in place. */
export function RemovalTicketCard({ flagKey, env, removalTicket }: RemovalTicketCardProps) {
  const canEdit = useCan("operator");
  const [editing, setEditing] = useState(false);
  // The saved answer bridges the moment until the page's refresh brings the same ticket as a prop.
  const [saved, setSaved] = useState<RemovalTicketView | null>(null);

  if (!removalTicket) {
    return (
      <section className="rounded-lg border border-amber-300 bg-amber-50 p-5 text-sm text-amber-900">
        This flag has no removal ticket.
      </section>
    );
  }
  const ticket = saved && saved.updatedAt > removalTicket.updatedAt ? saved : removalTicket;
  const overdue = ticket.status !== "done" && daysUntilDue(ticket.dueDate, new Date()) < 0;

  return (
    <section
      data-testid="removal-ticket"
      className={`rounded-lg border bg-white p-5 shadow-sm ${overdue ? "border-red-400 ring-1 ring-red-300" : "border-slate-200"}`}
    >
      <div className="flex items-center justify-between gap-2">
        <h2 className="text-lg font-semibold">Removal ticket</h2>
        <div className="flex items-center gap-2">
          <span data-testid="removal-ticket-status" className={`rounded px-2 py-0.5 text-xs font-medium ${STATUS_TONES[ticket.status]}`}>
            {formatTicketStatus(ticket.status)}
          </span>
          {canEdit && !editing ? (
            <button type="button" onClick={() => setEditing(true)} className="text-sm font-semibold text-blue-700 hover:underline">
              Edit
            </button>
          ) : null}
        </div>
      </div>
      {overdue ? <p className="mt-2 text-sm font-semibold text-red-700">Overdue: the flag and its old column should be gone by now.</p> : null}
      {editing ? (
        <RemovalTicketForm
          flagKey={flagKey}
          env={env}
          removalTicket={ticket}
          onSaved={(next) => {
            setSaved(next);
            setEditing(false);
          }}
          onCancel={() => setEditing(false)}
        />
      ) : (
        <RemovalTicketDetails removalTicket={ticket} />
      )}
    </section>
  );
}

const STATUS_TONES: Record<RemovalTicketView["status"], string> = {
  open: "bg-slate-100 text-slate-700",
  flag_removed: "bg-amber-100 text-amber-900",
  done: "bg-emerald-100 text-emerald-800",
};

function RemovalTicketDetails({ removalTicket }: { removalTicket: RemovalTicketView }) {
  const { contraction } = removalTicket;
  return (
    <dl className="mt-3 grid grid-cols-[auto_1fr] gap-x-6 gap-y-2 text-sm">
      <dt className="text-slate-500">Owner</dt>
      <dd>{removalTicket.owner}</dd>
      <dt className="text-slate-500">Trigger</dt>
      <dd>Legacy path at zero for {formatCount(removalTicket.legacyZeroDays, "day")}</dd>
      <dt className="text-slate-500">Quiet hours</dt>
      <dd>{formatCount(removalTicket.quietHours, "hour")} with no SDK evaluation before archiving</dd>
      <dt className="text-slate-500">Stale after</dt>
      <dd>
        {formatCount(removalTicket.staleAfterDays ?? DEFAULT_STALE_AFTER_DAYS, "day")} at a constant value
        {removalTicket.staleAfterDays === null ? <span className="ml-1 text-slate-500">(default)</span> : null}
      </dd>
      <dt className="text-slate-500">Due</dt>
      <dd>
        <DueDate dueDate={removalTicket.dueDate} now={new Date()} showDistance={removalTicket.status !== "done"} />
      </dd>
      <dt className="text-slate-500">Contraction</dt>
      <dd>
        {contraction ? (
          <>
            <code className="rounded bg-slate-100 px-1.5 py-0.5 break-all">
              drop {contraction.table}.{contraction.oldColumn}
            </code>
            {contraction.newColumn ? <span className="block text-slate-500">replaced by {contraction.newColumn}</span> : null}
          </>
        ) : (
          <span className="text-slate-500">no column named yet</span>
        )}
      </dd>
      <dt className="text-slate-500">Link</dt>
      <dd>
        {removalTicket.link ? (
          <a href={removalTicket.link} target="_blank" rel="noreferrer" className="break-all text-blue-700 hover:underline">
            {removalTicket.link}
          </a>
        ) : (
          <span className="text-slate-500">—</span>
        )}
      </dd>
    </dl>
  );
}
