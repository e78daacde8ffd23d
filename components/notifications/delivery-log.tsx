"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { adminQueries } from "@/components/settings/admin-queries";
import type { ApiError } from "@/components/shell/api-client";
import { ApiErrorBanner } from "@/components/ui/api-error-banner";
import { RelativeTime } from "@/components/ui/relative-time";
import { severities } from "@/lib/notification-events/notification-event";
import type { DeliveryView } from "@/lib/notifications/delivery-log";
import { canRedeliver, deliveryEventWords, describeOutcome, formatUtcSeconds } from "@/lib/notifications/destination-words";
import { SeverityTag } from "./event-type-choices";
import { notificationsApi } from "./notifications-api";

/** The delivery worker runs every second; a 5 s poll shows a retry or a delivery soon enough. */
const POLL_MS = 5_000;

const STATUS_TAG: Record<DeliveryView["status"], string> = {
  delivered: "bg-emerald-100 text-emerald-900",
  failed: "bg-red-100 text-red-900",
  pending: "bg-amber-100 text-amber-900",
};

/** One destination's deliveries, newest first, refreshed while the page is open. */
export function DeliveryLog({ destinationId, initialDeliveries }: { destinationId: number; initialDeliveries: DeliveryView[] }) {
  const queryClient = useQueryClient();
  const deliveries = useQuery<DeliveryView[], ApiError>({
    queryKey: adminQueries.deliveries(destinationId),
    queryFn: () => notificationsApi.deliveries(destinationId),
    initialData: initialDeliveries,
    refetchInterval: POLL_MS,
  });
  const redeliver = useMutation<DeliveryView, ApiError, number>({
    mutationFn: notificationsApi.redeliver,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: adminQueries.deliveries(destinationId) }),
  });

  return (
    <section aria-labelledby="delivery-log-heading" className="space-y-3">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="delivery-log-heading" className="text-lg font-semibold">Deliveries</h2>
        <p className="text-sm text-slate-600">Newest first, the last 100. Updates every 5 seconds. Times in UTC.</p>
      </div>
      {deliveries.error ? <ApiErrorBanner error={deliveries.error} /> : null}
      {redeliver.error ? <ApiErrorBanner error={redeliver.error} /> : null}
      {deliveries.data.length === 0 ? (
        <div className="rounded-lg border border-dashed border-slate-300 bg-white p-10 text-center">
          <p className="font-medium">Nothing sent yet.</p>
          <p className="mt-1 text-sm text-slate-600">Events this destination hears, and test messages, are listed here.</p>
        </div>
      ) : (
        <ol className="space-y-3">
          {deliveries.data.map((delivery) => (
            <DeliveryEntry
              key={delivery.id}
              delivery={delivery}
              redelivering={redeliver.isPending && redeliver.variables === delivery.id}
              onRedeliver={() => redeliver.mutate(delivery.id)}
            />
          ))}
        </ol>
      )}
    </section>
  );
}

interface DeliveryEntryProps {
  delivery: DeliveryView;
  redelivering: boolean;
  onRedeliver: () => void;
}

function DeliveryEntry({ delivery, redelivering, onRedeliver }: DeliveryEntryProps) {
  const severity = severities.find((s) => s === delivery.severity);
  const eventWords = deliveryEventWords(delivery.eventType);
  return (
    <li data-testid="delivery" className="space-y-2 rounded-lg border border-slate-200 bg-white p-4 text-sm shadow-sm">
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
        <span className="font-semibold">{eventWords}</span>
        {severity ? <SeverityTag severity={severity} /> : null}
        <span data-testid="delivery-status" className={`rounded px-1.5 py-0.5 text-xs font-semibold ${STATUS_TAG[delivery.status]}`}>
          {describeOutcome(delivery)}
        </span>
        <span className="text-slate-500">
          <RelativeTime iso={delivery.createdAt} />
        </span>
      </div>
      {delivery.summary ? <p className="break-words">{delivery.summary}</p> : null}
      <dl className="grid gap-x-6 gap-y-2 sm:grid-cols-[auto_1fr_auto]">
        <div>
          <dt className="text-xs font-semibold tracking-wide text-slate-500 uppercase">Attempts</dt>
          <dd>{delivery.attempts}</dd>
        </div>
        <div className="min-w-0">
          <dt className="text-xs font-semibold tracking-wide text-slate-500 uppercase">Last response</dt>
          <dd className="space-y-1">
            <span>{delivery.lastStatusCode !== null ? `HTTP ${delivery.lastStatusCode}` : delivery.attempts === 0 ? "not sent yet" : "no answer"}</span>
            {delivery.lastError ? <span className="block break-words text-red-800">{delivery.lastError}</span> : null}
            {delivery.lastResponseExcerpt ? (
              <code data-testid="response-excerpt" className="block max-h-24 overflow-auto rounded bg-slate-50 px-2 py-1 font-mono text-xs break-all whitespace-pre-wrap">
                {delivery.lastResponseExcerpt}
              </code>
            ) : null}
          </dd>
        </div>
        <div>
          <dt className="text-xs font-semibold tracking-wide text-slate-500 uppercase">Next retry (UTC)</dt>
          <dd>{delivery.nextAttemptAt ? formatUtcSeconds(delivery.nextAttemptAt) : "none"}</dd>
        </div>
      </dl>
      {canRedeliver(delivery) ? (
        <button
          type="button"
          onClick={onRedeliver}
          disabled={redelivering}
          aria-label={`Redeliver: ${delivery.summary ?? eventWords}`}
          className="rounded border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-slate-50 disabled:opacity-60"
        >
          {redelivering ? "Redelivering…" : "Redeliver"}
        </button>
      ) : null}
    </li>
  );
}
