import type { createFlag } from "@/lib/flags/create-flag";
import type { FlagStateResult } from "@/lib/flags/change-flag-state";
import type { CreateFlagInput, FlagStatePatch } from "@/lib/flags/schemas";
import type { MetricsWindow, readFlagMetrics } from "@/lib/metrics/read-flag-metrics";
import { apiFetch } from "./api-client";

export type CreatedFlag = Awaited<ReturnType<typeof createFlag>>;
export type KillSwitchAction = "kill" | "restore";
export type FlagMetrics = Awaited<ReturnType<typeof readFlagMetrics>>;

function flagPath(key: string, suffix = ""): string {
  return `/api/flags/${encodeURIComponent(key)}${suffix}`;
}

/** The flag endpoints the UI calls; every write goes through here, and the metrics read. */
export const flagApi = {
  create: (input: CreateFlagInput) => apiFetch<CreatedFlag>("/api/flags", { method: "POST", body: input }),

  updateState: ({ key, env, patch, version }: { key: string; env: string; patch: FlagStatePatch; version: number }) =>
    apiFetch<FlagStateResult>(`${flagPath(key)}?env=${encodeURIComponent(env)}`, {
      method: "PATCH",
      body: patch,
      ifMatch: version,
    }),

  killSwitch: ({ key, env, action, reason }: { key: string; env: string; action: KillSwitchAction; reason?: string }) =>
    apiFetch<FlagStateResult>(`${flagPath(key, `/${action}`)}?env=${encodeURIComponent(env)}`, {
      method: "POST",
      body: reason ? { reason } : {},
    }),

  metrics: ({ key, env, window }: { key: string; env: string; window: MetricsWindow }) =>
    apiFetch<FlagMetrics>(`${flagPath(key, "/metrics")}?env=${encodeURIComponent(env)}&window=${encodeURIComponent(window)}`),
};
