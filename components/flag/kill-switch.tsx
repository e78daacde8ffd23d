"use client";

import { useEffect, useState } from "react";
import { ApiErrorBanner } from "@/components/ui/api-error-banner";
import { formatPercentage } from "@/components/ui/format";
import { ReasonInput } from "@/components/ui/reason-input";
import { useKillSwitch } from "./use-flag-mutations";

const KILL_REASON = { label: "Reason (optional, recorded in the audit trail)", placeholder: "e.g. p99 on the new path doubled" };
const RESTORE_REASON = { label: "Reason (optional, recorded in the audit trail)", placeholder: "e.g. fix deployed, p99 back to normal" };

interface KillSwitchProps {
  flagKey: string;
  env: string;
  killed: boolean;
  /** What restore brings back: the percentage remembered at kill time. */
  restorePercentage: number;
  /** Called once a kill or restore is done, so the caller can put focus on the new state. */
  onDone?: () => void;
}

/**
 * The one kill switch, inside the incident bar: a button, then a confirm step with a reason;
 * restore asks the same way and says what it brings back. Returns the button and, while asking,
 * a full-width panel: the bar lays them out in its wrapping row.
 */
export function KillSwitch({ flagKey, env, killed, restorePercentage, onDone }: KillSwitchProps) {
  const [confirming, setConfirming] = useState(false);
  const [reason, setReason] = useState("");
  const killSwitch = useKillSwitch({ flagKey, env });
  const { reset } = killSwitch;
  // Until the refreshed page says the flag moved, a second click would only repeat the change.
  const busy = killSwitch.isPending || killSwitch.isSuccess;

  // A new state (ours after the refresh, or someone else's from the live feed) starts afresh.
  useEffect(() => {
    reset();
    setConfirming(false);
    setReason("");
  }, [killed, reset]);

  const action = killed ? "restore" : "kill";
  const confirm = () =>
    killSwitch.mutate({ action, reason: reason.trim() || undefined }, { onSuccess: () => onDone?.() });
  const cancel = () => {
    setConfirming(false);
    reset();
  };

  return (
    <>
      {killed ? (
        <button
          type="button"
          data-testid="restore"
          aria-expanded={confirming}
          disabled={busy}
          onClick={() => setConfirming(true)}
          className="rounded-lg bg-emerald-700 px-4 py-2 text-sm font-bold text-white hover:bg-emerald-800 disabled:opacity-60"
        >
          {busy ? "Restoring…" : `Restore…`}
        </button>
      ) : (
        <button
          type="button"
          data-testid="kill-switch"
          aria-expanded={confirming}
          disabled={busy}
          onClick={() => setConfirming(true)}
          className="rounded-lg bg-red-600 px-4 py-2 text-sm font-extrabold tracking-wide text-white uppercase shadow hover:bg-red-700 disabled:opacity-60"
        >
          {busy ? "Killing…" : "Kill switch"}
        </button>
      )}
      {confirming ? (
        <div
          role="group"
          aria-label={killed ? `Restore ${flagKey} in ${env}` : `Kill ${flagKey} in ${env}`}
          data-testid={killed ? "restore-panel" : "kill-switch-panel"}
          className={`basis-full rounded-lg border-2 p-3 ${killed ? "border-emerald-700 bg-emerald-50" : "border-red-600 bg-red-50"}`}
        >
          <p className={`text-sm font-semibold ${killed ? "text-emerald-950" : "text-red-900"}`}>
            {killed ? `Restore ${flagKey} in ${env} to ${formatPercentage(restorePercentage)}?` : `Kill ${flagKey} in ${env}?`}
          </p>
          <p className="mt-0.5 text-xs text-slate-700">
            {killed
              ? `The same users as before the kill go back to the new path.`
              : `Sends everyone in ${env} to the legacy path at once, pinned contexts included.`}
          </p>
          <ReasonInput {...(killed ? RESTORE_REASON : KILL_REASON)} value={reason} onChange={setReason} />
          <div className="mt-3 flex gap-2">
            <button
              type="button"
              data-testid={killed ? "restore-confirm" : "kill-switch-confirm"}
              autoFocus
              disabled={busy}
              onClick={confirm}
              className={`flex-1 rounded-lg px-4 py-2.5 text-base font-bold text-white disabled:opacity-60 ${
                killed ? "bg-emerald-700 hover:bg-emerald-800" : "bg-red-600 hover:bg-red-700"
              }`}
            >
              {killed ? (busy ? "Restoring…" : `Yes, restore to ${formatPercentage(restorePercentage)}`) : busy ? "Killing…" : "Yes, kill now"}
            </button>
            <button
              type="button"
              disabled={busy}
              onClick={cancel}
              className="rounded-lg border border-slate-300 bg-white px-4 py-2.5 text-sm font-medium hover:bg-slate-50 disabled:opacity-60"
            >
              Cancel
            </button>
          </div>
          {killSwitch.error ? <div className="mt-3"><ApiErrorBanner error={killSwitch.error} /></div> : null}
        </div>
      ) : null}
    </>
  );
}
