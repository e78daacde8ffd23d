import type { Metadata } from "next";
import Link from "next/link";
import { CreateFlagForm } from "@/components/flags-list/create-flag-form";
import { PageHeader } from "@/components/ui/page-header";
import { consolePage } from "@/lib/pages/console-page";
import { loadEnvSearchParams, withEnv } from "@/lib/pages/search-params";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "New flag" };

export default consolePage({ role: "admin", search: loadEnvSearchParams }, async function NewFlagPage({ search: { env } }) {
  return (
    <div className="max-w-3xl">
      <Link href={withEnv("/", { env })} className="text-sm text-blue-700 hover:underline">← Flags</Link>
      <PageHeader title="New flag" subtitle="Created off, at 0%, in every environment. Ramp it from its page." />
      <CreateFlagForm env={env} />
    </div>
  );
});
