"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { describeDrops } from "@/components/fleet/fleet-format";
import { fleetTotalsQuery } from "@/components/fleet/fleet-queries";
import { fleetHref } from "@/lib/pages/fleet-search-params";

/**
 * Metrics that instances dropped never reach the charts, so the flag page says so: any instance in
 * the environment that dropped samples in the last hour, with the share they make up.
 */
export function DroppedSamplesWarning({ env, refreshMs }: { env: string; refreshMs: number }) {
  const { data } = useQuery({ ...fleetTotalsQuery(env), staleTime: refreshMs, refetchInterval: refreshMs });
  if (!data || data.totals.droppingInstances === 0) return null;
  return (
    <p data-testid="dropped-samples-warning" role="status" className="rounded-lg border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-950">
      <span className="font-semibold">{describeDrops(data.totals, "1h")}: the numbers below undercount.</span>{" "}
      <Link href={fleetHref("/fleet", { env })} className="whitespace-nowrap font-semibold text-amber-900 underline hover:text-amber-700">
        See the instances →
      </Link>
    </p>
  );
}
