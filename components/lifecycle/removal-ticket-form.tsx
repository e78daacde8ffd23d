"use client";

import { useState, type FormEvent } from "react";
import { useUpdateRemovalTicket } from "@/components/flag/use-flag-mutations";
import { ApiErrorBanner } from "@/components/ui/api-error-banner";
import { FormField } from "@/components/ui/form-field";
import { formatDay } from "@/components/ui/format";
import type { RemovalTicketView } from "@/lib/flags/flag-view";
import type { RemovalTicketPatch } from "@/lib/flags/schemas";
import { DEFAULT_STALE_AFTER_DAYS } from "@/lib/flags/ticket-defaults";

// Input names are the PATCH body's paths, so error details land next to their field.
const FIELD_PATHS = [
  "owner",
  "legacyZeroDays",
  "quietHours",
  "staleAfterDays",
  "dueDate",
  "contraction",
  "contraction.table",
  "contraction.oldColumn",
  "contraction.newColumn",
  "contraction.newIndex",
  "link",
];

interface RemovalTicketFormProps {
  flagKey: string;
  env: string;
  removalTicket: RemovalTicketView;
  onSaved: (removalTicket: RemovalTicketView) => void;
  onCancel: () => void;
}

/** Edits the ticket's plan; only the fields that changed are sent, and blanks clear the optional ones. */
export function RemovalTicketForm({ flagKey, env, removalTicket, onSaved, onCancel }: RemovalTicketFormProps) {
  const update = useUpdateRemovalTicket({ flagKey, env });
  const [draftErrors, setDraftErrors] = useState<Record<string, string>>({});
  const fieldError = (path: string) => draftErrors[path] ?? update.error?.fieldMessage(path);
  const { contraction } = removalTicket;

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const { patch, errors } = toRemovalTicketPatch(new FormData(event.currentTarget), removalTicket);
    setDraftErrors(errors);
    update.reset();
    if (Object.keys(errors).length > 0) return;
    if (Object.keys(patch).length === 0) return onCancel();
    update.mutate(patch, { onSuccess: (result) => onSaved(result.removalTicket) });
  }

  return (
    <form onSubmit={submit} noValidate className="mt-3 space-y-3" aria-label="Edit removal ticket">
      {update.error ? <ApiErrorBanner error={update.error} shownPaths={FIELD_PATHS} /> : null}
      <fieldset disabled={update.isPending} className="space-y-3">
        <FormField name="owner" label="Owner" defaultValue={removalTicket.owner} error={fieldError("owner")} />
        <div className="grid grid-cols-2 gap-3">
          <FormField name="legacyZeroDays" label="Legacy path at zero for N days" type="number" inputMode="numeric" min={1} max={90} step={1} defaultValue={removalTicket.legacyZeroDays} error={fieldError("legacyZeroDays")} />
          <FormField name="quietHours" label="Quiet hours before archiving" type="number" inputMode="numeric" min={1} max={720} step={1} defaultValue={removalTicket.quietHours} error={fieldError("quietHours")} />
        </div>
        <div className="grid grid-cols-2 gap-3">
          <FormField name="staleAfterDays" label="Stale after (days)" type="number" inputMode="numeric" min={1} max={365} step={1} placeholder={String(DEFAULT_STALE_AFTER_DAYS)} hint={`Blank: the default, ${DEFAULT_STALE_AFTER_DAYS}.`} defaultValue={removalTicket.staleAfterDays ?? ""} error={fieldError("staleAfterDays")} />
          <FormField name="dueDate" label="Due date" type="date" defaultValue={formatDay(removalTicket.dueDate)} error={fieldError("dueDate")} />
        </div>
        <p className="pt-1 font-medium text-slate-800">Contraction <span className="font-normal text-slate-500">(all blank: none)</span></p>
        {fieldError("contraction") ? <p className="text-sm text-red-700">{fieldError("contraction")}</p> : null}
        <FormField name="contraction.table" label="Table" placeholder="orders" defaultValue={contraction?.table ?? ""} error={fieldError("contraction.table")} className="font-mono" />
        <div className="grid grid-cols-2 gap-3">
          <FormField name="contraction.oldColumn" label="Old column" placeholder="legacy_total" defaultValue={contraction?.oldColumn ?? ""} error={fieldError("contraction.oldColumn")} className="font-mono" />
          <FormField name="contraction.newColumn" label="New column" placeholder="total_cents" defaultValue={contraction?.newColumn ?? ""} error={fieldError("contraction.newColumn")} className="font-mono" />
        </div>
        <FormField name="contraction.newIndex" label="New index" placeholder="idx_orders_order_status" hint="Its scans should climb as the ramp does." defaultValue={contraction?.newIndex ?? ""} error={fieldError("contraction.newIndex")} className="font-mono" />
        <FormField name="link" label="Link" type="url" placeholder="https://tracker.example.com/PAY-123" hint="Blank removes it." defaultValue={removalTicket.link ?? ""} error={fieldError("link")} />
      </fieldset>
      <div className="flex gap-2">
        <button type="submit" disabled={update.isPending} className="flex-1 rounded bg-slate-900 px-4 py-2 text-sm font-semibold text-white hover:bg-slate-700 disabled:opacity-60">
          {update.isPending ? "Saving…" : "Save ticket"}
        </button>
        <button type="button" disabled={update.isPending} onClick={onCancel} className="rounded border border-slate-300 bg-white px-4 py-2 text-sm font-medium hover:bg-slate-50 disabled:opacity-60">
          Cancel
        </button>
      </div>
    </form>
  );
}

