"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import type { TeardownView } from "@/components/flag/flag-api";
import { ApiError } from "@/components/shell/api-client";
import { useCan } from "@/components/shell/session";
import { ApiErrorBanner } from "@/components/ui/api-error-banner";
import { formatAbsolute, formatTeardownStage } from "@/components/ui/format";
import { FlagRemovedPanel } from "./flag-removed-panel";
import { teardownQuery } from "./lifecycle-queries";
import { RampedPanel } from "./ramped-panel";
import { SchemaContractedPanel } from "./schema-contracted-panel";
import type { ConfirmToggle } from "./teardown-actions";
import type { StepNumber, StepState } from "./teardown-step";
import { ZeroFallbackPanel } from "./zero-fallback-panel";

/** Same pace as the charts: a zero-fallback count should move with the traffic the charts show. */
const REFRESH_MS = 5_000;

interface TeardownStripProps {
  flagKey: string;
  env: string;
  /** The server's read, so the first paint already shows where the teardown stands. */
  initialTeardown: TeardownView;
}

/** The four teardown steps in order, each with its evidence and, for operators, its action. */
export function TeardownStrip({ flagKey, env, initialTeardown }: TeardownStripProps) {
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
          <TeardownSteps teardown={teardown} states={states} flagKey={flagKey} env={env} canOperate={canOperate} toggle={toggle} />
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
  canOperate: boolean;
  toggle: (step: StepNumber) => ConfirmToggle;
}

function TeardownSteps({ teardown, states, flagKey, env, canOperate, toggle }: TeardownStepsProps) {
  const panel = { teardown, flagKey, env, canOperate };
  return (
    <ol className="grid gap-3 md:grid-cols-2 xl:grid-cols-4">
      <RampedPanel {...panel} state={states[0]} confirm={toggle(1)} />
      <ZeroFallbackPanel {...panel} state={states[1]} confirm={toggle(2)} />
      <FlagRemovedPanel {...panel} state={states[2]} confirm={toggle(3)} />
      <SchemaContractedPanel {...panel} state={states[3]} confirm={toggle(4)} />
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
