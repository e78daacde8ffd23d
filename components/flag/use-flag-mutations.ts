"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { staleFlagQueries, teardownQueries } from "@/components/lifecycle/lifecycle-queries";
import type { ApiError } from "@/components/shell/api-client";
import { beginOwnChange, endOwnChange } from "@/components/shell/own-changes";
import { databaseQueries } from "./database-queries";
import { flagApi, type KillSwitchAction, type RemovalTicketUpdate, type TargetsPatch, type TeardownResult } from "./flag-api";
import { guardedRampQueries } from "./guarded-ramp-queries";
import { metricsQueries } from "./metrics-queries";
import type { FlagStateResult } from "@/lib/flags/change-flag-state";
import type { CreateFlagInput, RemovalTicketPatch } from "@/lib/flags/schemas";

export function useCreateFlag() {
  return useMutation<Awaited<ReturnType<typeof flagApi.create>>, ApiError, CreateFlagInput>({
    mutationFn: flagApi.create,
  });
}

/** Sets the percentage at the version the page showed; a stale page gets the API's 409. */
export function useRampPercentage({ flagKey, env, version }: { flagKey: string; env: string; version: number }) {
  const onChanged = useRefreshFlag({ flagKey, env });
  return useMutation<Awaited<ReturnType<typeof flagApi.updateState>>, ApiError, { percentage: number; reason?: string }>({
    mutationFn: ({ percentage, reason }) =>
      flagApi.updateState({ key: flagKey, env, version, patch: { percentage, reason } }),
    ...ownChange(flagKey, env),
    onSuccess: onChanged,
  });
}

/** Replaces the values of the named test-tenant rules, at the version the caller showed (If-Match). */
export function useSetTargets({ flagKey, env }: { flagKey: string; env: string }) {
  const onChanged = useRefreshFlag({ flagKey, env });
  return useMutation<Awaited<ReturnType<typeof flagApi.updateTargets>>, ApiError, TargetsPatch & { version: number }>({
    mutationFn: ({ version, ...patch }) => flagApi.updateTargets({ key: flagKey, env, version, patch }),
    ...ownChange(flagKey, env),
    onSuccess: onChanged,
  });
}

/** Kill and restore deliberately skip If-Match: stopping traffic must never lose to a stale page. */
export function useKillSwitch({ flagKey, env }: { flagKey: string; env: string }) {
  const onChanged = useRefreshFlag({ flagKey, env });
  return useMutation<Awaited<ReturnType<typeof flagApi.killSwitch>>, ApiError, { action: KillSwitchAction; reason?: string }>({
    mutationFn: ({ action, reason }) => flagApi.killSwitch({ key: flagKey, env, action, reason }),
    ...ownChange(flagKey, env),
    onSuccess: onChanged,
  });
}

export type TeardownAction = "confirmZeroFallback" | "archive" | "confirmSchemaContracted";

/** Steps 2–4 of the teardown; the answer is the new teardown view, shown at once without waiting for the poll. */
export function useTeardownAction({ flagKey, env, action }: { flagKey: string; env: string; action: TeardownAction }) {
  const onChanged = useRefreshFlag({ flagKey, env });
  const queryClient = useQueryClient();
  return useMutation<TeardownResult, ApiError, { reason?: string; overrideUnproven?: boolean }>({
    mutationFn: ({ reason, overrideUnproven }) =>
      action === "confirmZeroFallback" ? flagApi.confirmZeroFallback({ key: flagKey, env, reason, overrideUnproven }) : flagApi[action]({ key: flagKey, env, reason }),
    onSuccess: ({ teardown }) => {
      queryClient.setQueryData(teardownQueries.environment(flagKey, env), teardown);
      onChanged();
    },
  });
}

export function useUpdateRemovalTicket({ flagKey, env }: { flagKey: string; env: string }) {
  const onChanged = useRefreshFlag({ flagKey, env });
  return useMutation<RemovalTicketUpdate, ApiError, RemovalTicketPatch>({
    mutationFn: (patch) => flagApi.updateRemovalTicket({ key: flagKey, patch }),
    onSuccess: onChanged,
  });
}

/** Marks this tab's state writes, so the live feed does not toast them back (components/shell/own-changes.ts). */
function ownChange(flagKey: string, env: string) {
  return {
    onMutate: () => beginOwnChange(flagKey, env),
    onSettled: (result: FlagStateResult | undefined) => endOwnChange(flagKey, env, result?.changed ? result.state.version : null),
  };
}

/**
 * After a change: re-render the server cards and refetch what depends on the flag: the charts
 * (ramp markers come from the audit log), its teardown in every environment, the stale count, its
 * guarded ramp, which a person's change pauses, and its database evidence, bound to the ticket's contraction.
 */
export function useRefreshFlag({ flagKey, env }: { flagKey: string; env: string }) {
  const router = useRouter();
  const queryClient = useQueryClient();
  return () => {
    router.refresh();
    void queryClient.invalidateQueries({ queryKey: metricsQueries.flag(env, flagKey) });
    void queryClient.invalidateQueries({ queryKey: teardownQueries.flag(flagKey) });
    void queryClient.invalidateQueries({ queryKey: staleFlagQueries.all() });
    void queryClient.invalidateQueries({ queryKey: guardedRampQueries.flag(flagKey) });
    void queryClient.invalidateQueries({ queryKey: databaseQueries.flag(flagKey) });
  };
}
