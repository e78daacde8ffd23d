import type { Metadata } from "next";
import Link from "next/link";
import { DeliveryLog } from "@/components/notifications/delivery-log";
import { PageHeader } from "@/components/ui/page-header";
import { numericIdParams } from "@/lib/http/route-params";
import { listDeliveries } from "@/lib/notifications/delivery-log";
import { DESTINATION_KIND_WORDS } from "@/lib/notifications/destination-words";
import { requireDestination, toDestinationView } from "@/lib/notifications/destinations";
import { consolePage } from "@/lib/pages/console-page";
import { pageContext } from "@/lib/pages/page-context";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Delivery log" };

/** Its own page, so a link to one destination's deliveries can be passed around during an incident. */
export default consolePage({ role: "admin", params: numericIdParams }, async function DeliveryLogPage(args) {
  const ctx = pageContext(args);
  const destination = toDestinationView(await requireDestination(ctx, args.params.id));
  const deliveries = await listDeliveries(ctx, destination.id);
  return (
    <>
      <p className="mb-2 text-sm">
        <Link href="/settings/notifications" className="font-medium text-slate-700 hover:underline">← All destinations</Link>
      </p>
      <PageHeader
        title={<>Delivery log: {destination.name}</>}
        subtitle={
          <>
            {DESTINATION_KIND_WORDS[destination.kind]} to <span className="font-mono">{destination.urlHost}</span>
            {destination.enabled ? "" : " (disabled: sends nothing)"}
          </>
        }
      />
      <DeliveryLog destinationId={destination.id} initialDeliveries={deliveries} />
    </>
  );
});
