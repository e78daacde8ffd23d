"use client";

import { useState } from "react";
import { ApiErrorBanner } from "@/components/ui/api-error-banner";
import { formatPercentage } from "@/components/ui/format";
import { ReasonInput } from "@/components/ui/reason-input";
import { useKillSwitch } from "./use-flag-mutations";

const KILL_REASON = { label: "Reason (optional, recorded in the audit trail)", placeholder: "e.g. p99 on the new path doubled" };

interface KillSwitchProps {
  flagKey: string;
  env: string;
  killed: boolean;
  /** What restore brings back: the percentage remembered at kill time. */
  restorePercentage: number;
}

/** One obvious button that sends everyone to the legacy path, with a confirm step; restore when killed. */
export function KillSwitch({ flagKey, env, killed, restorePercentage }: KillSwitchProps) {
  const [confirming, setConfirming] = useState(false);
  const [reason, setReason] = useState("");
  const killSwitch = useKillSwitch({ flagKey, env });
  const trimmedReason = reason.trim() || undefined;
  // After success the page refreshes and remounts this; until then a second click would only repeat it.
  const busy = killSwitch.isPending || killSwitch.isSuccess;

  if (killed) {
    return (
      <section className="rounded-lg border-2 border-red-600 bg-red-50 p-5">
        <h2 className="text-lg font-bold text-red-800">Killed in {env}</h2>
        <p className="mt-1 text-sm text-red-900">Everyone is on the legacy path, pinned contexts included.</p>
        <ReasonInput {...KILL_REASON} value={reason} onChange={setReason} />
        <button
          type="button"
          data-testid="restore"
          disabled={busy}
          onClick={() => killSwitch.mutate({ action: "restore", reason: trimmedReason })}
          className="mt-3 w-full rounded-lg bg-emerald-700 px-4 py-3 text-base font-bold text-white hover:bg-emerald-800 disabled:opacity-60"
        >
          {busy ? "Restoring…" : `Restore to ${formatPercentage(restorePercentage)}`}
        </button>
        {killSwitch.error ? <div className="mt-3"><ApiErrorBanner error={killSwitch.error} /></div> : null}
      </section>
    );
  }

  return (
    <section className="rounded-lg border border-red-200 bg-white p-5 shadow-sm">
      <h2 className="text-lg font-bold">Kill switch</h2>
      <p className="mt-1 text-sm text-slate-600">Sends everyone in {env} to the legacy path at once. Restore brings back exactly the same users.</p>
      {confirming ? (
        <div role="group" aria-label={`Kill ${flagKey} in ${env}`} data-testid="kill-switch-panel" className="mt-3 rounded-lg border-2 border-red-600 bg-red-50 p-3">
          <p className="text-sm font-semibold text-red-900">Kill {flagKey} in {env}?</p>
          <ReasonInput {...KILL_REASON} value={reason} onChange={setReason} />
          <div className="mt-3 flex gap-2">
            <button
              type="button"
              data-testid="kill-switch-confirm"
              autoFocus
              disabled={busy}
              onClick={() => killSwitch.mutate({ action: "kill", reason: trimmedReason })}
              className="flex-1 rounded-lg bg-red-600 px-4 py-3 text-base font-bold text-white hover:bg-red-700 disabled:opacity-60"
            >
              {busy ? "Killing…" : "Yes, kill now"}
            </button>
            <button
              type="button"
              onClick={() => setConfirming(false)}
              className="rounded-lg border border-slate-300 bg-white px-4 py-3 text-sm font-medium hover:bg-slate-50"
            >
              Cancel
            </button>
          </div>
        </div>
      ) : (
        <button
          type="button"
          data-testid="kill-switch"
          onClick={() => setConfirming(true)}
          className="mt-3 w-full rounded-lg bg-red-600 px-4 py-4 text-lg font-extrabold tracking-wide text-white uppercase shadow hover:bg-red-700"
        >
          Kill switch
        </button>
      )}
      {killSwitch.error ? <div className="mt-3"><ApiErrorBanner error={killSwitch.error} /></div> : null}
    </section>
  );
}
