import { createLoader, createSerializer, parseAsString, parseAsStringLiteral } from "nuqs/server";
import { DEFAULT_ENVIRONMENT } from "@/lib/environments/default-environment";
import { defaultStaleOrder, sortOrders, staleSorts, type SortOrder, type StaleSort } from "@/lib/lifecycle/stale-sorts";
import type { MetricsWindow } from "@/lib/metrics/read-flag-metrics";

// nuqs/server carries no "use client", so these parsers are shared by pages and client hooks.

/** The selected environment; changing it re-renders the server components that read it. */
export const envSearchParams = {
  env: parseAsString.withDefault(DEFAULT_ENVIRONMENT).withOptions({ shallow: false, history: "push" }),
};

/** The audit page's filters; the API takes the same names (lib/audit-trail/schemas.ts). */
export const auditSearchParams = {
  ...envSearchParams,
  flag: parseAsString,
  actor: parseAsString,
  action: parseAsString,
  from: parseAsString,
  to: parseAsString,
  cursor: parseAsString,
};

// A record rather than an array so the compiler insists on every window the API answers.
const METRICS_WINDOW_SET: Record<MetricsWindow, true> = { "15m": true, "1h": true, "24h": true, "7d": true };
export const METRICS_WINDOW_OPTIONS = Object.keys(METRICS_WINDOW_SET) as MetricsWindow[];

/**
 * The flag page: the metrics window is fetched by the client, so switching it needs no server
 * render. No default here: without one in the URL the flag's state picks it
 * (lib/metrics/default-window.ts), which readFlagMetrics and the metrics view both apply.
 */
export const flagPageSearchParams = {
  ...envSearchParams,
  window: parseAsStringLiteral(METRICS_WINDOW_OPTIONS).withOptions({ history: "push" }),
};

/** The stale list: oldest first by default; without an order each column takes its natural one. */
export const staleSearchParams = {
  ...envSearchParams,
  sort: parseAsStringLiteral(staleSorts).withDefault("age"),
  order: parseAsStringLiteral(sortOrders),
};

/** The order a stale column sorts in when the URL names none: the oldest, or owners A to Z. */
export function staleSortOrder(sort: StaleSort, order: SortOrder | null): SortOrder {
  return order ?? defaultStaleOrder(sort);
}

export const loadEnvSearchParams = createLoader(envSearchParams);
export const loadStaleSearchParams = createLoader(staleSearchParams);
export const loadAuditSearchParams = createLoader(auditSearchParams);
export const loadFlagPageSearchParams = createLoader(flagPageSearchParams);

/** `withEnv("/stale", { env })`: a link that keeps the environment; the default one stays out of the URL. */
export const withEnv = createSerializer(envSearchParams);
export const auditHref = createSerializer(auditSearchParams);
export const staleHref = createSerializer(staleSearchParams);
