"use client";

import Link from "next/link";
import { useState } from "react";
import type { EnvironmentOption } from "@/components/shell/environment-switcher";
import type { DestinationView } from "@/lib/notifications/destinations";
import { DESTINATION_KIND_WORDS, describeEnvironments, describeEventTypes, describeMinSeverity } from "@/lib/notifications/destination-words";
import { DeleteDestinationButton } from "./delete-destination-button";
import { EditDestinationForm } from "./edit-destination-form";
import { EnabledSwitch } from "./enabled-switch";
import { SendTestButton } from "./send-test-button";
import { SigningSecretOnce } from "./signing-secret-once";

const secondaryButton = "rounded border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-slate-50";

/** One destination: where it sends, what it hears, and what an admin can do with it. */
export function DestinationCard({ destination, environments }: { destination: DestinationView; environments: EnvironmentOption[] }) {
  const [editing, setEditing] = useState(false);
  const [rotatedSecret, setRotatedSecret] = useState<string | null>(null);
  const headingId = `destination-${destination.id}-heading`;

  return (
    <li data-testid="destination" aria-labelledby={headingId} className="space-y-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <div className="flex flex-wrap items-baseline gap-x-3 gap-y-1">
        <h3 id={headingId} className="text-base font-semibold break-all">{destination.name}</h3>
        <span className="text-sm text-slate-600">
          {DESTINATION_KIND_WORDS[destination.kind]} to <span className="font-mono break-all">{destination.urlHost}</span>
        </span>
        {destination.signed ? <span className="rounded bg-slate-100 px-1.5 py-0.5 text-xs font-semibold text-slate-700">signed</span> : null}
        <span
          data-testid="destination-state"
          className={`rounded px-1.5 py-0.5 text-xs font-semibold ${destination.enabled ? "bg-emerald-100 text-emerald-800" : "bg-slate-200 text-slate-700"}`}
        >
          {destination.enabled ? "enabled" : "disabled: sends nothing"}
        </span>
        {destination.staleDigest ? <span data-testid="destination-digest" className="rounded bg-sky-100 px-1.5 py-0.5 text-xs font-semibold text-sky-800">weekly stale digest</span> : null}
      </div>
      <dl className="grid gap-x-6 gap-y-2 text-sm sm:grid-cols-[2fr_1fr_1fr]">
        <div>
          <dt className="text-xs font-semibold tracking-wide text-slate-500 uppercase">Events</dt>
          <dd data-testid="destination-events">{describeEventTypes(destination.eventTypes)}</dd>
        </div>
        <div>
          <dt className="text-xs font-semibold tracking-wide text-slate-500 uppercase">Environments</dt>
          <dd>{describeEnvironments(destination.environments)}</dd>
        </div>
        <div>
          <dt className="text-xs font-semibold tracking-wide text-slate-500 uppercase">Minimum severity</dt>
          <dd>{describeMinSeverity(destination.minSeverity)}</dd>
        </div>
      </dl>
      <div className="flex flex-wrap items-center gap-x-4 gap-y-2">
        <EnabledSwitch destinationId={destination.id} destinationName={destination.name} enabled={destination.enabled} />
        <button type="button" onClick={() => setEditing(!editing)} aria-expanded={editing} aria-label={`Edit ${destination.name}`} className={secondaryButton}>
          Edit
        </button>
        <Link href={`/settings/notifications/${destination.id}`} aria-label={`Delivery log of ${destination.name}`} className={secondaryButton}>
          Delivery log
        </Link>
        <DeleteDestinationButton destinationId={destination.id} destinationName={destination.name} />
        <SendTestButton destinationId={destination.id} destinationName={destination.name} />
      </div>
      {rotatedSecret ? <SigningSecretOnce destinationName={destination.name} secret={rotatedSecret} rotated onDismiss={() => setRotatedSecret(null)} /> : null}
      {editing ? (
        <div className="border-t border-slate-200 pt-4">
          <EditDestinationForm
            destination={destination}
            environments={environments}
            onCancel={() => setEditing(false)}
            onDone={(saved) => {
              setEditing(false);
              setRotatedSecret(saved.signingSecret ?? null);
            }}
          />
        </div>
      ) : null}
    </li>
  );
}
