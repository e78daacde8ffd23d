import type { TeardownView } from "@/components/flag/flag-api";
import { formatPercentage } from "@/components/ui/format";
import { RelativeTime } from "@/components/ui/relative-time";
import { TeardownStep, type StepPanelProps } from "./teardown-step";

/**
 * Step 1: the flag at 100% and not killed. No button here: the ramp form is the one place that
 * changes the percentage, where the metrics and the skipped ramp steps are in view.
 */
export function RampedPanel({ teardown, state, canOperate }: StepPanelProps) {
  const { ramped, flagRemoved } = teardown;
  return (
    <TeardownStep number={1} title="Ramped" state={state}>
      <RampedEvidence ramped={ramped} archived={flagRemoved.done} />
      {canOperate && !ramped.done && !ramped.killed ? (
        <p className="mt-2 text-xs text-slate-600">
          Ramp step by step with the <a href="#ramp" className="font-medium text-blue-700 hover:underline">ramp form</a>, watching the metrics.
        </p>
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
