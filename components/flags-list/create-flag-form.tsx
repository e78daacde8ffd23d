"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { useCreateFlag } from "@/components/flag/use-flag-mutations";
import { ApiErrorBanner } from "@/components/ui/api-error-banner";
import { FormField } from "@/components/ui/form-field";
import { FLAG_KEY_MAX_LENGTH, FLAG_KEY_RULE, flagKeyProblem } from "@/lib/flags/flag-key";
import type { CreateFlagInput } from "@/lib/flags/schemas";
import { DEFAULT_LEGACY_ZERO_DAYS, DEFAULT_QUIET_HOURS, DEFAULT_STALE_AFTER_DAYS } from "@/lib/flags/ticket-defaults";
import { withEnv } from "@/lib/pages/search-params";

// Input names are the API's request paths, so error details land next to their field.
const FIELD_PATHS = [
  "key",
  "name",
  "description",
  "owner",
  "removalTicket.owner",
  "removalTicket.legacyZeroDays",
  "removalTicket.quietHours",
  "removalTicket.staleAfterDays",
  "removalTicket.dueDate",
  "removalTicket.contraction.table",
  "removalTicket.contraction.oldColumn",
  "removalTicket.contraction.newColumn",
  "removalTicket.contraction.newIndex",
  "removalTicket.link",
];

export function CreateFlagForm({ env }: { env: string }) {
  const router = useRouter();
  const createFlag = useCreateFlag();
  const fieldError = (path: string) => createFlag.error?.fieldMessage(path);
  const [key, setKey] = useState("");
  const [submitted, setSubmitted] = useState(false);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSubmitted(true);
    // The key's rule is checked here in the API's words; the API still checks everything else.
    if (flagKeyProblem(key.trim())) {
      document.getElementById("field-key")?.focus();
      return;
    }
    createFlag.mutate(toCreateFlagInput(new FormData(event.currentTarget)), {
      onSuccess: (created) => router.push(withEnv(`/flags/${created.flag.key}`, { env })),
    });
  }

  return (
    <form onSubmit={submit} noValidate className="space-y-8">
      {createFlag.error ? <ApiErrorBanner error={createFlag.error} shownPaths={FIELD_PATHS} /> : null}
      <fieldset disabled={createFlag.isPending} className="space-y-4 rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
        <legend className="px-1 text-lg font-semibold">Flag</legend>
        <FlagKeyField value={key} onChange={setKey} showEmpty={submitted} serverError={fieldError("key")} />
        <FormField name="name" label="Name" placeholder="Orders total from the new column" hint="Defaults to the key." error={fieldError("name")} />
        <FormField name="description" label="Description" multiline placeholder="Which schema change this flag gates." error={fieldError("description")} />
        <FormField name="owner" label="Owner (required)" placeholder="payments" hint="The team or person who owns the ramp." error={fieldError("owner")} />
      </fieldset>

      <fieldset disabled={createFlag.isPending} className="space-y-4 rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
        <legend className="px-1 text-lg font-semibold">Removal ticket</legend>
        <p className="text-sm text-slate-600">Every flag is born with its removal: who tears it down, when, and which old column goes with it.</p>
        <div className="grid gap-4 sm:grid-cols-2">
          <FormField name="removalTicket.owner" label="Ticket owner" hint="Defaults to the flag owner." error={fieldError("removalTicket.owner")} />
          <FormField name="removalTicket.dueDate" label="Due date" type="date" hint="Defaults to 90 days from today." error={fieldError("removalTicket.dueDate")} />
        </div>
        <div className="grid gap-4 sm:grid-cols-3">
          <FormField name="removalTicket.legacyZeroDays" label="Legacy path at zero for N days" type="number" inputMode="numeric" min={1} max={90} step={1} placeholder={String(DEFAULT_LEGACY_ZERO_DAYS)} hint={`The trigger; defaults to ${DEFAULT_LEGACY_ZERO_DAYS}. Legacy-path requests must read zero this long.`} error={fieldError("removalTicket.legacyZeroDays")} />
          <FormField name="removalTicket.quietHours" label="Quiet hours before archiving" type="number" inputMode="numeric" min={1} max={720} step={1} placeholder={String(DEFAULT_QUIET_HOURS)} hint={`Defaults to ${DEFAULT_QUIET_HOURS}. No SDK may evaluate the flag this long before it is archived.`} error={fieldError("removalTicket.quietHours")} />
          <FormField name="removalTicket.staleAfterDays" label="Stale after (days)" type="number" inputMode="numeric" min={1} max={365} step={1} placeholder={String(DEFAULT_STALE_AFTER_DAYS)} hint={`Defaults to ${DEFAULT_STALE_AFTER_DAYS}. How long it may serve one value before it is listed as stale.`} error={fieldError("removalTicket.staleAfterDays")} />
        </div>
        <p className="pt-2 text-sm font-medium text-slate-800">Contraction: the old column dropped once the flag is gone</p>
        <div className="grid gap-4 sm:grid-cols-3">
          <FormField name="removalTicket.contraction.table" label="Table" placeholder="orders" error={fieldError("removalTicket.contraction.table")} className="font-mono" />
          <FormField name="removalTicket.contraction.oldColumn" label="Old column (dropped last)" placeholder="legacy_total" error={fieldError("removalTicket.contraction.oldColumn")} className="font-mono" />
          <FormField name="removalTicket.contraction.newColumn" label="New column" placeholder="total_cents" error={fieldError("removalTicket.contraction.newColumn")} className="font-mono" />
        </div>
        <FormField name="removalTicket.contraction.newIndex" label="New index" placeholder="idx_orders_order_status" hint="Its scans should climb as the ramp does." error={fieldError("removalTicket.contraction.newIndex")} className="font-mono" />
        <FormField name="removalTicket.link" label="Link" type="url" placeholder="https://tracker.example.com/PAY-123" error={fieldError("removalTicket.link")} />
      </fieldset>

      <button type="submit" disabled={createFlag.isPending} className="rounded bg-slate-900 px-5 py-2.5 text-sm font-semibold text-white hover:bg-slate-700 disabled:opacity-60">
        {createFlag.isPending ? "Creating…" : "Create flag"}
      </button>
    </form>
  );
}

