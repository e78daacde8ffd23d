import type { TeardownView } from "@/components/flag/flag-api";
import { formatCount } from "@/components/ui/format";
import { RelativeTime } from "@/components/ui/relative-time";
import { TeardownActionButton } from "./teardown-actions";
import { TeardownStep, type StepPanelProps } from "./teardown-step";

const HOUR_MS = 60 * 60 * 1000;

/** Step 3: the flag gone from code, shown by quiet environments; operators archive it everywhere. */
export function FlagRemovedPanel({ teardown, state, flagKey, env, canOperate, confirm }: StepPanelProps) {
  const { flagRemoved } = teardown;
  return (
    <TeardownStep number={3} title="Flag removed from code" state={state}>
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
          {...confirm}
        />
      ) : null}
    </TeardownStep>
  );
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
