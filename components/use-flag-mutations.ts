"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import type { ApiError } from "./api-client";
import { flagApi, type KillSwitchAction } from "./flag-api";
import { metricsQueries } from "./metrics-queries";
import type { CreateFlagInput } from "@/lib/flags/schemas";

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
    onSuccess: onChanged,
  });
}

/** Kill and restore deliberately skip If-Match: stopping traffic must never lose to a stale page. */
export function useKillSwitch({ flagKey, env }: { flagKey: string; env: string }) {
  const onChanged = useRefreshFlag({ flagKey, env });
  return useMutation<Awaited<ReturnType<typeof flagApi.killSwitch>>, ApiError, { action: KillSwitchAction; reason?: string }>({
    mutationFn: ({ action, reason }) => flagApi.killSwitch({ key: flagKey, env, action, reason }),
    onSuccess: onChanged,
  });
}

/** After a state change: re-render the server cards and refetch the charts, whose ramp markers come from the audit log. */
function useRefreshFlag({ flagKey, env }: { flagKey: string; env: string }) {
  const router = useRouter();
  const queryClient = useQueryClient();
  return () => {
    router.refresh();
    void queryClient.invalidateQueries({ queryKey: metricsQueries.flag(env, flagKey) });
  };
}
