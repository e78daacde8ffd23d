import Link from "next/link";
import { Sparkline } from "@/components/charts/sparkline";
import { DueDate } from "@/components/lifecycle/due-date";
import { formatPercentage } from "@/components/ui/format";
import { KilledBadge } from "@/components/ui/killed-badge";
import { RelativeTime } from "@/components/ui/relative-time";
import type { ListedFlag } from "@/lib/flags/read-flags";
import type { RampSummary } from "@/lib/guard/read-guarded-ramp";
import { countTargetValues } from "@/lib/flags/test-tenant-edits";
import type { FlagMetricsSummary } from "@/lib/metrics/read-metrics-summary";
import { withEnv } from "@/lib/pages/search-params";
import { RowKillSwitch, RowRestoreSwitch } from "./row-kill-switch";

const th = "px-4 py-2 text-left text-xs font-semibold tracking-wide text-slate-600 uppercase";
// Below 640 px each row is a card: a grid with the flag and its kill switch on top, the rest below.
const td = "px-4 py-3 align-top max-sm:p-0";
const stat = `${td} max-sm:col-span-2 max-sm:text-left`;
// The kill column stays in view however wide the other columns are: no switch is ever scrolled away.
const stickyRight = "sticky right-0 shadow-[-1px_0_0_0_var(--color-slate-200)] max-sm:static max-sm:shadow-none";

interface FlagsTableProps {
  flags: ListedFlag[];
  env: string;
  /** Last hour's numbers by flag key; flags without traffic are absent. */
  metrics: Record<string, FlagMetricsSummary>;
  /** Guarded ramps running, paused or ended by a guard kill, by flag key. */
  ramps: Record<string, RampSummary>;
  /** Operators and admins get a kill switch on each live row, and restore on each killed one. */
  canKill: boolean;
}

