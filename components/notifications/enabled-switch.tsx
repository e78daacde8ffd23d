"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
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
  // The asked-for state, set in the click itself: react-query renders its pending state a tick
  // later, and meanwhile React would put the controlled box back. Cleared once the list is fresh.
  const [asked, setAsked] = useState<boolean | null>(null);
  const toggle = useMutation<DestinationWithSecret, ApiError, boolean>({
    mutationFn: (next) => notificationsApi.update({ id: destinationId, enabled: next }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: adminQueries.notificationDestinations() }),
  });
  return (
    <span className="flex flex-wrap items-center gap-2">
      <label className="flex items-center gap-2 text-sm font-medium">
        <input
          type="checkbox"
          role="switch"
          checked={asked ?? enabled}
          disabled={toggle.isPending}
          onChange={(event) => {
            setAsked(event.target.checked);
            toggle.mutate(event.target.checked, { onSettled: () => setAsked(null) });
          }}
          aria-label={`Enabled: ${destinationName}`}
          className="size-4"
        />
        Enabled
      </label>
      {toggle.error ? <span role="alert" className="text-sm text-red-800">{toggle.error.message}</span> : null}
    </span>
  );
}
