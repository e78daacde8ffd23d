"use client";

import { useQueryState } from "nuqs";
import { useMemo } from "react";
import { toPathChartProps } from "@/components/charts/path-chart-data";
import { PathErrorRateChart } from "@/components/charts/path-error-rate-chart";
import { PathLatencyChart } from "@/components/charts/path-latency-chart";
import { PathRequestsChart } from "@/components/charts/path-requests-chart";
import { ApiError } from "@/components/shell/api-client";
import { ApiErrorBanner } from "@/components/ui/api-error-banner";
import { defaultMetricsWindow } from "@/lib/metrics/default-window";
import { flagPageSearchParams, METRICS_WINDOW_OPTIONS } from "@/lib/pages/search-params";
import { DroppedSamplesWarning } from "./dropped-samples-warning";
import type { FlagMetrics } from "./flag-api";
import { PathHeadline } from "./path-headline";
import { TargetedTraffic } from "./targeted-traffic";
import { UnkeyedWarning } from "./unkeyed-warning";
import { METRICS_REFRESH_MS as REFRESH_MS, useFlagMetrics } from "./use-flag-metrics";

interface FlagMetricsViewProps {
  flagKey: string;
  env: string;
  rolloutBy: string;
  /** The server's read for the window in the URL, so the first paint already has numbers. */
  initialMetrics: FlagMetrics;
}

/** New path against legacy path for the window in the URL, refreshed live. */
export function FlagMetricsView({ flagKey, env, rolloutBy, initialMetrics }: FlagMetricsViewProps) {
  const [urlWindow, setMetricsWindow] = useQueryState("window", flagPageSearchParams.window);
  // As the server read it: without a window in the URL, the flag's state picks one.
  const metricsWindow = urlWindow ?? defaultMetricsWindow(initialMetrics.state);
  const query = useFlagMetrics({ flagKey, env, window: metricsWindow, initialMetrics });
  const metrics = query.data;
  const chart = useMemo(() => (metrics ? toPathChartProps(metrics) : null), [metrics]);

  return (
    <section aria-labelledby="metrics-heading" className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div>
          <h2 id="metrics-heading" className="text-lg font-semibold">New path vs legacy path</h2>
          <p className="flex items-center gap-1.5 text-xs text-slate-500">
            <span aria-hidden="true" className={`inline-block size-2 rounded-full ${query.isError ? "bg-amber-500" : "bg-emerald-500"}`} />
            {env} · live, refreshes every {REFRESH_MS / 1000} s
          </p>
        </div>
        <div role="group" aria-label="Time window" className="inline-flex overflow-hidden rounded-lg border border-slate-300 bg-white text-sm shadow-sm">
          {METRICS_WINDOW_OPTIONS.map((option) => (
            <button
              key={option}
              type="button"
              aria-pressed={option === metricsWindow}
              onClick={() => void setMetricsWindow(option)}
              className={`px-3 py-1.5 font-medium tabular-nums not-first:border-l not-first:border-slate-300 ${
                option === metricsWindow ? "bg-slate-900 text-white" : "text-slate-700 hover:bg-slate-50"
              }`}
            >
              {option}
            </button>
          ))}
        </div>
      </div>

      <DroppedSamplesWarning env={env} refreshMs={REFRESH_MS} />

      {query.error ? (
        <ApiErrorBanner error={query.error instanceof ApiError ? query.error : new ApiError(0, "unexpected", "Could not load the metrics.")} />
      ) : null}

      {metrics && chart ? (
        <div className={`space-y-4 transition-opacity ${query.isPlaceholderData ? "opacity-60" : ""}`} aria-busy={query.isPlaceholderData}>
          <PathHeadline headline={metrics.headline} state={metrics.state} window={metrics.window} />
          {metrics.targeted && metrics.targeted.requests > 0 ? <TargetedTraffic targeted={metrics.targeted} /> : null}
          {metrics.evaluations.unkeyed > 0 ? <UnkeyedWarning count={metrics.evaluations.unkeyed} rolloutBy={rolloutBy} /> : null}
          <PathRequestsChart {...chart} />
          <div className="grid gap-4 xl:grid-cols-2">
            <PathLatencyChart {...chart} />
            <PathErrorRateChart {...chart} />
          </div>
        </div>
      ) : (
        <p className="rounded-lg border border-slate-200 bg-white p-6 text-center text-sm text-slate-600">Loading metrics…</p>
      )}
    </section>
  );
}
