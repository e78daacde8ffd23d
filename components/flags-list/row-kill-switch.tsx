"use client";

import { useState } from "react";
import { useKillSwitch } from "@/components/flag/use-flag-mutations";
import { ApiErrorBanner } from "@/components/ui/api-error-banner";
import { formatPercentage } from "@/components/ui/format";

/** The kill switch in a flags-list row: one red button, then a confirm step with a reason. */
export function RowKillSwitch({ flagKey, env }: { flagKey: string; env: string }) {
  return (
    <RowConfirmSwitch
      flagKey={flagKey}
      env={env}
      action="kill"
      label="Kill"
      question={`Kill ${flagKey} in ${env}?`}
      confirmLabel="Yes, kill"
      pendingLabel="Killing…"
      tone="bg-red-600 hover:bg-red-700"
      frame="border-red-600 bg-red-50 text-red-900"
    />
  );
}

/** Restore on a killed row: the confirm step says which percentage comes back, as the flag page's button does. */
export function RowRestoreSwitch({ flagKey, env, restorePercentage }: { flagKey: string; env: string; restorePercentage: number }) {
  const percentage = formatPercentage(restorePercentage);
  return (
    <RowConfirmSwitch
      flagKey={flagKey}
      env={env}
      action="restore"
      label="Restore"
      question={`Restore ${flagKey} in ${env} to ${percentage}?`}
      confirmLabel={`Yes, restore to ${percentage}`}
      pendingLabel="Restoring…"
      tone="bg-emerald-700 hover:bg-emerald-800"
      frame="border-emerald-700 bg-emerald-50 text-emerald-950"
    />
  );
}

interface RowConfirmSwitchProps {
  flagKey: string;
  env: string;
  action: "kill" | "restore";
  label: string;
  question: string;
  confirmLabel: string;
  pendingLabel: string;
  /** Button colours, then the confirm panel's. */
  tone: string;
  frame: string;
}

function RowConfirmSwitch({ flagKey, env, action, label, question, confirmLabel, pendingLabel, tone, frame }: RowConfirmSwitchProps) {
  const [confirming, setConfirming] = useState(false);
  const [reason, setReason] = useState("");
  const killSwitch = useKillSwitch({ flagKey, env });
  // After success the list refreshes and this row swaps switches; until then a second click would only repeat it.
  const busy = killSwitch.isPending || killSwitch.isSuccess;

  if (!confirming) {
    return (
      <button
        type="button"
        data-testid={`row-${action}-${flagKey}`}
        aria-label={`${label} ${flagKey}`}
        onClick={() => setConfirming(true)}
        className={`rounded px-3 py-1.5 text-xs font-extrabold tracking-wide text-white uppercase ${tone}`}
      >
        {label}
      </button>
    );
  }
  return (
    <div role="group" aria-label={question} className={`w-56 space-y-2 rounded border-2 p-2 text-left max-sm:w-44 ${frame}`}>
      <p className="text-xs font-semibold break-all">{question}</p>
      <input
        type="text"
        value={reason}
        maxLength={1000}
        aria-label={`Reason for ${action === "kill" ? "killing" : "restoring"} ${flagKey}`}
        placeholder="Reason (optional)"
        onChange={(event) => setReason(event.target.value)}
        className="w-full rounded border border-slate-300 bg-white px-2 py-1 text-xs text-slate-900"
      />
      <div className="flex gap-1.5">
        <button
          type="button"
          autoFocus
          disabled={busy}
          data-testid={`row-${action}-confirm-${flagKey}`}
          onClick={() => killSwitch.mutate({ action, reason: reason.trim() || undefined })}
          className={`flex-1 rounded px-2 py-1 text-xs font-bold text-white disabled:opacity-60 ${tone}`}
        >
          {busy ? pendingLabel : confirmLabel}
        </button>
        <button type="button" onClick={() => setConfirming(false)} className="rounded border border-slate-300 bg-white px-2 py-1 text-xs text-slate-900">
          Cancel
        </button>
      </div>
      {killSwitch.error ? <ApiErrorBanner error={killSwitch.error} /> : null}
    </div>
  );
}
