"use client";

import { useState, type ReactNode } from "react";
import { useTeardownAction, type TeardownAction } from "@/components/flag/use-flag-mutations";
import { ApiErrorBanner } from "@/components/ui/api-error-banner";
import { ReasonInput } from "@/components/ui/reason-input";
import type { Refusal } from "@/lib/lifecycle/teardown-gates";
import { UnprovenOverride } from "./unproven-override";

/** Whether this step's confirm panel is the open one; the strip keeps one open at a time. */
export interface ConfirmToggle {
  open: boolean;
  onOpen: () => void;
  onClose: () => void;
}

interface TeardownActionButtonProps extends ConfirmToggle {
  flagKey: string;
  env: string;
  action: TeardownAction;
  testId: string;
  label: string;
  /** The reason the server would refuse now; the button stays disabled while it is set. */
  blockedBy: Refusal | null;
  prompt: string;
  detail?: ReactNode;
  confirmLabel: string;
  /** The refusal an admin may override with a reason (stage 2's `evidence_unproven`). */
  overridable?: string;
}

/** Steps 2–4: a button disabled with the server's own reason, a confirm step, and the 409 if it still refuses. */
export function TeardownActionButton({ flagKey, env, action, testId, label, blockedBy, prompt, detail, confirmLabel, overridable, open, onOpen, onClose }: TeardownActionButtonProps) {
  const step = useTeardownAction({ flagKey, env, action });
  // Shown from the overridable refusal on, and kept while the override is sent or refused (a short reason).
  const overrideSent = step.variables?.overrideUnproven === true && (step.isPending || step.error !== null);
  const overriding = overridable !== undefined && (step.error?.code === overridable || overrideSent);
  return (
    <StepActionFrame
      testId={testId}
      label={step.isPending ? "Working…" : label}
      disabledReason={blockedBy?.message}
      busy={step.isPending}
      open={open}
      onOpen={() => {
        step.reset();
        onOpen();
      }}
      confirm={
        <ConfirmStep
          prompt={prompt}
          detail={detail}
          confirmLabel={confirmLabel}
          busy={step.isPending}
          onConfirm={(reason) => step.mutate({ reason }, { onSettled: onClose })}
          onCancel={onClose}
        />
      }
    >
      {step.error ? <ApiErrorBanner error={step.error} /> : null}
      {overriding ? (
        <UnprovenOverride
          busy={step.isPending}
          error={overrideSent ? step.error : null}
          onOverride={(reason) => step.mutate({ reason, overrideUnproven: true })}
        />
      ) : null}
    </StepActionFrame>
  );
}

interface StepActionFrameProps {
  testId: string;
  label: string;
  disabledReason: string | undefined;
  busy: boolean;
  open: boolean;
  onOpen: () => void;
  confirm: ReactNode;
  children: ReactNode;
}

function StepActionFrame({ testId, label, disabledReason, busy, open, onOpen, confirm, children }: StepActionFrameProps) {
  const reasonId = `${testId}-blocked`;
  return (
    <div className="mt-3 space-y-2">
      {open ? (
        confirm
      ) : (
        <>
          <button
            type="button"
            data-testid={testId}
            disabled={Boolean(disabledReason) || busy}
            aria-describedby={disabledReason ? reasonId : undefined}
            onClick={onOpen}
            className="w-full rounded bg-slate-900 px-3 py-2 text-sm font-semibold text-white hover:bg-slate-700 disabled:cursor-not-allowed disabled:bg-slate-300 disabled:text-slate-600"
          >
            {label}
          </button>
          {disabledReason ? (
            <p id={reasonId} className="text-xs text-slate-600">
              {disabledReason}
            </p>
          ) : null}
        </>
      )}
      {children}
    </div>
  );
}

interface ConfirmStepProps {
  prompt: string;
  detail?: ReactNode;
  confirmLabel: string;
  busy: boolean;
  onConfirm: (reason: string | undefined) => void;
  onCancel: () => void;
}

function ConfirmStep({ prompt, detail, confirmLabel, busy, onConfirm, onCancel }: ConfirmStepProps) {
  const [reason, setReason] = useState("");
  return (
    <div className="rounded-lg border-2 border-indigo-600 bg-indigo-50 p-3 text-sm">
      <p className="font-semibold text-indigo-950">{prompt}</p>
      {detail ? <div className="mt-1 text-indigo-900">{detail}</div> : null}
      <ReasonInput label="Note for the audit trail (optional)" value={reason} onChange={setReason} />
      <div className="mt-3 flex gap-2">
        <button
          type="button"
          data-testid="confirm-step"
          autoFocus
          disabled={busy}
          onClick={() => onConfirm(reason.trim() || undefined)}
          className="flex-1 rounded bg-indigo-700 px-3 py-2 font-bold text-white hover:bg-indigo-800 disabled:opacity-60"
        >
          {busy ? "Working…" : confirmLabel}
        </button>
        <button
          type="button"
          disabled={busy}
          onClick={onCancel}
          className="rounded border border-slate-300 bg-white px-3 py-2 font-medium hover:bg-slate-50 disabled:opacity-60"
        >
          Cancel
        </button>
      </div>
    </div>
  );
}
