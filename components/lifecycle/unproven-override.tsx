"use client";

import { useState } from "react";
import type { ApiError } from "@/components/shell/api-client";
import { useCan } from "@/components/shell/session";
import { ReasonInput } from "@/components/ui/reason-input";

/** The API's least length for an override's reason (lib/lifecycle/confirm-zero-fallback.ts). */
const MIN_REASON = 10;

interface UnprovenOverrideProps {
  busy: boolean;
  /** The override's own refusal, e.g. a reason too short. */
  error: ApiError | null;
  onOverride: (reason: string) => void;
}

/** After stage 2 was refused on unproven database evidence: an admin may confirm anyway, with an audited reason. */
export function UnprovenOverride({ busy, error, onOverride }: UnprovenOverrideProps) {
  const isAdmin = useCan("admin");
  const [reason, setReason] = useState("");
  if (!isAdmin) return <p className="text-xs text-slate-600">An admin may confirm anyway, with a reason that goes into the audit trail.</p>;
  const trimmed = reason.trim();
  return (
    <div data-testid="override-unproven" className="rounded-lg border-2 border-amber-500 bg-amber-50 p-3 text-sm">
      <p className="font-semibold text-amber-950">Confirm without the database&apos;s proof?</p>
      <p className="mt-1 text-amber-900">The override and its reason are audited, and the step shows who overrode it and why.</p>
      <ReasonInput label={`Reason (at least ${MIN_REASON} characters)`} required value={reason} onChange={setReason} error={error?.fieldMessage("reason")} />
      <button
        type="button"
        data-testid="override-unproven-confirm"
        disabled={busy || trimmed.length < MIN_REASON}
        onClick={() => onOverride(trimmed)}
        className="mt-3 w-full rounded bg-amber-700 px-3 py-2 font-bold text-white hover:bg-amber-800 disabled:cursor-not-allowed disabled:opacity-60"
      >
        {busy ? "Working…" : "Confirm anyway, overriding"}
      </button>
    </div>
  );
}
