import type { Metadata } from "next";
import { CredentialsAdmin } from "@/components/settings/credentials-admin";
import { PageHeader } from "@/components/ui/page-header";
import { listCredentials } from "@/lib/credentials/credential-store";
import { listEnvironments } from "@/lib/environments/environment-store";
import { consolePage } from "@/lib/pages/console-page";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "API tokens" };

// The shared layout is not re-rendered when switching tabs, so the page checks the role as well.
export default consolePage({ role: "admin" }, async function ApiTokensPage({ db }) {
  const [tokens, environments] = await Promise.all([listCredentials(db, "api-token"), listEnvironments(db)]);
  return (
    <>
      <PageHeader title="API tokens" subtitle="Bearer tokens for CI and scripts that call the Rampart API." />
      <CredentialsAdmin kind="api-token" initialCredentials={tokens} environments={environments.map(({ key, name }) => ({ key, name }))} />
    </>
  );
});
