"use client";

import { useEffect, useState } from "react";
import { ApiErrorBanner } from "@/components/ui/api-error-banner";
import { formatAbsolute } from "@/components/ui/format";
import { ReasonInput } from "@/components/ui/reason-input";
import { holdCountdown } from "@/lib/guard/ramp-progress";
import type { GuardedRamp, RampPlanAction, RampPlanView } from "./flag-api";
import { GuardrailInterval } from "./guardrail-interval";
import { RampPlanEditor } from "./ramp-plan-editor";
import { RampStepsStrip } from "./ramp-steps-strip";
import { useGuardedRamp, useGuardedRampAction } from "./use-guarded-ramp";

interface GuardedRampPanelProps {
  flagKey: string;
  env: string;
  initialRamp: GuardedRamp;
  /** The flag's state now: a killed flag or one at 100% has nothing to start a ramp from. */
  percentage: number;
  killed: boolean;
  /** Operators and admins may start, pause, resume and abort; viewers read. */
  canOperate: boolean;
}

const STATUS_LABELS: Record<RampPlanView["status"], string> = {
  running: "Running",
  paused: "Paused",
  completed: "Complete",
  rolled_back: "Killed by the guard",
  aborted: "Aborted",
};

/**
 * The flag's guarded ramp in one environment: the plan's steps and where the flag is, the
 * hold's countdown, each guardrail at the guard's last check, and pause, resume and abort;
 * with no plan in progress, the plan editor to start one.
 */
export function GuardedRampPanel({ flagKey, env, initialRamp, percentage, killed, canOperate }: GuardedRampPanelProps) {
  const plan = useGuardedRamp({ flagKey, env, initial: initialRamp }).data?.rampPlan ?? null;
  const inProgress = plan !== null && (plan.status === "running" || plan.status === "paused");

  return (
    <section data-testid="guarded-ramp" aria-labelledby="guarded-ramp-heading" className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
      <div className="flex items-baseline justify-between gap-2">
        <h2 id="guarded-ramp-heading" className="text-lg font-semibold">Guarded ramp</h2>
        {plan ? (
          <span data-testid="ramp-status" className="rounded bg-slate-100 px-1.5 py-0.5 text-xs font-semibold text-slate-800">
            {STATUS_LABELS[plan.status]}
          </span>
        ) : null}
      </div>
      {inProgress ? (
        <RampInProgress flagKey={flagKey} env={env} plan={plan} canOperate={canOperate} />
      ) : (
        <>
          {plan ? <FinishedRamp plan={plan} /> : (
            <p className="mt-1 text-sm text-slate-600">The guard steps the flag up through a plan and kills it if the new path regresses against the legacy path.</p>
          )}
          {canOperate ? <StartRamp flagKey={flagKey} env={env} percentage={percentage} killed={killed} /> : null}
        </>
      )}
    </section>
  );
}

function StartRamp({ flagKey, env, percentage, killed }: { flagKey: string; env: string; percentage: number; killed: boolean }) {
  const [open, setOpen] = useState(false);
  if (killed) return <p className="mt-2 text-sm text-slate-600">Restore the flag before starting a guarded ramp.</p>;
  if (percentage >= 100) return <p className="mt-2 text-sm text-slate-600">At 100%: there is nothing left to ramp.</p>;
  if (open) return <RampPlanEditor flagKey={flagKey} env={env} percentage={percentage} onCancel={() => setOpen(false)} />;
  return (
    <button
      type="button"
      data-testid="ramp-plan-open"
      onClick={() => setOpen(true)}
      className="mt-3 w-full rounded border border-indigo-700 bg-white px-4 py-2 text-sm font-semibold text-indigo-800 hover:bg-indigo-50"
    >
      Start guarded ramp…
    </button>
  );
}

/** A plan that is over; a guard kill's reason stays on the page, as the first thing an on-call reads. */
function FinishedRamp({ plan }: { plan: RampPlanView }) {
  if (plan.status === "rolled_back") {
    return (
      <div data-testid="guard-kill" className="mt-2 rounded-lg border-2 border-red-600 bg-red-50 p-3">
        <p className="text-sm font-semibold text-red-900">Guard killed this flag at {plan.percentage}%</p>
        {plan.statusReason ? <p data-testid="guard-kill-reason" className="mt-1 text-sm text-red-900">{plan.statusReason}</p> : null}
        <p className="mt-1 text-xs text-slate-700">
          At <time dateTime={plan.updatedAt}>{formatAbsolute(plan.updatedAt)}</time>. Restore the flag once it is fixed, then start a new plan.
        </p>
      </div>
    );
  }
  return (
    <p data-testid="ramp-summary" className="mt-1 text-sm text-slate-700">
      {capitalize(plan.summary)}
      {addsToSummary(plan) ? <span className="block text-slate-600">{plan.statusReason}</span> : null}
    </p>
  );
}

