"use client";

import { useRouter } from "next/navigation";
import type { FormEvent } from "react";
import { useCreateFlag } from "@/components/flag/use-flag-mutations";
import { ApiErrorBanner } from "@/components/ui/api-error-banner";
import { FormField } from "@/components/ui/form-field";
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
  "removalTicket.link",
];

export function CreateFlagForm({ env }: { env: string }) {
  const router = useRouter();
  const createFlag = useCreateFlag();
  const fieldError = (path: string) => createFlag.error?.fieldMessage(path);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    createFlag.mutate(toCreateFlagInput(new FormData(event.currentTarget)), {
      onSuccess: (created) => router.push(withEnv(`/flags/${created.flag.key}`, { env })),
    });
  }

  return (
    <form onSubmit={submit} noValidate className="space-y-8">
      {createFlag.error ? <ApiErrorBanner error={createFlag.error} shownPaths={FIELD_PATHS} /> : null}
      <fieldset disabled={createFlag.isPending} className="space-y-4 rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
        <legend className="px-1 text-lg font-semibold">Flag</legend>
        <FormField name="key" label="Key (required)" placeholder="orders_total_v2" hint="Lower case, digits, _ . - ; what the SDK evaluates." error={fieldError("key")} autoComplete="off" className="font-mono" />
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
        <FormField name="removalTicket.link" label="Link" type="url" placeholder="https://tracker.example.com/PAY-123" error={fieldError("removalTicket.link")} />
      </fieldset>

      <button type="submit" disabled={createFlag.isPending} className="rounded bg-slate-900 px-5 py-2.5 text-sm font-semibold text-white hover:bg-slate-700 disabled:opacity-60">
        {createFlag.isPending ? "Creating…" : "Create flag"}
      </button>
    </form>
  );
}

/** Key and owner are always sent so the API names them when empty; other blank fields take its defaults. */
function toCreateFlagInput(form: FormData): CreateFlagInput {
  const text = (path: string) => String(form.get(path) ?? "").trim();
  const optional = (path: string) => text(path) || undefined;
  // A non-number goes out as NaN (JSON null), so the API still names the field.
  const optionalNumber = (path: string) => (text(path) ? Number(text(path)) : undefined);

  const contractionGiven = ["table", "oldColumn", "newColumn"].some((part) => text(`removalTicket.contraction.${part}`));
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
