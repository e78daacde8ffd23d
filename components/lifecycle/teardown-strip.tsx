"use client";

import type { EvaluationReason } from "@rampart/sdk";
import { useQuery } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";
import type { TeardownView } from "@/components/flag/flag-api";
import { ApiError } from "@/components/shell/api-client";
import { useCan } from "@/components/shell/session";
import { ApiErrorBanner } from "@/components/ui/api-error-banner";
import { formatAbsolute, formatCount, formatPercentage, formatTeardownStage } from "@/components/ui/format";
import { RelativeTime } from "@/components/ui/relative-time";
import { teardownQuery } from "./lifecycle-queries";
import { RampToFullAction, TeardownActionButton, type ConfirmToggle } from "./teardown-actions";

/** Same pace as the charts: a zero-fallback count should move with the traffic the charts show. */
const REFRESH_MS = 5_000;
const HOUR_MS = 60 * 60 * 1000;

type StepNumber = 1 | 2 | 3 | 4;
type StepState = "done" | "current" | "locked";

interface TeardownStripProps {
  flagKey: string;
  env: string;
  /** The server's read, so the first paint already shows where the teardown stands. */
  initialTeardown: TeardownView;
  /** The flag state version the page showed; the ramp sends it as If-Match. */
  stateVersion: number;
}

/** The four teardown steps in order, each with its evidence and, for operators, its action. */
export function TeardownStrip({ flagKey, env, initialTeardown, stateVersion }: TeardownStripProps) {
  const canOperate = useCan("operator");
  const initialMatches = initialTeardown.key === flagKey && initialTeardown.environment === env;
  const query = useQuery({
    ...teardownQuery({ key: flagKey, env }),
    initialData: initialMatches ? initialTeardown : undefined,
    staleTime: REFRESH_MS,
    refetchInterval: REFRESH_MS,
  });
  const [confirming, setConfirming] = useState<StepNumber | null>(null);
  const teardown = query.data;
  const states = teardown ? stepStates(teardown) : null;
  const toggle = (step: StepNumber): ConfirmToggle => ({
    open: confirming === step,
    onOpen: () => setConfirming(step),
    onClose: () => setConfirming((open) => (open === step ? null : open)),
  });

  return (
    <section aria-labelledby="teardown-heading" className="mb-8">
      <div className="mb-3 flex flex-wrap items-baseline justify-between gap-2">
        <div>
          <h2 id="teardown-heading" className="text-lg font-semibold">
            Teardown in {env}
            {states ? <span className="ml-2 text-sm font-normal text-slate-500">{states.filter((state) => state === "done").length} of 4 done</span> : null}
          </h2>
          <p className="text-xs text-slate-500">Ramp, prove the legacy path is dead, remove the flag, then drop the old column: each step gates the next.</p>
        </div>
        <p className="flex items-center gap-1.5 text-xs text-slate-500">
          <span aria-hidden="true" className={`inline-block size-2 rounded-full ${query.isError ? "bg-amber-500" : "bg-emerald-500"}`} />
          live, refreshes every {REFRESH_MS / 1000} s
        </p>
      </div>

      {query.error ? (
        <div className="mb-3">
          <ApiErrorBanner error={query.error instanceof ApiError ? query.error : new ApiError(0, "unexpected", "Could not load the teardown.")} />
        </div>
      ) : null}

      {teardown && states ? (
        <>
          <MovedBackNotice teardown={teardown} />
          <TeardownSteps teardown={teardown} states={states} flagKey={flagKey} env={env} stateVersion={stateVersion} canOperate={canOperate} toggle={toggle} />
        </>
      ) : (
        <p className="rounded-lg border border-slate-200 bg-white p-6 text-center text-sm text-slate-600">Loading the teardown…</p>
      )}
    </section>
  );
}

interface TeardownStepsProps {
  teardown: TeardownView;
  states: StepState[];
  flagKey: string;
  env: string;
  stateVersion: number;
  canOperate: boolean;
  toggle: (step: StepNumber) => ConfirmToggle;
}

