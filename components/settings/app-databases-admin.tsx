"use client";

import { useQuery } from "@tanstack/react-query";
import { useCan } from "@/components/shell/session";
import type { EnvironmentOption } from "@/components/shell/environment-switcher";
import { adminQueries } from "./admin-queries";
import { AddAppDatabaseForm } from "./add-app-database-form";
import { appDatabasesApi, type AppDatabaseRow } from "./app-databases-api";
import { AppDatabasesTable } from "./app-databases-table";

/** Settings → Databases: everyone sees which environments are connected and whether they answer; admins manage them. */
export function AppDatabasesAdmin({ initialAppDatabases, environments }: { initialAppDatabases: AppDatabaseRow[]; environments: EnvironmentOption[] }) {
  const isAdmin = useCan("admin");
  const appDatabases = useQuery({ queryKey: adminQueries.appDatabases(), queryFn: appDatabasesApi.list, initialData: initialAppDatabases });
  return (
    <div className="space-y-8">
      <AppDatabasesTable rows={appDatabases.data} isAdmin={isAdmin} />
      {isAdmin ? <AddAppDatabaseForm environments={environments} /> : null}
    </div>
  );
}