function RampInProgress({ flagKey, env, plan, canOperate }: { flagKey: string; env: string; plan: RampPlanView; canOperate: boolean }) {
  const checks = plan.lastCheck?.evidence.checks ?? [];
  return (
    <div className="mt-2 space-y-3">
      <p data-testid="ramp-summary" className="text-sm font-medium text-slate-900">
        {capitalize(plan.summary)}
        {addsToSummary(plan) ? <span data-testid="ramp-status-reason" className="mt-0.5 block font-normal text-slate-700">{plan.statusReason}</span> : null}
      </p>
      <RampStepsStrip steps={plan.plan.steps} step={plan.step} />
      {plan.status === "running" ? <HoldCountdown holdEndsAt={plan.holdEndsAt} /> : (
        <p className="text-sm text-slate-600">Resuming starts this step&apos;s hold afresh.</p>
      )}
      <div>
        <h3 className="text-sm font-semibold text-slate-900">Guardrails</h3>
        {plan.lastCheck && plan.lastCheckAt ? (
          <>
            <p data-testid="ramp-last-check" className="text-xs text-slate-600">
              Last check <time dateTime={plan.lastCheckAt}>{plan.lastCheckAt.slice(11, 19)} UTC</time>: {plan.lastCheck.reason}
            </p>
            {checks.length > 0 ? (
              <ul className="divide-y divide-slate-100">
                {checks.map((check) => <GuardrailInterval key={check.guardrail} check={check} elapsedMs={plan.lastCheck!.evidence.elapsedMs} />)}
              </ul>
            ) : null}
          </>
        ) : (
          <p data-testid="ramp-last-check" className="text-xs text-slate-600">
            {plan.status === "running" ? "No check of this step yet: the guard looks every 10 s." : "The guard does not check a paused ramp."}
          </p>
        )}
      </div>
      {canOperate ? <RampPlanControls flagKey={flagKey} env={env} plan={plan} /> : null}
    </div>
  );
}

/** Ticks every second; the server's render and the client's first differ by the time hydration takes. */
function HoldCountdown({ holdEndsAt }: { holdEndsAt: string }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(timer);
  }, []);
  return (
    <p data-testid="hold-countdown" className="text-sm text-slate-700 tabular-nums" suppressHydrationWarning>
      {holdCountdown(holdEndsAt, now)}
    </p>
  );
}

const ACTION_TEXT: Record<RampPlanAction, { name: string; button: string; confirm: string; busy: string; question: (plan: RampPlanView) => string; effect: string }> = {
  pause: {
    name: "Pause",
    button: "Pause…",
    confirm: "Yes, pause",
    busy: "Pausing…",
    question: (plan) => `Pause the guarded ramp at ${plan.percentage}%?`,
    effect: "The flag stays where it is; the guard neither advances nor kills it until someone resumes.",
  },
  resume: {
    name: "Resume",
    button: "Resume…",
    confirm: "Yes, resume",
    busy: "Resuming…",
    question: (plan) => `Resume the guarded ramp at ${plan.percentage}%?`,
    effect: "The step's hold starts afresh: the guard does not count evidence from before the pause.",
  },
  abort: {
    name: "Abort",
    button: "Abort…",
    confirm: "Yes, abort",
    busy: "Aborting…",
    question: (plan) => `Abort the guarded ramp at ${plan.percentage}%?`,
    effect: "The flag stays where it is and the guard stops watching it; a new plan can start afterwards.",
  },
};

function RampPlanControls({ flagKey, env, plan }: { flagKey: string; env: string; plan: RampPlanView }) {
  const [confirming, setConfirming] = useState<RampPlanAction | null>(null);
  const [reason, setReason] = useState("");
  const action = useGuardedRampAction({ flagKey, env });
  const { reset } = action;
  const busy = action.isPending;

  // A new status (ours, or the guard's or someone else's from the poll) starts afresh.
  useEffect(() => {
    reset();
    setConfirming(null);
    setReason("");
  }, [plan.status, plan.version, reset]);

  const offered: RampPlanAction[] = plan.status === "running" ? ["pause", "abort"] : ["resume", "abort"];
  const text = confirming ? ACTION_TEXT[confirming] : null;

  return (
    <div>
      <div className="flex gap-2">
        {offered.map((name) => (
          <button
            key={name}
            type="button"
            data-testid={`ramp-${name}`}
            aria-expanded={confirming === name}
            disabled={busy}
            onClick={() => {
              reset();
              setConfirming(name);
            }}
            className={`flex-1 rounded border px-3 py-1.5 text-sm font-semibold disabled:opacity-60 ${
              name === "abort" ? "border-red-700 bg-white text-red-800 hover:bg-red-50" : "border-slate-400 bg-white text-slate-900 hover:bg-slate-50"
            }`}
          >
            {ACTION_TEXT[name].button}
          </button>
        ))}
      </div>
      {confirming && text ? (
        <div role="group" aria-label={`${text.name} the guarded ramp of ${flagKey} in ${env}`} data-testid="ramp-action-panel" className="mt-3 rounded-lg border-2 border-indigo-600 bg-indigo-50 p-3">
          <p className="text-sm font-semibold text-indigo-950">{text.question(plan)}</p>
          <p className="mt-0.5 text-xs text-slate-700">{text.effect}</p>
          <ReasonInput label="Reason (optional, recorded in the audit trail)" value={reason} onChange={setReason} />
          <div className="mt-3 flex gap-2">
            <button
              type="button"
              data-testid="ramp-action-confirm"
              autoFocus
              disabled={busy}
              onClick={() => action.mutate({ action: confirming, reason: reason.trim() || undefined })}
              className="flex-1 rounded bg-indigo-700 px-4 py-2 text-sm font-bold text-white hover:bg-indigo-800 disabled:opacity-60"
            >
              {busy ? text.busy : text.confirm}
            </button>
            <button
              type="button"
              disabled={busy}
              onClick={() => setConfirming(null)}
              className="rounded border border-slate-300 bg-white px-4 py-2 text-sm font-medium hover:bg-slate-50 disabled:opacity-60"
            >
              Cancel
            </button>
          </div>
          {action.error ? <div className="mt-3"><ApiErrorBanner error={action.error} /></div> : null}
        </div>
      ) : null}
    </div>
  );
}

/** "Paused by alice" says no more than the summary "paused by alice"; "Paused by alice: p99 looks odd" does. */
function addsToSummary({ statusReason, summary }: RampPlanView): boolean {
  return statusReason !== null && !summary.toLowerCase().endsWith(statusReason.toLowerCase());
}

function capitalize(words: string): string {
  return words.charAt(0).toUpperCase() + words.slice(1);
}
