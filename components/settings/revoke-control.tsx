"use client";

import { useState } from "react";
import { RelativeTime } from "@/components/ui/relative-time";

interface RevocationStatusProps {
  /** What the confirm step names: `token "ci-deploy"`. */
  subject: string;
  revokedAt: string | null;
  pending: boolean;
  onRevoke: () => void;
}

/** The status cell of a token or SDK key: revoked with its time, or active with Revoke and a confirm step. */
export function RevocationStatus({ subject, revokedAt, pending, onRevoke }: RevocationStatusProps) {
  const [confirming, setConfirming] = useState(false);

  if (revokedAt) {
    return (
      <span className="text-slate-500">
        <span className="rounded bg-slate-200 px-1.5 py-0.5 text-xs font-semibold text-slate-700">revoked</span>{" "}
        <RelativeTime iso={revokedAt} />
      </span>
    );
  }
  if (!confirming) {
    return (
      <span className="flex items-center gap-3">
        <span className="rounded bg-emerald-100 px-1.5 py-0.5 text-xs font-semibold text-emerald-800">active</span>
        <button type="button" data-testid="revoke" onClick={() => setConfirming(true)} className="text-sm font-semibold text-red-700 hover:underline">
          Revoke
        </button>
      </span>
    );
  }
  return (
    <div role="group" aria-label={`Revoke ${subject}`} className="space-y-2 rounded border border-red-300 bg-red-50 p-2">
      <p className="text-xs text-red-900">Revoke {subject}? Anything using it is refused at once.</p>
      <div className="flex gap-2">
        <button
          type="button"
          data-testid="revoke-confirm"
          autoFocus
          disabled={pending}
          onClick={onRevoke}
          className="rounded bg-red-600 px-3 py-1 text-xs font-semibold text-white hover:bg-red-700 disabled:opacity-60"
        >
          {pending ? "Revoking…" : "Yes, revoke"}
        </button>
        <button type="button" disabled={pending} onClick={() => setConfirming(false)} className="rounded border border-slate-300 bg-white px-3 py-1 text-xs hover:bg-slate-50">
          Cancel
        </button>
      </div>
    </div>
  );
}
