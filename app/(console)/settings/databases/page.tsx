import type { Metadata } from "next";
import { AppDatabasesAdmin } from "@/components/settings/app-databases-admin";
import { PageHeader } from "@/components/ui/page-header";
import { listEnvironments } from "@/lib/environments/environment-store";
import { listAppDatabasesFor } from "@/lib/pages/app-database-reads";
import { consolePage } from "@/lib/pages/console-page";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Databases" };

// Everyone may see which environments are connected; only admins add, test and remove.
export default consolePage({}, async function AppDatabasesPage({ db, user }) {
  const [appDatabases, environments] = await Promise.all([listAppDatabasesFor(db, user), listEnvironments(db)]);
  return (
    <>
      <PageHeader title="Databases" subtitle="Each environment's application database, read-only, for the evidence on flag pages." />
      <AppDatabasesAdmin initialAppDatabases={appDatabases} environments={environments.map(({ key, name }) => ({ key, name }))} />
    </>
  );
});
