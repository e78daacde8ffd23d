"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { ApiError } from "@/components/shell/api-client";
import type { RampPlanInput } from "@/lib/guard/ramp-plan";
import { beginOwnChange, endOwnChange } from "@/components/shell/own-changes";
import { flagApi, type GuardedRamp, type GuardedRampMove, type RampPlanAction } from "./flag-api";
import { guardedRampQueries, guardedRampQuery } from "./guarded-ramp-queries";
import { useRefreshFlag } from "./use-flag-mutations";

/** The guard checks every 10 s; polling at half that shows each check within one of its runs. */
export const GUARDED_RAMP_REFRESH_MS = 5_000;

/** The flag's guarded ramp in one environment, from the page's server read, then polled. */
export function useGuardedRamp({ flagKey, env, initial }: { flagKey: string; env: string; initial: GuardedRamp }) {
  return useQuery({
    ...guardedRampQuery({ key: flagKey, env }),
    initialData: initial.key === flagKey && initial.environment === env ? initial : undefined,
    staleTime: GUARDED_RAMP_REFRESH_MS,
    refetchInterval: GUARDED_RAMP_REFRESH_MS,
  });
}

/** Start moves the flag to the first step; the answer is shown at once, and the page refreshes for the new percentage. */
export function useStartGuardedRamp({ flagKey, env }: { flagKey: string; env: string }) {
  const onChanged = useGuardedRampChanged({ flagKey, env });
  return useMutation<GuardedRampMove, ApiError, { plan: RampPlanInput; reason?: string }>({
    mutationFn: ({ plan, reason }) => flagApi.startGuardedRamp({ key: flagKey, env, plan, reason }),
    // The start moves the flag: the live feed's echo of it is this tab's own change, not news.
    onMutate: () => beginOwnChange(flagKey, env),
    onSettled: (answer) => endOwnChange(flagKey, env, answer?.flagVersion ?? null),
    onSuccess: onChanged,
  });
}

export function useGuardedRampAction({ flagKey, env }: { flagKey: string; env: string }) {
  const onChanged = useGuardedRampChanged({ flagKey, env });
  return useMutation<GuardedRampMove, ApiError, { action: RampPlanAction; reason?: string }>({
    mutationFn: ({ action, reason }) => flagApi.guardedRampAction({ key: flagKey, env, action, reason }),
    onMutate: () => beginOwnChange(flagKey, env),
    onSettled: (answer) => endOwnChange(flagKey, env, answer?.flagVersion ?? null),
    onSuccess: onChanged,
  });
}

function useGuardedRampChanged({ flagKey, env }: { flagKey: string; env: string }) {
  const queryClient = useQueryClient();
  const refreshFlag = useRefreshFlag({ flagKey, env });
  return (answer: GuardedRamp) => {
    queryClient.setQueryData(guardedRampQueries.environment(flagKey, env), answer);
    refreshFlag();
  };
}