function TeardownSteps({ teardown, states, flagKey, env, stateVersion, canOperate, toggle }: TeardownStepsProps) {
  const { ramped, zeroFallback, flagRemoved, schemaContracted } = teardown;
  // Archiving needed no confirmation in an environment that never evaluated the flag: the step is closed there.
  const zeroFallbackClosed = zeroFallback.done && zeroFallback.confirmedAt === null;
  const contraction = schemaContracted.contraction;
  const dropColumn = contraction ? `ALTER TABLE ${contraction.table} DROP COLUMN ${contraction.oldColumn};` : null;

  return (
    <ol className="grid gap-3 md:grid-cols-2 xl:grid-cols-4">
      <TeardownStep number={1} title="Ramped" state={states[0]}>
        <RampedEvidence ramped={ramped} archived={flagRemoved.done} />
        {canOperate && !ramped.done ? (
          <RampToFullAction
            key={stateVersion}
            flagKey={flagKey}
            env={env}
            percentage={ramped.percentage}
            killed={ramped.killed}
            version={stateVersion}
            {...toggle(1)}
          />
        ) : null}
      </TeardownStep>

      <TeardownStep number={2} title="Zero fallback confirmed" state={states[1]}>
        <ZeroFallbackEvidence zeroFallback={zeroFallback} legacyZeroDays={teardown.legacyZeroDays} />
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
            {...toggle(2)}
          />
        ) : null}
      </TeardownStep>

      <TeardownStep number={3} title="Flag removed from code" state={states[2]}>
        <FlagRemovedEvidence flagRemoved={flagRemoved} quietHours={teardown.quietHours} />
        {canOperate && !flagRemoved.done ? (
          <TeardownActionButton
            flagKey={flagKey}
            env={env}
            action="archive"
            testId="archive-flag"
            label="Archive flag"
            blockedBy={flagRemoved.blockedBy}
            prompt={`Archive ${flagKey} in every environment?`}
            detail="SDKs everywhere drop it on their next update; any code still asking for it gets its fallback. Remove it from code first."
            confirmLabel="Yes, archive everywhere"
            {...toggle(3)}
          />
        ) : null}
      </TeardownStep>

      <TeardownStep number={4} title="Schema contracted" state={states[3]}>
        <SchemaContractedEvidence schemaContracted={schemaContracted} dropColumn={dropColumn} env={env} ticketStatus={teardown.ticketStatus} />
        {canOperate && !schemaContracted.done ? (
          <TeardownActionButton
            flagKey={flagKey}
            env={env}
            action="confirmSchemaContracted"
            testId="confirm-schema-contracted"
            label={`Confirm column dropped in ${env}`}
            blockedBy={schemaContracted.blockedBy}
            prompt={dropColumn ? `Confirm this has run on ${env}'s database?` : `No column is named on the ticket. Confirm nothing is left to drop in ${env}?`}
            detail={dropColumn ? <code className="font-mono text-xs">{dropColumn}</code> : undefined}
            confirmLabel={`Yes, dropped in ${env}`}
            {...toggle(4)}
          />
        ) : null}
      </TeardownStep>
    </ol>
  );
}

/** Done steps as the server says; the first open step is current, the rest wait for it. */
function stepStates(teardown: TeardownView): StepState[] {
  const done = [teardown.ramped.done, teardown.zeroFallback.done, teardown.flagRemoved.done, teardown.schemaContracted.done];
  // A step left behind by a later one (zero fallback in an environment closed by the archive) is passed.
  const passed = done.map((isDone, i) => isDone || done.slice(i + 1).some(Boolean));
  const current = passed.findIndex((isPassed) => !isPassed);
  return done.map((isDone, i) => (isDone ? "done" : i === current ? "current" : "locked"));
}

const STEP_TONES: Record<StepState, { card: string; badge: string; label: string }> = {
  done: { card: "border-emerald-300 bg-emerald-50/60", badge: "bg-emerald-600 text-white", label: "done" },
  current: { card: "border-indigo-500 bg-white ring-2 ring-indigo-200 shadow-sm", badge: "bg-indigo-600 text-white", label: "current step" },
  locked: { card: "border-slate-200 bg-slate-50 text-slate-500", badge: "bg-slate-200 text-slate-500", label: "not open" },
};

