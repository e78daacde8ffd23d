import type { TeardownView } from "@/components/flag/flag-api";
import { formatPercentage } from "@/components/ui/format";
import { RelativeTime } from "@/components/ui/relative-time";
import { RampToFullAction } from "./teardown-actions";
import { TeardownStep, type StepPanelProps } from "./teardown-step";

/** Step 1: the flag at 100% and not killed; operators can ramp it there. */
export function RampedPanel({ teardown, state, flagKey, env, canOperate, confirm, stateVersion }: StepPanelProps & { stateVersion: number }) {
  const { ramped, flagRemoved } = teardown;
  return (
    <TeardownStep number={1} title="Ramped" state={state}>
      <RampedEvidence ramped={ramped} archived={flagRemoved.done} />
      {canOperate && !ramped.done ? (
        <RampToFullAction
          key={stateVersion}
          flagKey={flagKey}
          env={env}
          percentage={ramped.percentage}
          killed={ramped.killed}
          version={stateVersion}
          {...confirm}
        />
      ) : null}
    </TeardownStep>
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