/** The fields that differ from the ticket; whole numbers are checked here so a typo never clears a value. */
function toRemovalTicketPatch(form: FormData, ticket: RemovalTicketView): { patch: RemovalTicketPatch; errors: Record<string, string> } {
  const text = (path: string) => String(form.get(path) ?? "").trim();
  const patch: RemovalTicketPatch = {};
  const errors: Record<string, string> = {};

  const wholeNumber = (path: string, unit: string, required: boolean): number | null | undefined => {
    const value = text(path);
    if (!value) {
      if (required) errors[path] = `Enter a whole number of ${unit}.`;
      return required ? undefined : null;
    }
    const n = Number(value);
    if (!Number.isInteger(n)) errors[path] = `Enter a whole number of ${unit}.`;
    return Number.isInteger(n) ? n : undefined;
  };

  if (text("owner") !== ticket.owner) patch.owner = text("owner");
  const legacyZeroDays = wholeNumber("legacyZeroDays", "days", true);
  if (typeof legacyZeroDays === "number" && legacyZeroDays !== ticket.legacyZeroDays) patch.legacyZeroDays = legacyZeroDays;
  const quietHours = wholeNumber("quietHours", "hours", true);
  if (typeof quietHours === "number" && quietHours !== ticket.quietHours) patch.quietHours = quietHours;
  const staleAfterDays = wholeNumber("staleAfterDays", "days", false);
  if (staleAfterDays !== undefined && staleAfterDays !== ticket.staleAfterDays) patch.staleAfterDays = staleAfterDays;
  if (text("dueDate") !== formatDay(ticket.dueDate)) patch.dueDate = text("dueDate");

  const table = text("contraction.table");
  const oldColumn = text("contraction.oldColumn");
  const newColumn = text("contraction.newColumn");
  const newIndex = text("contraction.newIndex");
  const contraction = table || oldColumn || newColumn || newIndex ? { table, oldColumn, newColumn: newColumn || undefined, newIndex: newIndex || undefined } : null;
  const current = ticket.contraction;
  const sameContraction =
    contraction === null || current === null
      ? contraction === current
      : contraction.table === current.table &&
        contraction.oldColumn === current.oldColumn &&
        (contraction.newColumn ?? null) === current.newColumn &&
        (contraction.newIndex ?? null) === current.newIndex;
  if (!sameContraction) patch.contraction = contraction;

  const link = text("link") || null;
  if (link !== ticket.link) patch.link = link;
  return { patch, errors };
}
