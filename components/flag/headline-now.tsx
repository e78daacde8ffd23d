"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useQueryState } from "nuqs";
import type { MetricsWindow } from "@/lib/metrics/read-flag-metrics";
import { flagPageSearchParams } from "@/lib/pages/search-params";
import type { FlagMetrics } from "./flag-api";
import { metricsQueries } from "./metrics-queries";
import { Delta, p99Text, ppText, spanLabel } from "./path-headline";
import { useFlagMetrics } from "./use-flag-metrics";

interface HeadlineNowProps {
  flagKey: string;
  env: string;
  /** The window the metrics view shows, so both share one query; the page knows it as `metrics.window`. */
  window?: MetricsWindow | null;
}

/**
 * The headline for now in one line (p99 and error-rate deltas in their verdict colours), for a
 * bar that stays in view. It reads the metrics view's query; the headline does not depend on the
 * window, so any window's answer serves.
 */
export function HeadlineNow({ flagKey, env, window }: HeadlineNowProps) {
  const [urlWindow] = useQueryState("window", flagPageSearchParams.window);
  const queryClient = useQueryClient();
  // Standalone, with no window given: whichever window of this flag is already cached, else the cheapest.
  const cached = queryClient.getQueriesData<FlagMetrics>({ queryKey: metricsQueries.flag(env, flagKey) }).find(([, data]) => data)?.[1]?.window;
  const query = useFlagMetrics({ flagKey, env, window: urlWindow ?? window ?? cached ?? "15m" });
  const now = query.data?.headline.now;

  return (
    <p data-testid="headline-now" className="text-sm text-slate-700">
      <span className="font-semibold">Now</span>{" "}
      {!now ? (
        <span className="text-slate-500">{query.isError ? "metrics unavailable" : "loading…"}</span>
      ) : now.basis === "killed" ? (
        <span data-verdict={now.new.requests > 0 ? "regressed" : "ok"} className={now.new.requests > 0 ? "text-red-700" : "text-slate-600"}>
          {now.new.requests === 0 ? "no new-path traffic since the kill" : `${now.new.requests} new-path requests since the kill`}
        </span>
      ) : (
        <>
          <span className="text-slate-500">({spanLabel(now)})</span>: p99{" "}
          <Delta verdict={now.p99} testId="headline-now-p99">{p99Text(now.p99, now.legacy.p99)}</Delta> · errors{" "}
          <Delta verdict={now.errorRate} testId="headline-now-errors">{ppText(now.errorRate)}</Delta>
          {now.p99.tone === "insufficient" && now.errorRate.tone === "insufficient" ? <span className="text-slate-500"> · not enough traffic to judge</span> : null}
        </>
      )}
    </p>
  );
}
