"use client";

import { useMutation, useQueryClient, type QueryKey } from "@tanstack/react-query";
import type { ReactNode } from "react";
import type { ApiError } from "@/components/shell/api-client";
import { ApiErrorBanner } from "@/components/ui/api-error-banner";
import { RelativeTime } from "@/components/ui/relative-time";
import type { CommonCredentialView } from "@/lib/credentials/credential-store";
import { RevocationStatus } from "./revoke-control";

interface CredentialsTableProps<R extends CommonCredentialView> {
  rows: R[];
  rowTestId: string;
  /** How the revoke confirmation names one row, e.g. `token "ci"`. */
  subject: (row: R) => string;
  empty: { title: string; hint: string };
  /** The columns particular to this kind, shown between Name and Prefix. */
  columns: { header: string; cell: (row: R) => ReactNode }[];
  revoke: (id: number) => Promise<unknown>;
  queryKey: QueryKey;
}

const th = "px-4 py-2 text-left text-xs font-semibold tracking-wide text-slate-500 uppercase";
const td = "px-4 py-3 align-top";

/** The list of API tokens or SDK keys, with last use and an inline revoke step per row. */
export function CredentialsTable<R extends CommonCredentialView>({ rows, rowTestId, subject, empty, columns, revoke, queryKey }: CredentialsTableProps<R>) {
  const queryClient = useQueryClient();
  const revoking = useMutation<unknown, ApiError, number>({
    mutationFn: revoke,
    onSuccess: () => queryClient.invalidateQueries({ queryKey }),
  });

  if (rows.length === 0) {
    return (
      <div className="rounded-lg border border-dashed border-slate-300 bg-white p-10 text-center">
        <p className="font-medium">{empty.title}</p>
        <p className="mt-1 text-sm text-slate-600">{empty.hint}</p>
      </div>
    );
  }
  return (
    <section className="space-y-3">
      {revoking.error ? <ApiErrorBanner error={revoking.error} /> : null}
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
        <table className="min-w-full divide-y divide-slate-200 text-sm">
          <thead className="bg-slate-50">
            <tr>
              <th className={th}>Name</th>
              {columns.map((column) => (
                <th key={column.header} className={th}>{column.header}</th>
              ))}
              <th className={th}>Prefix</th>
              <th className={th}>Created by</th>
              <th className={th}>Created</th>
              <th className={th}>Last used</th>
              <th className={th}>Status</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {rows.map((row) => (
              <tr key={row.id} data-testid={rowTestId} className={row.revokedAt ? "bg-slate-50 text-slate-500" : "hover:bg-slate-50"}>
                <td className={`${td} font-medium`}>{row.name}</td>
                {columns.map((column) => (
                  <td key={column.header} className={td}>{column.cell(row)}</td>
                ))}
                <td className={`${td} font-mono`}>{row.prefix}</td>
                <td className={td}>{row.createdBy}</td>
                <td className={td}><RelativeTime iso={row.createdAt} /></td>
                <td className={td}>{row.lastUsedAt ? <RelativeTime iso={row.lastUsedAt} /> : <span className="text-slate-500">never</span>}</td>
                <td className={td}>
                  <RevocationStatus
                    subject={subject(row)}
                    revokedAt={row.revokedAt}
                    pending={revoking.isPending && revoking.variables === row.id}
                    onRevoke={() => revoking.mutate(row.id)}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
