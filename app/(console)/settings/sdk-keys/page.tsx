import type { Metadata } from "next";
import { NeedsRole } from "@/components/needs-role";
import { PageHeader } from "@/components/page-header";
import { SdkKeysAdmin } from "@/components/sdk-keys-admin";
import { roleAtLeast } from "@/lib/auth/actor";
import { requireUser } from "@/lib/auth/current-user";
import { getDb } from "@/lib/db/client";
import { listEnvironments } from "@/lib/environments/environment-store";
import { listSdkKeys } from "@/lib/sdk-keys/sdk-key-store";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "SDK keys" };

export default async function SdkKeysPage() {
  // The shared layout is not re-rendered when switching tabs, so the page checks the role as well.
  if (!roleAtLeast((await requireUser()).role, "admin")) return <NeedsRole role="admin" />;
  const db = await getDb();
  const [sdkKeys, environments] = await Promise.all([listSdkKeys(db), listEnvironments(db)]);
  return (
    <>
      <PageHeader title="SDK keys" subtitle="Keys services use to read one environment's flag state and report metrics." />
      <SdkKeysAdmin initialSdkKeys={sdkKeys} environments={environments.map(({ key, name }) => ({ key, name }))} />
    </>
  );
}
