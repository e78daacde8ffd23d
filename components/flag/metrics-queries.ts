import { queryOptions } from "@tanstack/react-query";
import type { MetricsWindow } from "@/lib/metrics/read-flag-metrics";
import { flagApi } from "./flag-api";

/** Query keys for per-path metrics; a flag's prefix lets a ramp or kill refresh every window at once. */
export const metricsQueries = {
  all: () => ["metrics"] as const,
  flag: (env: string, key: string) => ["metrics", env, key] as const,
  window: (env: string, key: string, window: MetricsWindow) => ["metrics", env, key, window] as const,
};

export function flagMetricsQuery({ env, key, window }: { env: string; key: string; window: MetricsWindow }) {
  return queryOptions({
    queryKey: metricsQueries.window(env, key, window),
    queryFn: () => flagApi.metrics({ key, env, window }),
  });
}
