import { queryOptions } from "@tanstack/react-query";
import { apiFetch } from "@/components/shell/api-client";
import type { FleetHealth, FleetWindow } from "@/lib/metrics/fleet-health";

export type { FleetHealth, FleetWindow };

export const fleetApi = {
  /** `limit` caps the instances listed (droppers first); 0 answers the totals only. */
  health: ({ env, window, limit }: { env: string; window: FleetWindow; limit?: number }) => {
    const query = new URLSearchParams({ env, window });
    if (limit !== undefined) query.set("limit", String(limit));
    return apiFetch<FleetHealth>(`/api/fleet?${query}`);
  },
};

/** Query keys for SDK fleet health; the environment prefix refreshes every window and listing at once. */
export const fleetQueries = {
  all: () => ["fleet"] as const,
  environment: (env: string) => ["fleet", env] as const,
  health: (env: string, window: FleetWindow, limit: number | "default") => ["fleet", env, window, limit] as const,
};

export function fleetHealthQuery({ env, window }: { env: string; window: FleetWindow }) {
  return queryOptions({
    queryKey: fleetQueries.health(env, window, "default"),
    queryFn: () => fleetApi.health({ env, window }),
  });
}

/** What the flag page needs to warn: the environment's totals over the last hour, without instance rows. */
export function fleetTotalsQuery(env: string) {
  return queryOptions({
    queryKey: fleetQueries.health(env, "1h", 0),
    queryFn: () => fleetApi.health({ env, window: "1h", limit: 0 }),
  });
}
