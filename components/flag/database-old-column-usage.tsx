"use client";

import { useMemo } from "react";
import { EVIDENCE_COLORS } from "@/components/charts/evidence-chart-parts";
import { MinuteBarsChart } from "@/components/charts/minute-bars-chart";
import { formatAbsolute } from "@/components/ui/format";
import type { Evidence, OldColumnUsage, UsageVerdict } from "@/lib/app-db/database-evidence";
import {
  activityPoints,
  activitySummary,
  evidenceWindow,
  oldColumnReadsAlarm,
  resetGaps,
  statementPoints,
  statementSummary,
  usageVerdictText,
} from "@/lib/pages/database-evidence-view";
import { EvidenceSection } from "./database-evidence-section";

interface DatabaseOldColumnUsageProps {
  usage: Evidence<OldColumnUsage>;
  readAt: string;
  /** What the flag serves now: reads of the old column are expected below 100%, wrong at it. */
  flag: { percentage: number; killed: boolean };
}

const READS_AND_WRITES = [
  { key: "reads" as const, label: "Reads", color: EVIDENCE_COLORS.reads },
  { key: "writes" as const, label: "Writes", color: EVIDENCE_COLORS.writes },
];

/** What stage 2 waits on: the window's verdict on reads and writes of the old column, then the minutes behind it. */
export function DatabaseOldColumnUsage({ usage, readAt, flag }: DatabaseOldColumnUsageProps) {
  return (
    <EvidenceSection
      id="old-column-usage"
      title="Old-column reads and writes"
      evidence={usage}
      readAt={readAt}
      asOf={(checked) => checked.lastSampledAt}
      caveat={(checked) => (checked.statements.source ? checked.statements.caveat : checked.activity.caveat)}
    >
      {(checked) => <OldColumnUsageBody usage={checked} flag={flag} asOf={Date.parse(readAt)} />}
    </EvidenceSection>
  );
}

function OldColumnUsageBody({ usage, flag, asOf }: { usage: OldColumnUsage; flag: DatabaseOldColumnUsageProps["flag"]; asOf: number }) {
  const column = `${usage.table}.${usage.column}`;
  const statements = usage.statements;
  const statementMinutes = statements.source ? statements.minutes : null;
  const chart = useMemo(() => (statementMinutes ? { points: statementPoints(statementMinutes), resets: resetGaps(statementMinutes) } : null), [statementMinutes]);
  const activity = useMemo(() => activityPoints(usage.activity.minutes), [usage.activity.minutes]);
  // Both charts over one span, so a minute lines up between them.
  const window = useMemo(
    () => evidenceWindow(asOf, [...(chart?.points ?? []).map((point) => point.t), ...(chart?.resets ?? []).map((reset) => reset.from), ...activity.map((point) => point.t)]),
    [asOf, chart, activity],
  );
  return (
    <div className="space-y-4">
      <div>
        <p className="text-xs text-slate-500">
          Stage 2 window: {formatAbsolute(usage.window.from)} → {formatAbsolute(usage.window.to)}
        </p>
        <div className="mt-2 grid gap-3 sm:grid-cols-2">
          <UsageVerdictBox what="reads" usage={usage.window.reads} column={column} alarm={oldColumnReadsAlarm(usage.window.reads, flag)} />
          <UsageVerdictBox what="writes" usage={usage.window.writes} column={column} alarm={false} />
        </div>
      </div>
      {statements.source && chart ? (
        <MinuteBarsChart
          testId="chart-old-column-statements"
          title={`Statements naming ${column} per minute`}
          note={`from ${statements.source}`}
          series={READS_AND_WRITES}
          points={chart.points}
          resets={chart.resets}
          summary={statementSummary(chart.points, column, chart.resets)}
          empty={chart.points.length === 0 ? "No statement counts sampled in the last six hours yet." : null}
          from={window.from}
          to={window.to}
        />
      ) : (
        <p data-testid="statements-unavailable" className="rounded border border-slate-200 bg-slate-50 px-3 py-2 text-sm text-slate-700">
          <span className="font-semibold">No statement statistics:</span> {statements.source === null ? statements.why : null}
        </p>
      )}
      <MinuteBarsChart
        testId="chart-old-column-activity"
        title={`Queries on ${column} caught running`}
        note="sampled: can miss short queries"
        series={READS_AND_WRITES}
        points={activity}
        summary={activitySummary(activity, column)}
        empty={activity.length === 0 ? "No running queries sampled in the last six hours yet." : null}
        from={window.from}
        to={window.to}
      />
      {statements.source ? (
        <p className="text-xs text-slate-600">
          <span className="font-semibold">Sampling:</span> {usage.activity.caveat}
        </p>
      ) : null}
    </div>
  );
}

const VERDICT_STYLE: Record<UsageVerdict["verdict"], string> = {
  zero: "border-emerald-300 bg-emerald-50 text-emerald-950",
  seen: "border-slate-300 bg-white text-slate-900",
  unproven: "border-amber-300 bg-amber-50 text-amber-950",
};

function UsageVerdictBox({ what, usage, column, alarm }: { what: "reads" | "writes"; usage: UsageVerdict; column: string; alarm: boolean }) {
  return (
    <div data-testid={`old-column-${what}`} data-verdict={usage.verdict} data-problem={alarm || undefined} className={`rounded-lg border-2 p-3 ${alarm ? "border-red-400 bg-red-50 text-red-900" : VERDICT_STYLE[usage.verdict]}`}>
      <p className="text-base font-bold">{usageVerdictText(what, usage, column)}</p>
      {usage.detail ? <p className="mt-1 text-sm">{usage.detail}</p> : null}
    </div>
  );
}