function TeardownStep({ number, title, state, children }: { number: StepNumber; title: string; state: StepState; children: ReactNode }) {
  const tone = STEP_TONES[state];
  return (
    <li
      data-testid={`teardown-step-${number}`}
      data-state={state}
      aria-current={state === "current" ? "step" : undefined}
      className={`rounded-lg border p-4 text-sm ${tone.card}`}
    >
      <div className="flex items-center gap-2">
        <span aria-hidden="true" className={`inline-flex size-7 shrink-0 items-center justify-center rounded-full text-sm font-bold ${tone.badge}`}>
          {state === "done" ? <CheckIcon /> : number}
        </span>
        <h3 className={`font-semibold ${state === "locked" ? "text-slate-600" : "text-slate-900"}`}>
          <span className="sr-only">Step {number}: </span>
          {title}
          <span className="sr-only"> ({tone.label})</span>
        </h3>
      </div>
      <div className="mt-2">{children}</div>
    </li>
  );
}

function CheckIcon() {
  return (
    <svg viewBox="0 0 20 20" fill="currentColor" className="size-4">
      <path
        fillRule="evenodd"
        d="M16.7 5.3a1 1 0 0 1 0 1.4l-8 8a1 1 0 0 1-1.4 0l-4-4a1 1 0 1 1 1.4-1.4L8 12.6l7.3-7.3a1 1 0 0 1 1.4 0Z"
        clipRule="evenodd"
      />
    </svg>
  );
}

function RampedEvidence({ ramped, archived }: { ramped: TeardownView["ramped"]; archived: boolean }) {
  if (ramped.done) {
    // Archiving closes this step everywhere, including environments that never reached 100%.
    if (!ramped.since && archived) return <p>At {formatPercentage(ramped.percentage)} when the flag was archived; SDKs no longer receive it.</p>;
    if (!ramped.since) return <p>At 100%, not killed.</p>;
    return (
      <p>
        At 100%, not killed, holding since <RelativeTime iso={ramped.since} />
      </p>
    );
  }
  if (ramped.killed) return <p className="font-medium text-red-700">Killed: everyone is on the legacy path.</p>;
  return (
    <p>
      At <span className="font-mono font-semibold">{formatPercentage(ramped.percentage)}</span>
      <span className="text-slate-500">; {formatPercentage(Math.round((100 - ramped.percentage) * 100) / 100)} of keyed traffic still on the legacy path</span>
    </p>
  );
}

// The order the evidence lists them in: a record, so the compiler insists on every reason the SDK
// reports. Any other reason the server adds follows.
const LEGACY_REASON_RANK: Record<EvaluationReason, number> = { pinned: 0, unkeyed: 1, fallback: 2, killed: 3, rollout: 4 };
const UNKNOWN_REASON_RANK = Object.keys(LEGACY_REASON_RANK).length;

function ZeroFallbackEvidence({ zeroFallback, legacyZeroDays }: { zeroFallback: TeardownView["zeroFallback"]; legacyZeroDays: number }) {
  const { evidence } = zeroFallback;
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
          <span data-testid="legacy-count" className={`font-mono text-3xl font-bold tabular-nums ${evidence.legacyRequests > 0 ? "text-red-700" : "text-slate-900"}`}>
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
            <li key={reason} className="rounded bg-red-100 px-1.5 py-0.5 text-red-800">
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
    </>
  );
}

function rank(reason: string): number {
  return Object.hasOwn(LEGACY_REASON_RANK, reason) ? LEGACY_REASON_RANK[reason as EvaluationReason] : UNKNOWN_REASON_RANK;
}

