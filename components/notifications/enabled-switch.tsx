"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { adminQueries } from "@/components/settings/admin-queries";
import type { ApiError } from "@/components/shell/api-client";
import { notificationsApi, type DestinationWithSecret } from "./notifications-api";

interface EnabledSwitchProps {
  destinationId: number;
  destinationName: string;
  enabled: boolean;
}

/** Turns a destination's sending on or off; a disabled one keeps its settings and log. */
export function EnabledSwitch({ destinationId, destinationName, enabled }: EnabledSwitchProps) {
  const queryClient = useQueryClient();
  const toggle = useMutation<DestinationWithSecret, ApiError, boolean>({
    mutationFn: (next) => notificationsApi.update({ id: destinationId, enabled: next }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: adminQueries.notificationDestinations() }),
  });
  // Shows the asked-for state while the request runs, so the switch answers the click at once.
  const checked = toggle.isPending ? toggle.variables : enabled;
  return (
    <span className="flex flex-wrap items-center gap-2">
      <label className="flex items-center gap-2 text-sm font-medium">
        <input
          type="checkbox"
          role="switch"
          checked={checked}
          disabled={toggle.isPending}
          onChange={(event) => toggle.mutate(event.target.checked)}
          aria-label={`Enabled: ${destinationName}`}
          className="size-4"
        />
        Enabled
      </label>
      {toggle.error ? <span role="alert" className="text-sm text-red-800">{toggle.error.message}</span> : null}
    </span>
  );
}
