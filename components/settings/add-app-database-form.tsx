"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { FormEvent } from "react";
import type { ApiError } from "@/components/shell/api-client";
import type { EnvironmentOption } from "@/components/shell/environment-switcher";
import { ApiErrorBanner } from "@/components/ui/api-error-banner";
import { FormField } from "@/components/ui/form-field";
import { SelectField } from "@/components/ui/select-field";
import { useHydrated } from "@/components/ui/use-hydrated";
import type { AppDatabaseView } from "@/lib/app-db/app-databases";
import { appDbKinds, type AppDbKind } from "@/lib/app-db/app-db-kind";
import type { AddAppDatabaseInput } from "@/lib/app-db/schemas";
import { APP_DB_KIND_LABELS } from "@/lib/pages/database-evidence-view";
import { adminQueries } from "./admin-queries";
import { appDatabasesApi } from "./app-databases-api";

/** An unknown environment is a 404 naming `env`, shown at the select like the rest. */
const FIELD_PATHS = ["env", "name", "kind", "dsn"];

const formText = (form: FormData, path: string) => String(form.get(path) ?? "").trim();
const toKind = (value: string): AppDbKind => appDbKinds.find((kind) => kind === value) ?? "postgresql";

/** Connects an environment's application database; the DSN field is a password field and is cleared once sent. */
export function AddAppDatabaseForm({ environments }: { environments: EnvironmentOption[] }) {
  const queryClient = useQueryClient();
  const add = useMutation<AppDatabaseView, ApiError, { env: string; input: AddAppDatabaseInput }>({
    mutationFn: appDatabasesApi.add,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: adminQueries.appDatabases() }),
  });
  const fieldError = (path: string) => add.error?.fieldMessage(path);
  // Submitted natively, before hydration, the form would put the DSN in the page's URL.
  const hydrated = useHydrated();

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    // The DSN is sent as typed: a password may end in a space.
    const input = { name: formText(data, "name"), kind: toKind(formText(data, "kind")), dsn: String(data.get("dsn") ?? "") };
    add.mutate({ env: formText(data, "env"), input }, { onSuccess: () => form.reset() });
  }

  return (
    <form onSubmit={submit} noValidate aria-labelledby="add-app-database-heading" className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
      <h2 id="add-app-database-heading" className="text-lg font-semibold">Connect an application database</h2>
      <p className="mt-1 text-sm text-slate-600">
        One per environment. Rampart only reads it, in read-only transactions with short timeouts. Give it a monitoring role: on PostgreSQL{" "}
        <code className="font-mono">pg_monitor</code> and SELECT on the contracted table; on MySQL PROCESS and SELECT on{" "}
        <code className="font-mono">performance_schema</code> and the table.
      </p>
      {add.data ? (
        <p role="status" data-testid="app-database-added" className="mt-3 rounded border border-emerald-300 bg-emerald-50 px-3 py-2 text-sm text-emerald-900">
          Connected “{add.data.name}” for {add.data.environment}. Its connection string is stored encrypted and is never shown again; use Test to check it answers.
        </p>
      ) : null}
      <fieldset disabled={add.isPending} className="mt-3 space-y-4">
        {add.error ? <ApiErrorBanner error={add.error} shownPaths={FIELD_PATHS} /> : null}
        <div className="grid gap-4 sm:grid-cols-3">
          <SelectField name="env" label="Environment" defaultValue={environments[0]?.key ?? ""} error={fieldError("env")}>
            {environments.map((environment) => (
              <option key={environment.key} value={environment.key}>{environment.name}</option>
            ))}
          </SelectField>
          <FormField name="name" label="Name" placeholder="orders-db" autoComplete="off" error={fieldError("name")} />
          <SelectField name="kind" label="Kind" defaultValue="postgresql" error={fieldError("kind")}>
            {appDbKinds.map((kind) => (
              <option key={kind} value={kind}>{APP_DB_KIND_LABELS[kind]}</option>
            ))}
          </SelectField>
        </div>
        <FormField
          name="dsn"
          label="Connection string (DSN)"
          type="password"
          autoComplete="off"
          spellCheck={false}
          placeholder="postgres://rampart_monitor:password@db.internal:5432/orders"
          hint="Stored encrypted; never shown again, not even to admins."
          error={fieldError("dsn")}
          className="font-mono"
        />
        <button type="submit" disabled={!hydrated} className="rounded bg-slate-900 px-4 py-2 text-sm font-semibold text-white hover:bg-slate-700 disabled:opacity-60">
          {add.isPending ? "Connecting…" : "Connect database"}
        </button>
      </fieldset>
    </form>
  );
}
