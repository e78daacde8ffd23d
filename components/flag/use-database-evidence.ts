"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useMemo } from "react";
import type { ApiError } from "@/components/shell/api-client";
import type { PercentageChange } from "@/lib/pages/database-evidence-view";
import { databaseEvidenceQuery, databaseQueries } from "./database-queries";
import { flagApi, type DatabaseEvidence, type DivergenceScanStarted } from "./flag-api";
import { flagMetricsQuery } from "./metrics-queries";

/** The samplers run every minute; every read opens a read-only session on the application database, so no faster. */
export const DATABASE_REFRESH_MS = 30_000;
/** While a scan runs its progress moves every batch: followed closely, then back to the slow pace. */
export const SCAN_REFRESH_MS = 3_000;

function scanRunning(evidence: DatabaseEvidence | undefined): boolean {
  return evidence?.divergentRows.status === "checked" && evidence.divergentRows.scan === "running";
}

/**
 * The flag's application-database evidence, fetched by the browser rather than the page: each read
 * waits on the application database for up to 5 s, which must never hold up the kill switch.
 */
export function useDatabaseEvidence({ flagKey, env }: { flagKey: string; env: string }) {
  return useQuery({
    ...databaseEvidenceQuery({ key: flagKey, env }),
    refetchInterval: (query) => (scanRunning(query.state.data) ? SCAN_REFRESH_MS : DATABASE_REFRESH_MS),
  });
}

/** Starts a divergent-rows scan, then reads the evidence again so its progress shows and the fast polling starts. */
export function useStartDivergenceScan({ flagKey, env }: { flagKey: string; env: string }) {
  const queryClient = useQueryClient();
  return useMutation<DivergenceScanStarted, ApiError, void>({
    mutationFn: () => flagApi.startDivergenceScan({ key: flagKey, env }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: databaseQueries.environment(flagKey, env) }),
  });
}

/** The flag's percentage changes and its percentage now: what a chart's step line of the rollout is drawn from. */
export interface PercentageHistory {
  changes: PercentageChange[];
  current: number;
}

/**
 * From the 24 h metrics' state changes, the same audit events the metrics charts mark: more than
 * the evidence's six hours, so the percentage at a chart's left edge is known. Null until loaded;
 * `enabled` only while there is an index chart to draw it on.
 */
export function usePercentageHistory({ flagKey, env, enabled }: { flagKey: string; env: string; enabled: boolean }): PercentageHistory | null {
  const metrics = useQuery({ ...flagMetricsQuery({ env, key: flagKey, window: "24h" }), enabled, refetchInterval: DATABASE_REFRESH_MS });
  const data = metrics.data;
  return useMemo(() => (data ? { changes: data.percentageChanges, current: data.state.percentage } : null), [data]);
}
