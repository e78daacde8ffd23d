"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { ApiError } from "@/components/shell/api-client";
import { ApiErrorBanner } from "@/components/ui/api-error-banner";
import { RelativeTime } from "@/components/ui/relative-time";
import type { AppDatabaseView } from "@/lib/app-db/app-databases";
import { APP_DB_KIND_LABELS } from "@/lib/pages/database-evidence-view";
import { adminQueries } from "./admin-queries";
import { AppDatabaseHealth } from "./app-database-health";
import { appDatabasesApi, hasTestDetails, type AppDatabaseRow } from "./app-databases-api";

const th = "px-4 py-2 text-left text-xs font-semibold tracking-wide text-slate-500 uppercase";
const td = "px-4 py-3 align-top";

/** One row per environment's application database; admins also see the last test and may test or remove it. */
export function AppDatabasesTable({ rows, isAdmin }: { rows: AppDatabaseRow[]; isAdmin: boolean }) {
  if (rows.length === 0) {
    return (
      <div className="rounded-lg border border-dashed border-slate-300 bg-white p-10 text-center">
        <p className="font-medium">No application databases connected.</p>
        <p className="mt-1 text-sm text-slate-600">
          {isAdmin ? "Add one below" : "An admin can add one"}: Rampart then reads it, read-only, to prove a flag&apos;s migration on its flag page.
        </p>
      </div>
    );
  }
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
      <table className="min-w-full divide-y divide-slate-200 text-sm">
        <thead className="bg-slate-50">
          <tr>
            <th scope="col" className={th}>Environment</th>
            <th scope="col" className={th}>Name</th>
            <th scope="col" className={th}>Kind</th>
            <th scope="col" className={th}>Health</th>
            {isAdmin ? (
              <>
                <th scope="col" className={th}>Last checked</th>
                <th scope="col" className={th}>Server version</th>
                <th scope="col" className={th}><span className="sr-only">Actions</span></th>
              </>
            ) : null}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.map((row) => (
            <tr key={row.id} data-testid="app-database-row" data-environment={row.environment} className="hover:bg-slate-50">
              <td className={`${td} font-mono whitespace-nowrap`}>{row.environment}</td>
              <th scope="row" className={`${td} text-left font-medium whitespace-nowrap`}>{row.name}</th>
              <td className={td}>{APP_DB_KIND_LABELS[row.kind]}</td>
              <td className={td}>
                <AppDatabaseHealth health={row.health} />
                {hasTestDetails(row) && row.health === "unavailable" && row.healthDetail ? <p className="mt-1 max-w-xs text-xs text-slate-600">{row.healthDetail}</p> : null}
              </td>
              {isAdmin && hasTestDetails(row) ? <AdminCells row={row} /> : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function AdminCells({ row }: { row: AppDatabaseView }) {
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: adminQueries.appDatabases() });
  const test = useMutation<AppDatabaseView, ApiError, void>({ mutationFn: () => appDatabasesApi.test(row.id), onSuccess: refresh });
  const remove = useMutation<null, ApiError, void>({ mutationFn: () => appDatabasesApi.remove(row.id), onSuccess: refresh });
  const [confirming, setConfirming] = useState(false);
  return (
    <>
      <td className={td}>{row.checkedAt ? <RelativeTime iso={row.checkedAt} /> : <span className="text-slate-500">never</span>}</td>
      <td className={`${td} max-w-56 text-xs break-words text-slate-700`}>{row.serverVersion ?? <span className="text-slate-500">unknown</span>}</td>
      <td className={`${td} min-w-48`}>
        {confirming ? (
          <div role="group" aria-label={`Remove ${row.name}`} className="space-y-2 rounded border border-red-300 bg-red-50 p-2">
            <p className="text-xs text-red-900">Remove {row.name}? Rampart stops reading {row.environment}&apos;s database and forgets its connection string.</p>
            <div className="flex gap-2">
              <button type="button" data-testid="remove-app-database-confirm" autoFocus disabled={remove.isPending} onClick={() => remove.mutate()}
                className="rounded bg-red-600 px-3 py-1 text-xs font-semibold text-white hover:bg-red-700 disabled:opacity-60">
                {remove.isPending ? "Removing…" : "Yes, remove"}
              </button>
              <button type="button" disabled={remove.isPending} onClick={() => setConfirming(false)} className="rounded border border-slate-300 bg-white px-3 py-1 text-xs hover:bg-slate-50">
                Cancel
              </button>
            </div>
          </div>
        ) : (
          <span className="flex items-center gap-3">
            <button type="button" data-testid="test-app-database" disabled={test.isPending} onClick={() => test.mutate()} className="text-sm font-semibold text-blue-700 hover:underline disabled:text-slate-500">
              {test.isPending ? "Testing…" : "Test"}
            </button>
            <button type="button" data-testid="remove-app-database" onClick={() => setConfirming(true)} className="text-sm font-semibold text-red-700 hover:underline">
              Remove
            </button>
          </span>
        )}
        {test.data ? <TestResult result={test.data} /> : null}
        {test.error ? <div className="mt-2"><ApiErrorBanner error={test.error} /></div> : null}
        {remove.error ? <div className="mt-2"><ApiErrorBanner error={remove.error} /></div> : null}
      </td>
    </>
  );
}

function TestResult({ result }: { result: AppDatabaseView }) {
  return (
    <p role="status" data-testid="app-database-test-result" data-health={result.health} className="mt-2 text-xs text-slate-700">
      {result.health === "ok" ? "Answered read-only." : `Did not answer: ${result.healthDetail ?? "no answer"}`}
    </p>
  );
}
