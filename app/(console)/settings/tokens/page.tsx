import type { Metadata } from "next";
import { ApiTokensAdmin } from "@/components/api-tokens-admin";
import { NeedsRole } from "@/components/needs-role";
import { PageHeader } from "@/components/page-header";
import { roleAtLeast } from "@/lib/auth/actor";
import { requireUser } from "@/lib/auth/current-user";
import { getDb } from "@/lib/db/client";
import { listEnvironments } from "@/lib/environments/environment-store";
import { listApiTokens } from "@/lib/tokens/api-token-store";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "API tokens" };

export default async function ApiTokensPage() {
  // The shared layout is not re-rendered when switching tabs, so the page checks the role as well.
  if (!roleAtLeast((await requireUser()).role, "admin")) return <NeedsRole role="admin" />;
  const db = await getDb();
  const [tokens, environments] = await Promise.all([listApiTokens(db), listEnvironments(db)]);
  return (
    <>
      <PageHeader title="API tokens" subtitle="Bearer tokens for CI and scripts that call the Rampart API." />
      <ApiTokensAdmin initialTokens={tokens} environments={environments.map(({ key, name }) => ({ key, name }))} />
    </>
  );
}
