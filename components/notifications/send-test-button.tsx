"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { adminQueries } from "@/components/settings/admin-queries";
import type { ApiError } from "@/components/shell/api-client";
import type { DeliveryView } from "@/lib/notifications/delivery-log";
import { describeOutcome } from "@/lib/notifications/destination-words";
import { notificationsApi } from "./notifications-api";

/** Sends a test message now and says how it went beside the button: "Delivered: 200" or "Failed: …". */
export function SendTestButton({ destinationId, destinationName }: { destinationId: number; destinationName: string }) {
  const queryClient = useQueryClient();
  const test = useMutation<DeliveryView, ApiError, void>({
    mutationFn: () => notificationsApi.sendTest(destinationId),
    onSettled: () => queryClient.invalidateQueries({ queryKey: adminQueries.deliveries(destinationId) }),
  });
  const outcome = test.data ? describeOutcome(test.data) : test.error ? `Not sent: ${test.error.message}` : test.isPending ? "Sending…" : "";
  const failed = test.data?.status === "failed" || test.isError;
  return (
    <span className="flex flex-wrap items-center gap-2">
      <button
        type="button"
        onClick={() => test.mutate()}
        disabled={test.isPending}
        aria-label={`Send test to ${destinationName}`}
        className="rounded border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-slate-50 disabled:opacity-60"
      >
        Send test
      </button>
      <span role="status" data-testid="test-result" className={`text-sm font-medium break-all ${failed ? "text-red-800" : "text-emerald-800"}`}>
        {outcome}
      </span>
    </span>
  );
}
