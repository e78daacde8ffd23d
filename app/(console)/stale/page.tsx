import type { Metadata } from "next";
import type { SearchParams } from "nuqs/server";
import { orNotFound } from "@/components/or-not-found";
import { PageHeader } from "@/components/page-header";
import { loadEnvSearchParams } from "@/components/search-params";
import { StaleFlagsTable } from "@/components/stale-flags-table";
import { getDb } from "@/lib/db/client";
import { listFlags } from "@/lib/flags/read-flags";
import { DUE_SOON_DAYS, findStaleFlags, IDLE_DAYS } from "@/lib/lifecycle/stale-flags";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Stale flags" };

export default async function StaleFlagsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const { env } = await loadEnvSearchParams(searchParams);
  const { flags } = await orNotFound(listFlags({ db: await getDb(), env }));
  const staleFlags = findStaleFlags(flags, new Date());

  return (
    <>
      <PageHeader
        title="Stale flags"
        subtitle={`Flags in ${env} whose removal ticket is overdue or due within ${DUE_SOON_DAYS} days, or left at 0% or 100% for ${IDLE_DAYS}+ days.`}
      />
      {staleFlags.length === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 bg-white p-10 text-center text-sm text-slate-600">
          Nothing stale in {env}: no removal ticket is due soon and no finished ramp is lingering.
        </p>
      ) : (
        <StaleFlagsTable staleFlags={staleFlags} env={env} />
      )}
    </>
  );
}
