import Link from "next/link";
import { Sparkline } from "@/components/charts/sparkline";
import { DueDate } from "@/components/lifecycle/due-date";
import { formatPercentage } from "@/components/ui/format";
import { KilledBadge } from "@/components/ui/killed-badge";
import { RelativeTime } from "@/components/ui/relative-time";
import type { ListedFlag } from "@/lib/flags/read-flags";
import { countTargetValues } from "@/lib/flags/test-tenant-edits";
import type { FlagMetricsSummary } from "@/lib/metrics/read-metrics-summary";
import { withEnv } from "@/lib/pages/search-params";
import { RowKillSwitch } from "./row-kill-switch";

const th = "px-4 py-2 text-left text-xs font-semibold tracking-wide text-slate-500 uppercase";
const td = "px-4 py-3 align-top";

interface FlagsTableProps {
  flags: ListedFlag[];
  env: string;
  /** Last hour's numbers by flag key; flags without traffic are absent. */
  metrics: Record<string, FlagMetricsSummary>;
  /** Operators and admins get a kill switch on each live row. */
  canKill: boolean;
}

export function FlagsTable({ flags, env, metrics, canKill }: FlagsTableProps) {
  const now = new Date();
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
      <table className="min-w-full divide-y divide-slate-200 text-sm">
        <thead className="bg-slate-50">
          <tr>
            <th className={th}>Flag · owner</th>
            <th className={`${th} text-right`}>Percentage</th>
            <th className={`${th} text-right`}>New path (1 h)</th>
            <th className={`${th} text-right`}>Errors vs legacy</th>
            <th className={th}>Last change</th>
            <th className={th}>Removal due</th>
            {canKill ? <th className={th}><span className="sr-only">Kill switch</span></th> : null}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {flags.map((flag) => (
            <tr key={flag.key} className={flag.state.killed ? "bg-red-50/60" : "hover:bg-slate-50"}>
              <td className={td}>
                <Link href={withEnv(`/flags/${flag.key}`, { env })} className="font-mono font-medium text-blue-700 hover:underline">
                  {flag.key}
                </Link>
                <TestTenantsBadge flagKey={flag.key} count={countTargetValues(flag.state.targets)} />
                {flag.name !== flag.key ? <div className="text-xs text-slate-500">{flag.name}</div> : null}
                {flag.archivedAt ? <div className="text-xs text-slate-400">archived</div> : null}
                <div className="text-xs text-slate-500">{flag.owner}</div>
              </td>
              <td className={`${td} text-right font-mono tabular-nums`}>
                {flag.state.killed ? <KilledBadge /> : formatPercentage(flag.state.percentage)}
                {!flag.state.killed && !flag.state.default ? null : (
                  <div className="text-xs font-sans text-slate-500">{flag.state.killed ? `was ${formatPercentage(flag.state.percentageBeforeKill ?? 0)}` : "default on"}</div>
                )}
              </td>
              <td className={`${td} text-right`}>
                <NewPathShare summary={metrics[flag.key]} flagKey={flag.key} />
              </td>
              <td className={`${td} text-right font-mono tabular-nums`}>
                <ErrorRateDelta delta={metrics[flag.key]?.errorRateDelta ?? null} />
              </td>
              <td className={td}>
                <RelativeTime iso={flag.state.updatedAt} />
                <div className="text-xs text-slate-500">by {flag.state.updatedBy}</div>
              </td>
              <td className={td}>
                {flag.removalTicket ? <DueDate dueDate={flag.removalTicket.dueDate} now={now} /> : <span className="text-slate-400">—</span>}
              </td>
              {canKill ? (
                <td className={`${td} text-right`}>{flag.state.killed || flag.archivedAt ? null : <RowKillSwitch flagKey={flag.key} env={env} />}</td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Test tenants are easy to forget once the ramp starts: the list marks the flags that still have them. */
function TestTenantsBadge({ flagKey, count }: { flagKey: string; count: number }) {
  if (count === 0) return null;
  return (
    <span
      data-testid={`list-test-tenants-${flagKey}`}
      title={`${count} test ${count === 1 ? "tenant" : "tenants"} forced apart from the ramp`}
      className="ml-2 rounded bg-indigo-100 px-1.5 py-0.5 align-middle text-xs font-medium text-indigo-800"
    >
      test tenants · {count}
    </span>
  );
}

function NewPathShare({ summary, flagKey }: { summary: FlagMetricsSummary | undefined; flagKey: string }) {
  if (!summary || summary.newShare === null) return <span className="text-slate-400">no traffic</span>;
  return (
    <div className="flex items-center justify-end gap-2">
      <Sparkline values={summary.newShareSparkline} label={`${flagKey}: share on the new path over the last hour`} />
      <span className="font-mono tabular-nums" data-testid={`list-new-share-${flagKey}`}>
        {(summary.newShare * 100).toFixed(1)}%
      </span>
    </div>
  );
}

/** In percentage points; red when the new path fails more often than the legacy path. */
function ErrorRateDelta({ delta }: { delta: number | null }) {
  if (delta === null) return <span className="text-slate-400">—</span>;
  const points = delta * 100;
  const worse = points > 0.1;
  return <span className={worse ? "font-semibold text-red-700" : "text-slate-700"}>{`${points >= 0 ? "+" : ""}${points.toFixed(2)} pp`}</span>;
}