function FlagRemovedEvidence({ flagRemoved, quietHours }: { flagRemoved: TeardownView["flagRemoved"]; quietHours: number }) {
  const now = Date.now();
  return (
    <>
      {flagRemoved.done && flagRemoved.archivedAt ? (
        <p className="mb-2 font-medium">
          Archived <RelativeTime iso={flagRemoved.archivedAt} />
        </p>
      ) : null}
      {flagRemoved.evaluatedSinceArchive.length > 0 ? (
        <p data-testid="evaluated-since-archive" role="alert" className="mb-2 rounded border border-red-300 bg-red-50 p-2 font-medium text-red-800">
          Still evaluated after archiving in {flagRemoved.evaluatedSinceArchive.join(", ")}: that code now gets the SDK&apos;s fallback.
          Remove the flag from it.
        </p>
      ) : null}
      {flagRemoved.done ? null : <p className="text-xs text-slate-500">Archiving needs {formatCount(quietHours, "hour")} with no evaluation anywhere.</p>}
      <table className="mt-1 w-full text-xs">
        <thead>
          <tr className="text-left text-slate-500">
            <th className="py-1 pr-2 font-medium">Env</th>
            <th className="py-1 pr-2 font-medium">Last evaluated</th>
            <th className="py-1 pr-2 font-medium">Quiet {quietHours} h</th>
            <th className="py-1 font-medium">Zero fallback</th>
          </tr>
        </thead>
        <tbody>
          {flagRemoved.environments.map((row) => {
            const quiet = row.lastEvaluatedAt === null || now - new Date(row.lastEvaluatedAt).getTime() > quietHours * HOUR_MS;
            return (
              <tr key={row.environment} className="border-t border-slate-200/70">
                <td className="py-1 pr-2 font-mono">{row.environment}</td>
                <td className="py-1 pr-2">{row.lastEvaluatedAt ? <RelativeTime iso={row.lastEvaluatedAt} /> : "never"}</td>
                <td className={`py-1 pr-2 ${quiet ? "" : "font-semibold text-amber-700"}`}>{quiet ? "yes" : "no"}</td>
                {/* Where the flag was never evaluated there is no fallback to prove: a dash, not a "no". */}
                <td className="py-1">{row.zeroFallbackConfirmed ? "yes" : row.lastEvaluatedAt === null ? "—" : "no"}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </>
  );
}

interface SchemaContractedEvidenceProps {
  schemaContracted: TeardownView["schemaContracted"];
  dropColumn: string | null;
  env: string;
  ticketStatus: TeardownView["ticketStatus"];
}

function SchemaContractedEvidence({ schemaContracted, dropColumn, env, ticketStatus }: SchemaContractedEvidenceProps) {
  const pending = schemaContracted.pendingEnvironments;
  return (
    <>
      {dropColumn ? (
        <pre className="rounded whitespace-pre-wrap break-words bg-slate-900 px-2 py-1.5 font-mono text-xs text-slate-100">
          <code>{dropColumn}</code>
        </pre>
      ) : (
        <p className="text-slate-500">No column named on the ticket.</p>
      )}
      {schemaContracted.done && schemaContracted.confirmedAt ? (
        <p className="mt-2">
          Dropped in {env}, confirmed by {schemaContracted.confirmedBy ?? "someone"} <RelativeTime iso={schemaContracted.confirmedAt} />
        </p>
      ) : null}
      <p className="mt-2 text-xs">
        {pending.length > 0 ? (
          <>
            Pending in <span className="font-mono">{pending.join(", ")}</span>
          </>
        ) : (
          "Dropped in every environment."
        )}
      </p>
      {ticketStatus === "done" ? <p className="mt-2 font-semibold text-emerald-800">Removal ticket closed</p> : null}
    </>
  );
}

const MOVED_BACK_ACTIONS: Record<string, string> = {
  "flag.killed": "kill",
  "flag.state_updated": "percentage change",
};

/** Loud while the flag is still off 100% after being moved back; a quiet footnote once it is re-ramped. */
function MovedBackNotice({ teardown }: { teardown: TeardownView }) {
  const { movedBack, ramped } = teardown;
  if (!movedBack) return null;
  const text = `Moved back from “${formatTeardownStage(movedBack.from)}” on ${formatAbsolute(movedBack.at)} by ${movedBack.by} (${MOVED_BACK_ACTIONS[movedBack.action] ?? movedBack.action})`;
  const stillBack = ramped.since === null || new Date(movedBack.at).getTime() > new Date(ramped.since).getTime();
  if (!stillBack) return <p className="mb-2 text-xs text-slate-500">Last {text.charAt(0).toLowerCase() + text.slice(1)}.</p>;
  return (
    <p role="status" data-testid="teardown-moved-back" className="mb-3 rounded border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900">
      <span className="font-semibold">{text}.</span> Ramp to 100% and confirm zero fallback again before the flag can go.
    </p>
  );
}
