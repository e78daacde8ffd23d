"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { MetricsWindow } from "@/lib/metrics/read-flag-metrics";
import type { FlagMetrics } from "./flag-api";
import { flagMetricsQuery } from "./metrics-queries";

/** SDKs flush every ~10 s; polling at half that shows a batch within one flush of its arrival. */
export const METRICS_REFRESH_MS = 5_000;

/** One flag's metrics for a window, polled; every component reading them shares this query. */
export function useFlagMetrics({ flagKey, env, window, initialMetrics }: { flagKey: string; env: string; window: MetricsWindow; initialMetrics?: FlagMetrics }) {
  const initialMatches = initialMetrics !== undefined && initialMetrics.window === window && initialMetrics.environment === env && initialMetrics.flag === flagKey;
  return useQuery({
    ...flagMetricsQuery({ env, key: flagKey, window }),
    initialData: initialMatches ? initialMetrics : undefined,
    // The server's read is fresh at first paint; without this the mount would fetch it again at once.
    staleTime: METRICS_REFRESH_MS,
    refetchInterval: METRICS_REFRESH_MS,
    placeholderData: keepPreviousData,
  });
}
