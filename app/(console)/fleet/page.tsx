import type { Metadata } from "next";
import { FleetView } from "@/components/fleet/fleet-view";
import { PageHeader } from "@/components/ui/page-header";
import { readFleetHealth } from "@/lib/metrics/fleet-health";
import { consolePage } from "@/lib/pages/console-page";
import { loadFleetSearchParams } from "@/lib/pages/fleet-search-params";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Fleet" };

export default consolePage({ search: loadFleetSearchParams }, async function FleetPage({ db, search: { env, window } }) {
  const fleet = await readFleetHealth(db, { env, window });
  return (
    <>
      <PageHeader
        title="Fleet"
        subtitle={`The SDK instances sending metrics to ${env}, and which of them dropped samples they could not deliver: those samples are missing from every flag's charts.`}
      />
      <FleetView env={env} initialFleet={fleet} />
    </>
  );
});
