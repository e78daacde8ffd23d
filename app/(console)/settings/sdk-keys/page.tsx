import type { Metadata } from "next";
import { CredentialsAdmin } from "@/components/settings/credentials-admin";
import { PageHeader } from "@/components/ui/page-header";
import { listCredentials } from "@/lib/credentials/credential-store";
import { listEnvironments } from "@/lib/environments/environment-store";
import { consolePage } from "@/lib/pages/console-page";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "SDK keys" };

// The shared layout is not re-rendered when switching tabs, so the page checks the role as well.
export default consolePage({ role: "admin" }, async function SdkKeysPage({ db }) {
  const [sdkKeys, environments] = await Promise.all([listCredentials(db, "sdk-key"), listEnvironments(db)]);
  return (
    <>
      <PageHeader title="SDK keys" subtitle="Keys services use to read one environment's flag state and report metrics." />
      <CredentialsAdmin kind="sdk-key" initialCredentials={sdkKeys} environments={environments.map(({ key, name }) => ({ key, name }))} />
    </>
  );
});
