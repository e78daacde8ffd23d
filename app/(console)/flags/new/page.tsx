import type { Metadata } from "next";
import Link from "next/link";
import type { SearchParams } from "nuqs/server";
import { CreateFlagForm } from "@/components/create-flag-form";
import { NeedsRole } from "@/components/needs-role";
import { PageHeader } from "@/components/page-header";
import { loadEnvSearchParams, withEnv } from "@/lib/pages/search-params";
import { roleAtLeast } from "@/lib/auth/actor";
import { requireUser } from "@/lib/auth/current-user";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "New flag" };

export default async function NewFlagPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const user = await requireUser();
  if (!roleAtLeast(user.role, "admin")) return <NeedsRole role="admin" />;
  const { env } = await loadEnvSearchParams(searchParams);
  return (
    <div className="max-w-3xl">
      <Link href={withEnv("/", { env })} className="text-sm text-blue-700 hover:underline">← Flags</Link>
      <PageHeader title="New flag" subtitle="Created off, at 0%, in every environment. Ramp it from its page." />
      <CreateFlagForm env={env} />
    </div>
  );
}
