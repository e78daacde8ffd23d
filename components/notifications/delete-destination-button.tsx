"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { adminQueries } from "@/components/settings/admin-queries";
import type { ApiError } from "@/components/shell/api-client";
import { notificationsApi } from "./notifications-api";

/** Delete, after a confirm step that says what goes with it. */
export function DeleteDestinationButton({ destinationId, destinationName }: { destinationId: number; destinationName: string }) {
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const remove = useMutation<unknown, ApiError, void>({
    mutationFn: () => notificationsApi.remove(destinationId),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: adminQueries.notificationDestinations() }),
  });

  if (!confirming) {
    return (
      <button type="button" onClick={() => setConfirming(true)} aria-label={`Delete ${destinationName}`} className="px-1 py-1.5 text-sm font-semibold text-red-700 hover:underline">
        Delete
      </button>
    );
  }
  return (
    <div role="group" aria-label={`Delete ${destinationName}`} className="w-full space-y-2 rounded border border-red-300 bg-red-50 p-3">
      <p className="text-sm text-red-900">
        Delete “{destinationName}”? Its delivery log goes with it, and deliveries still being retried are dropped.
      </p>
      {remove.error ? <p role="alert" className="text-sm font-medium text-red-800">{remove.error.message}</p> : null}
      <div className="flex gap-2">
        <button
          type="button"
          autoFocus
          disabled={remove.isPending}
          onClick={() => remove.mutate()}
          className="rounded bg-red-600 px-3 py-1.5 text-sm font-semibold text-white hover:bg-red-700 disabled:opacity-60"
        >
          {remove.isPending ? "Deleting…" : "Yes, delete"}
        </button>
        <button type="button" disabled={remove.isPending} onClick={() => setConfirming(false)} className="rounded border border-slate-300 bg-white px-3 py-1.5 text-sm hover:bg-slate-50">
          Cancel
        </button>
      </div>
    </div>
  );
}