/**
 * The key, checked as you type in words, with the limit and a live count. An empty key is only
 * called out once the form was submitted; a key the API still refuses (taken, say) shows its answer.
 */
function FlagKeyField({ value, onChange, showEmpty, serverError }: { value: string; onChange: (key: string) => void; showEmpty: boolean; serverError?: string }) {
  const trimmed = value.trim();
  const problem = trimmed === "" && !showEmpty ? null : flagKeyProblem(trimmed);
  const error = problem ?? serverError;
  const over = trimmed.length > FLAG_KEY_MAX_LENGTH;
  return (
    <div className="text-sm">
      <label htmlFor="field-key" className="font-medium text-slate-800">Key (required)</label>
      <input
        id="field-key"
        name="key"
        value={value}
        onChange={(event) => onChange(event.target.value)}
        placeholder="orders_total_v2"
        autoComplete="off"
        spellCheck={false}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? "field-key-hint field-key-error" : "field-key-hint"}
        className={`mt-1 w-full rounded border bg-white px-2 py-1.5 font-mono text-sm ${error ? "border-red-500" : "border-slate-300"}`}
      />
      <p id="field-key-hint" className="mt-1 flex justify-between gap-4 text-xs text-slate-600">
        <span>What the SDK evaluates: {FLAG_KEY_RULE}.</span>
        <span data-testid="key-length" className={`shrink-0 tabular-nums ${over ? "font-semibold text-red-700" : ""}`}>
          {trimmed.length} / {FLAG_KEY_MAX_LENGTH}
        </span>
      </p>
      <p id="field-key-error" aria-live="polite" className="mt-1 text-red-700">{error ?? ""}</p>
    </div>
  );
}

/** Key and owner are always sent so the API names them when empty; other blank fields take its defaults. */
function toCreateFlagInput(form: FormData): CreateFlagInput {
  const text = (path: string) => String(form.get(path) ?? "").trim();
  const optional = (path: string) => text(path) || undefined;
  // A non-number goes out as NaN (JSON null), so the API still names the field.
  const optionalNumber = (path: string) => (text(path) ? Number(text(path)) : undefined);

  const contractionGiven = ["table", "oldColumn", "newColumn", "newIndex"].some((part) => text(`removalTicket.contraction.${part}`));
  const removalTicket: NonNullable<CreateFlagInput["removalTicket"]> = {
    owner: optional("removalTicket.owner"),
    legacyZeroDays: optionalNumber("removalTicket.legacyZeroDays"),
    quietHours: optionalNumber("removalTicket.quietHours"),
    staleAfterDays: optionalNumber("removalTicket.staleAfterDays"),
    dueDate: optional("removalTicket.dueDate"),
    link: optional("removalTicket.link"),
    contraction: contractionGiven
      ? {
          table: text("removalTicket.contraction.table"),
          oldColumn: text("removalTicket.contraction.oldColumn"),
          newColumn: optional("removalTicket.contraction.newColumn"),
          newIndex: optional("removalTicket.contraction.newIndex"),
        }
      : undefined,
  };
  return {
    key: text("key"),
    name: optional("name"),
    description: optional("description"),
    owner: text("owner"),
    removalTicket,
  };
}
