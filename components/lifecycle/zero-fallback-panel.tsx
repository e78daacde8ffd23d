import type { EvaluationReason } from "@rampart/sdk";
import type { TeardownView } from "@/components/flag/flag-api";
import { formatAbsolute, formatCount } from "@/components/ui/format";
import { RelativeTime } from "@/components/ui/relative-time";
import { ZeroFallbackDatabaseEvidence } from "./database-step-evidence";
import { TeardownActionButton } from "./teardown-actions";
import { TeardownStep, type StepPanelProps } from "./teardown-step";

/** Step 2: no legacy-path traffic over the window, measured and confirmed by an operator. */
export function ZeroFallbackPanel({ teardown, state, flagKey, env, canOperate, confirm }: StepPanelProps) {
  const { zeroFallback } = teardown;
  // Archiving needed no confirmation in an environment that never evaluated the flag: the step is closed there.
  const zeroFallbackClosed = zeroFallback.done && zeroFallback.confirmedAt === null;
  return (
    <TeardownStep number={2} title="Zero fallback confirmed" state={state}>
      <ZeroFallbackEvidence zeroFallback={zeroFallback} legacyZeroDays={teardown.legacyZeroDays} ramped={teardown.ramped.done} />
      {zeroFallback.done ? null : <ZeroFallbackDatabaseEvidence flagKey={flagKey} env={env} />}
      {zeroFallbackClosed ? (
        <p className="mt-2 text-slate-600">Not needed in {env}: the flag was archived without being evaluated here.</p>
      ) : null}
      {canOperate && !zeroFallback.done && !zeroFallbackClosed ? (
        <TeardownActionButton
          flagKey={flagKey}
          env={env}
          action="confirmZeroFallback"
          testId="confirm-zero-fallback"
          label="Confirm zero fallback"
          blockedBy={zeroFallback.blockedBy}
          prompt={`Confirm the legacy path served nothing in ${env} over the last ${formatCount(teardown.legacyZeroDays, "day")}?`}
          detail="The counts are measured again and stored as the evidence."
          confirmLabel="Yes, confirm zero fallback"
          overridable="evidence_unproven"
          {...confirm}
        />
      ) : null}
    </TeardownStep>
  );
}

// The order the evidence lists them in: a record, so the compiler insists on every reason the SDK
// reports. Any other reason the server adds follows.
const LEGACY_REASON_RANK: Record<EvaluationReason, number> = { pinned: 0, targeted: 1, unkeyed: 2, fallback: 3, killed: 4, rollout: 5 };
const UNKNOWN_REASON_RANK = Object.keys(LEGACY_REASON_RANK).length;

function ZeroFallbackEvidence({ zeroFallback, legacyZeroDays, ramped }: { zeroFallback: TeardownView["zeroFallback"]; legacyZeroDays: number; ramped: boolean }) {
  const { evidence } = zeroFallback;
  // Below 100% the legacy path is supposed to serve traffic: red only once it should be zero.
  const problem = ramped && evidence.legacyRequests > 0;
  const reasons = Object.entries(evidence.legacyByReason)
    .filter(([, count]) => count > 0)
    .sort(([a], [b]) => rank(a) - rank(b));
  return (
    <>
      <p className="text-xs text-slate-500">
        {zeroFallback.done ? "Measured over" : `Last ${formatCount(legacyZeroDays, "day")}:`} {formatAbsolute(evidence.from)} → {formatAbsolute(evidence.to)}
      </p>
      <div className="mt-2 flex items-end gap-5">
        <div>
          <span data-testid="legacy-count" data-problem={problem || undefined}
            className={`font-mono text-3xl font-bold tabular-nums ${problem ? "text-red-700" : "text-slate-900"}`}>
            {evidence.legacyRequests.toLocaleString("en")}
          </span>
          <div className="text-xs text-slate-500">legacy-path requests</div>
        </div>
        <div>
          <span className="font-mono text-lg tabular-nums">{evidence.newRequests.toLocaleString("en")}</span>
          <div className="text-xs text-slate-500">new-path requests</div>
        </div>
      </div>
      {reasons.length > 0 ? (
        <ul aria-label="Legacy-path requests by reason" className="mt-2 flex flex-wrap gap-1.5 text-xs">
          {reasons.map(([reason, count]) => (
            <li key={reason} className={`rounded px-1.5 py-0.5 ${problem ? "bg-red-100 text-red-800" : "bg-slate-100 text-slate-700"}`}>
              {reason} <span className="font-mono font-semibold">{count.toLocaleString("en")}</span>
            </li>
          ))}
        </ul>
      ) : null}
      {zeroFallback.done && zeroFallback.confirmedAt ? (
        <p className="mt-2">
          Confirmed by {zeroFallback.confirmedBy ?? "someone"} <RelativeTime iso={zeroFallback.confirmedAt} />
        </p>
      ) : null}
      {zeroFallback.override ? (
        <p data-testid="zero-fallback-override" className="mt-1 text-amber-800">
          Database evidence unproven; overridden by {zeroFallback.override.by}: {zeroFallback.override.reason}
        </p>
      ) : null}
    </>
  );
}

function rank(reason: string): number {
  return Object.hasOwn(LEGACY_REASON_RANK, reason) ? LEGACY_REASON_RANK[reason as keyof typeof LEGACY_REASON_RANK] : UNKNOWN_REASON_RANK;
}
