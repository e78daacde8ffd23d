"use client";

import { useState } from "react";
import { useKillSwitch } from "@/components/flag/use-flag-mutations";
import { ApiErrorBanner } from "@/components/ui/api-error-banner";

/** The kill switch in a flags-list row: one red button, then a confirm step with a reason. */
export function RowKillSwitch({ flagKey, env }: { flagKey: string; env: string }) {
  const [confirming, setConfirming] = useState(false);
  const [reason, setReason] = useState("");
  const killSwitch = useKillSwitch({ flagKey, env });
  const busy = killSwitch.isPending || killSwitch.isSuccess;

  if (!confirming) {
    return (
      <button
        type="button"
        data-testid={`row-kill-${flagKey}`}
        onClick={() => setConfirming(true)}
        className="rounded bg-red-600 px-3 py-1.5 text-xs font-extrabold tracking-wide text-white uppercase hover:bg-red-700"
      >
        Kill
      </button>
    );
  }
  return (
    <div className="w-56 space-y-2 rounded border-2 border-red-600 bg-red-50 p-2 text-left">
      <p className="text-xs font-semibold text-red-900">Kill {flagKey} in {env}?</p>
      <input
        type="text"
        value={reason}
        maxLength={1000}
        aria-label={`Reason for killing ${flagKey}`}
        placeholder="Reason (optional)"
        onChange={(event) => setReason(event.target.value)}
        className="w-full rounded border border-slate-300 bg-white px-2 py-1 text-xs"
      />
      <div className="flex gap-1.5">
        <button
          type="button"
          autoFocus
          disabled={busy}
          data-testid={`row-kill-confirm-${flagKey}`}
          onClick={() => killSwitch.mutate({ action: "kill", reason: reason.trim() || undefined })}
          className="flex-1 rounded bg-red-600 px-2 py-1 text-xs font-bold text-white hover:bg-red-700 disabled:opacity-60"
        >
          {busy ? "Killing…" : "Yes, kill"}
        </button>
        <button type="button" onClick={() => setConfirming(false)} className="rounded border border-slate-300 bg-white px-2 py-1 text-xs">
          Cancel
        </button>
      </div>
      {killSwitch.error ? <ApiErrorBanner error={killSwitch.error} /> : null}
    </div>
  );
}
