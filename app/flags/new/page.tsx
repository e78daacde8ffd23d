import type { Metadata } from "next";
import Link from "next/link";
import type { SearchParams } from "nuqs/server";
import { CreateFlagForm } from "@/components/create-flag-form";
import { PageHeader } from "@/components/page-header";
import { loadEnvSearchParams, withEnv } from "@/components/search-params";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "New flag" };

export default async function NewFlagPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const { env } = await loadEnvSearchParams(searchParams);
  return (
    <div className="max-w-3xl">
      <Link href={withEnv("/", { env })} className="text-sm text-blue-700 hover:underline">← Flags</Link>
      <PageHeader title="New flag" subtitle="Created off, at 0%, in every environment. Ramp it from its page." />
      <CreateFlagForm env={env} />
    </div>
  );
}
