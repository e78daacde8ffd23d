import { apiFetch } from "@/components/shell/api-client";
import type { AppDatabaseSummary, AppDatabaseView } from "@/lib/app-db/app-databases";
import type { AddAppDatabaseInput } from "@/lib/app-db/schemas";

/** An admin's row carries the test details; everyone else's only name, kind and health. */
export type AppDatabaseRow = AppDatabaseSummary | AppDatabaseView;

export function hasTestDetails(row: AppDatabaseRow): row is AppDatabaseView {
  return "serverVersion" in row;
}

/** The application-database endpoints; the DSN goes up once, in add, and never comes back. */
export const appDatabasesApi = {
  list: async () => (await apiFetch<{ appDatabases: AppDatabaseRow[] }>("/api/app-databases")).appDatabases,
  add: ({ env, input }: { env: string; input: AddAppDatabaseInput }) =>
    apiFetch<AppDatabaseView>(`/api/app-databases?env=${encodeURIComponent(env)}`, { method: "POST", body: input }),
  test: (id: number) => apiFetch<AppDatabaseView>(`/api/app-databases/${id}/test`, { method: "POST" }),
  remove: (id: number) => apiFetch<null>(`/api/app-databases/${id}`, { method: "DELETE" }),
};
