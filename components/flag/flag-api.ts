import type { FlagTarget } from "@rampart/sdk";
import { apiFetch } from "@/components/shell/api-client";
import type { DatabaseEvidence } from "@/lib/app-db/database-evidence";
import type { createFlag } from "@/lib/flags/create-flag";
import type { FlagStateResult } from "@/lib/flags/change-flag-state";
import type { RampPlanInput } from "@/lib/guard/ramp-plan";
import type { RampPlanView } from "@/lib/guard/ramp-plan-view";
import type { readGuardedRamp } from "@/lib/guard/read-guarded-ramp";
import type { CreateFlagInput, FlagStatePatch, RemovalTicketPatch } from "@/lib/flags/schemas";
import type { updateRemovalTicket } from "@/lib/lifecycle/removal-ticket";
import type { listStaleFlags } from "@/lib/lifecycle/stale-flags";
import type { SortOrder, StaleSort } from "@/lib/lifecycle/stale-sorts";
import type { TeardownResult, TeardownView } from "@/lib/lifecycle/read-teardown";
import type { MetricsWindow, readFlagMetrics } from "@/lib/metrics/read-flag-metrics";

export type CreatedFlag = Awaited<ReturnType<typeof createFlag>>;
export type KillSwitchAction = "kill" | "restore";
export type FlagMetrics = Awaited<ReturnType<typeof readFlagMetrics>>;
/** An edit of test tenants: each item replaces the values of its (attribute, value) rule; `values: []` removes it. */
export interface TargetsPatch {
  targets: FlagTarget[];
  reason: string;
}
export type RemovalTicketUpdate = Awaited<ReturnType<typeof updateRemovalTicket>>;
export type GuardedRamp = Awaited<ReturnType<typeof readGuardedRamp>>;
export type RampPlanAction = "pause" | "resume" | "abort";
/** A start's or a resume's answer also carries the flag version its move made (null when none, absent for pause and abort). */
export type GuardedRampMove = GuardedRamp & { flagVersion?: number | null };
export type { RampPlanView };
export type StaleFlagList = Awaited<ReturnType<typeof listStaleFlags>>;
export type { TeardownResult, TeardownView };
export type { DatabaseEvidence };
/** The 202 of a divergence scan; its progress is in the database evidence. */
export interface DivergenceScanStarted {
  status: "running" | "done" | "unavailable";
  startedAt: string;
  startedBy: string;
}

function flagPath(key: string, suffix = ""): string {
  return `/api/flags/${encodeURIComponent(key)}${suffix}`;
}

function envQuery(env: string): string {
  return `?env=${encodeURIComponent(env)}`;
}

function teardownStep(path: string, { key, env, reason, overrideUnproven }: { key: string; env: string; reason?: string; overrideUnproven?: boolean }) {
  const body = { ...(reason ? { reason } : {}), ...(overrideUnproven ? { overrideUnproven } : {}) };
  return apiFetch<TeardownResult>(`${flagPath(key, path)}${envQuery(env)}`, { method: "POST", body });
}

/** The flag endpoints the UI calls: every write goes through here, and the reads the client polls. */
export const flagApi = {
  create: (input: CreateFlagInput) => apiFetch<CreatedFlag>("/api/flags", { method: "POST", body: input }),

  updateState: ({ key, env, patch, version }: { key: string; env: string; patch: FlagStatePatch; version: number }) =>
    apiFetch<FlagStateResult>(`${flagPath(key)}${envQuery(env)}`, {
      method: "PATCH",
      body: patch,
      ifMatch: version,
    }),

  updateTargets: ({ key, env, patch, version }: { key: string; env: string; patch: TargetsPatch; version: number }) =>
    apiFetch<FlagStateResult>(`${flagPath(key)}${envQuery(env)}`, {
      method: "PATCH",
      body: patch,
      ifMatch: version,
    }),

  killSwitch: ({ key, env, action, reason }: { key: string; env: string; action: KillSwitchAction; reason?: string }) =>
    apiFetch<FlagStateResult>(`${flagPath(key, `/${action}`)}${envQuery(env)}`, {
      method: "POST",
      body: reason ? { reason } : {},
    }),

  metrics: ({ key, env, window }: { key: string; env: string; window: MetricsWindow }) =>
    apiFetch<FlagMetrics>(`${flagPath(key, "/metrics")}${envQuery(env)}&window=${encodeURIComponent(window)}`),

  updateRemovalTicket: ({ key, patch }: { key: string; patch: RemovalTicketPatch }) =>
    apiFetch<RemovalTicketUpdate>(flagPath(key, "/removal-ticket"), { method: "PATCH", body: patch }),

  teardown: ({ key, env }: { key: string; env: string }) => apiFetch<TeardownView>(`${flagPath(key, "/teardown")}${envQuery(env)}`),

  /** `overrideUnproven`: an admin lets unproven application-database evidence pass, with a reason. */
  confirmZeroFallback: (step: { key: string; env: string; reason?: string; overrideUnproven?: boolean }) => teardownStep("/teardown/zero-fallback", step),

  /** Archives in every environment; `env` only picks which teardown view comes back. */
  archive: (step: { key: string; env: string; reason?: string }) => teardownStep("/archive", step),

  confirmSchemaContracted: (step: { key: string; env: string; reason?: string }) => teardownStep("/teardown/schema-contracted", step),

  guardedRamp: ({ key, env }: { key: string; env: string }) => apiFetch<GuardedRamp>(`${flagPath(key, "/ramp-plan")}${envQuery(env)}`),

  startGuardedRamp: ({ key, env, plan, reason }: { key: string; env: string; plan: RampPlanInput; reason?: string }) =>
    apiFetch<GuardedRampMove>(`${flagPath(key, "/ramp-plan/start")}${envQuery(env)}`, { method: "POST", body: reason ? { plan, reason } : { plan } }),

  databaseEvidence: ({ key, env }: { key: string; env: string }) => apiFetch<DatabaseEvidence>(`${flagPath(key, "/database")}${envQuery(env)}`),

  startDivergenceScan: ({ key, env }: { key: string; env: string }) =>
    apiFetch<DivergenceScanStarted>(`${flagPath(key, "/database/divergence-scan")}${envQuery(env)}`, { method: "POST" }),

  guardedRampAction: ({ key, env, action, reason }: { key: string; env: string; action: RampPlanAction; reason?: string }) =>
    apiFetch<GuardedRampMove>(`${flagPath(key, `/ramp-plan/${action}`)}${envQuery(env)}`, { method: "POST", body: reason ? { reason } : {} }),
};

export interface StaleFlagsQuery {
  env: string;
  sort?: StaleSort;
  order?: SortOrder;
}

function staleFlagsPath({ env, sort, order }: StaleFlagsQuery, format?: "csv"): string {
  const query = new URLSearchParams({ env });
  if (sort) query.set("sort", sort);
  if (order) query.set("order", order);
  if (format) query.set("format", format);
  return `/api/stale-flags?${query}`;
}

export const staleFlagsApi = {
  list: (query: StaleFlagsQuery) => apiFetch<StaleFlagList>(staleFlagsPath(query)),
  /** A plain download link: the same list as a CSV, for the weekly cleanup review. */
  csvHref: (query: StaleFlagsQuery) => staleFlagsPath(query, "csv"),
};