export function FlagsTable({ flags, env, metrics, ramps, canKill }: FlagsTableProps) {
  const now = new Date();
  return (
    <div data-testid="flags-list" className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm max-sm:overflow-visible max-sm:border-0 max-sm:bg-transparent max-sm:shadow-none">
      <table className="min-w-full divide-y divide-slate-200 text-sm max-sm:block max-sm:divide-y-0">
        <thead className="bg-slate-50 max-sm:hidden">
          <tr>
            <th className={th}>Flag · owner</th>
            <th className={`${th} text-right`}>Percentage</th>
            <th className={`${th} text-right`}>New path (1 h)</th>
            <th className={`${th} text-right`}>Errors vs legacy</th>
            <th className={th}>Last change</th>
            <th className={th}>Removal due</th>
            {canKill ? <th className={`${th} ${stickyRight} bg-slate-50`}><span className="sr-only">Kill switch</span></th> : null}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 max-sm:block max-sm:space-y-3 max-sm:divide-y-0">
          {flags.map((flag) => {
            const rowBackground = flag.state.killed ? "bg-red-50" : "bg-white group-hover:bg-slate-50";
            return (
              <tr
                key={flag.key}
                data-testid={`flag-row-${flag.key}`}
                className={`group ${rowBackground} max-sm:grid max-sm:grid-cols-[minmax(0,1fr)_auto] max-sm:gap-x-3 max-sm:gap-y-2 max-sm:rounded-lg max-sm:border max-sm:border-slate-200 max-sm:p-4 max-sm:shadow-sm`}
              >
                <td className={td}>
                  <div className="max-w-[22rem] max-sm:max-w-none">
                    <div className="flex min-w-0 items-center gap-2">
                      {/* The key is truncated for the eye only: its title and accessible name are the whole key, and focus unfolds it. */}
                      <Link
                        href={withEnv(`/flags/${flag.key}`, { env })}
                        title={flag.key}
                        className="min-w-0 truncate font-mono font-medium text-blue-700 hover:underline focus-visible:break-all focus-visible:whitespace-normal"
                      >
                        {flag.key}
                      </Link>
                      <TestTenantsBadge flagKey={flag.key} count={countTargetValues(flag.state.targets)} />
                    </div>
                    {flag.name !== flag.key ? <div className="truncate text-xs text-slate-600" title={flag.name}>{flag.name}</div> : null}
                    {flag.archivedAt ? <div className="text-xs text-slate-600">archived</div> : null}
                    <div className="truncate text-xs text-slate-600" title={flag.owner}>{flag.owner}</div>
                  </div>
                </td>
                <td className={`${stat} text-right font-mono tabular-nums`}>
                  <CardLabel>Percentage</CardLabel>
                  {flag.state.killed ? <KilledBadge /> : formatPercentage(flag.state.percentage)}
                  {!flag.state.killed && !flag.state.default ? null : (
                    <div className="text-xs font-sans text-slate-600 max-sm:ml-2 max-sm:inline">{flag.state.killed ? `was ${formatPercentage(flag.state.percentageBeforeKill ?? 0)}` : "default on"}</div>
                  )}
                  <GuardedRampStatus flagKey={flag.key} ramp={ramps[flag.key]} killed={flag.state.killed} />
                </td>
                <td className={`${stat} text-right`}>
                  <CardLabel>New path (1 h)</CardLabel>
                  <NewPathShare summary={metrics[flag.key]} flagKey={flag.key} />
                </td>
                <td className={`${stat} text-right font-mono tabular-nums`}>
                  <CardLabel>Errors vs legacy</CardLabel>
                  <ErrorRateDelta delta={metrics[flag.key]?.errorRateDelta ?? null} />
                </td>
                <td className={stat}>
                  <CardLabel>Last change</CardLabel>
                  <RelativeTime iso={flag.state.updatedAt} />
                  <div className="text-xs text-slate-600 max-sm:ml-2 max-sm:inline">by {flag.state.updatedBy}</div>
                </td>
                <td className={stat}>
                  <CardLabel>Removal due</CardLabel>
                  {flag.removalTicket ? <DueDate dueDate={flag.removalTicket.dueDate} now={now} /> : <span className="text-slate-600">—</span>}
                </td>
                {canKill ? (
                  <td className={`${td} ${stickyRight} ${rowBackground} text-right max-sm:col-start-2 max-sm:row-start-1 max-sm:bg-transparent`}>
                    <RowSwitch flag={flag} env={env} />
                  </td>
                ) : null}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** Kill on a live row, restore on a killed one; an archived flag's state can no longer change. */
function RowSwitch({ flag, env }: { flag: ListedFlag; env: string }) {
  if (flag.archivedAt) return null;
  if (flag.state.killed) return <RowRestoreSwitch flagKey={flag.key} env={env} restorePercentage={flag.state.percentageBeforeKill ?? 0} />;
  return <RowKillSwitch flagKey={flag.key} env={env} />;
}

/** A guarded ramp in words; a guard kill only while the flag is still killed, as a restore ends that story. */
function GuardedRampStatus({ flagKey, ramp, killed }: { flagKey: string; ramp: RampSummary | undefined; killed: boolean }) {
  if (!ramp || (ramp.status === "rolled_back" && !killed)) return null;
  return (
    <div data-testid={`list-guarded-ramp-${flagKey}`} className={`font-sans text-xs max-sm:ml-2 max-sm:inline ${ramp.status === "rolled_back" ? "text-red-800" : "text-indigo-800"}`}>
      <span className="sr-only">Guarded ramp: </span>
      {ramp.summary}
    </div>
  );
}

/** On a card (below 640 px) a cell has no column header above it, so it names itself. */
function CardLabel({ children }: { children: string }) {
  return <span className="mr-2 text-xs font-semibold tracking-wide text-slate-600 uppercase sm:hidden">{children}</span>;
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
  if (!summary || summary.newShare === null) return <span className="text-slate-600">no traffic</span>;
  return (
    <div className="inline-flex items-center justify-end gap-2">
      <Sparkline values={summary.newShareSparkline} label={`${flagKey}: share on the new path over the last hour`} />
      <span className="font-mono tabular-nums" data-testid={`list-new-share-${flagKey}`}>
        {(summary.newShare * 100).toFixed(1)}%
      </span>
    </div>
  );
}

/** In percentage points; red when the new path fails more often than the legacy path. */
function ErrorRateDelta({ delta }: { delta: number | null }) {
  if (delta === null) return <span className="text-slate-600">—</span>;
  const points = delta * 100;
  const worse = points > 0.1;
  return <span className={worse ? "font-semibold text-red-700" : "text-slate-700"}>{`${points >= 0 ? "+" : ""}${points.toFixed(2)} pp`}</span>;
}
