import type { Metadata } from "next";
import type { SearchParams } from "nuqs/server";
import { FleetView } from "@/components/fleet-view";
import { loadFleetSearchParams } from "@/lib/pages/fleet-search-params";
import { orNotFound } from "@/lib/pages/or-not-found";
import { PageHeader } from "@/components/page-header";
import { getDb } from "@/lib/db/client";
import { readFleetHealth } from "@/lib/metrics/fleet-health";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Fleet" };

export default async function FleetPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const { env, window } = await loadFleetSearchParams(searchParams);
  const fleet = await orNotFound(readFleetHealth(await getDb(), { env, window }));
  return (
    <>
      <PageHeader
        title="Fleet"
        subtitle={`The SDK instances sending metrics to ${env}, and which of them dropped samples they could not deliver: those samples are missing from every flag's charts.`}
      />
      <FleetView env={env} initialFleet={fleet} />
    </>
  );
}
