import type { AppDbKind } from "@/lib/app-db/app-db-kind";
import type { ColumnFacts, ColumnsCheck } from "@/lib/app-db/checks/columns-check";
import type { IndexScanRate } from "@/lib/app-db/checks/index-scans";
import type { ActivityMinute, DatabaseEvidence, DivergentRows, LockWaitMinute, LockWaits, StatementMinute, UsageVerdict } from "@/lib/app-db/database-evidence";

// The flag page's Database panel in words and chart points: pure, so every sentence is tested.

/** The panel's charts span the six hours the server reads index-scan rates over. */
export const EVIDENCE_WINDOW_MS = 6 * 3_600_000;
const MINUTE_MS = 60_000;

const clock = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: "UTC" });
const counts = new Intl.NumberFormat("en-US");

export const APP_DB_KIND_LABELS: Record<AppDbKind, string> = { postgresql: "PostgreSQL", mysql: "MySQL / MariaDB" };

/** "14:03 UTC": chart times are UTC, as the audit trail's. */
export function utcClock(t: number): string {
  return `${clock.format(t)} UTC`;
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${counts.format(count)} ${count === 1 ? one : many}`;
}

/** The one reason every check shares when none applies (no database, no contraction): said once, not five times. */
export function sharedNotApplicable(evidence: Pick<DatabaseEvidence, "columns" | "indexUsage" | "divergentRows" | "oldColumnUsage" | "lockWaits">): string | null {
  const checks = [evidence.columns, evidence.indexUsage, evidence.divergentRows, evidence.oldColumnUsage, evidence.lockWaits];
  const first = checks[0]!;
  if (first.status !== "not_applicable") return null;
  return checks.every((check) => check.status === "not_applicable" && check.detail === first.detail) ? first.detail : null;
}

export function columnsVerdictText(check: ColumnsCheck): string {
  const oldName = check.old.name;
  const newName = check.new?.name;
  switch (check.verdict) {
    case "expanded":
      return newName
        ? `Both ${oldName} and ${newName} are in ${check.table}: expanded, the old column not dropped yet.`
        : `${oldName} is still in ${check.table}: not dropped yet.`;
    case "contracted":
      return `${oldName} is gone from ${check.table}: the schema is contracted.`;
    case "not_migrated":
      return `${newName ?? "The new column"} is missing from ${check.table}: the additive migration has not run here.`;
    case "table_missing":
      return `There is no table ${check.table} the monitoring role can see.`;
  }
}

/** "varchar(50), NOT NULL" for a present column; "gone" for one that is not there. */
export function columnFactsText(facts: ColumnFacts): string {
  if (!facts.present) return "gone";
  const nullability = facts.nullable === null ? null : facts.nullable ? "nullable" : "NOT NULL";
  return [facts.type, nullability].filter(Boolean).join(", ");
}

/** The flag's percentage as the audit log tells it; `to` is null for a change that left it alone. */
export interface PercentageChange {
  at: string;
  from: number | null;
  to: number | null;
}

export interface PercentagePoint {
  t: number;
  percentage: number;
}

/**
 * The percentage over [from, to] as a step line: what it was at `from` (the last change before,
 * or what the first change inside moved it from), each change, and `current` at `to`. A kill
 * sets the percentage to 0, so the line drops with it.
 */
export function percentageSteps(changes: readonly PercentageChange[], current: number, from: number, to: number): PercentagePoint[] {
  const moves = changes
    .filter((change): change is PercentageChange & { to: number } => change.to !== null)
    .map((change) => ({ t: Date.parse(change.at), from: change.from, to: change.to }))
    .sort((a, b) => a.t - b.t);
  const before = moves.filter((move) => move.t <= from).at(-1);
  const inside = moves.filter((move) => move.t > from && move.t <= to);
  const start = before?.to ?? inside[0]?.from ?? inside[0]?.to ?? current;
  return [{ t: from, percentage: start }, ...inside.map((move) => ({ t: move.t, percentage: move.to })), { t: to, percentage: current }];
}

/** The percentage in force at `t` on a step line. */
export function percentageAt(steps: readonly PercentagePoint[], t: number): number | null {
  let found: number | null = null;
  for (const step of steps) if (step.t <= t) found = step.percentage;
  return found;
}

/** A counter reset between two samples: drawn as a marked gap, never as a negative rate. */
export interface ResetGap {
  from: number;
  to: number;
}

/** Each reset spans from the sample before it (a minute earlier for the first) to the sample that saw it. */
export function resetGaps(minutes: readonly { at: string; reset: boolean }[]): ResetGap[] {
  return minutes.flatMap((minute, index) => {
    if (!minute.reset) return [];
    const to = Date.parse(minute.at);
    const before = minutes[index - 1];
    return [{ from: before ? Date.parse(before.at) : to - MINUTE_MS, to }];
  });
}

export interface IndexScanPoint {
  t: number;
  /** Null across a reset, so the line breaks there. */
  perMinute: number | null;
}

export function indexScanPoints(rates: readonly IndexScanRate[]): IndexScanPoint[] {
  return rates.map((rate) => ({ t: Date.parse(rate.at), perMinute: rate.reset ? null : rate.perMinute }));
}

function newestWithValue<T extends { t: number }>(points: readonly T[], hasValue: (point: T) => boolean): T | null {
  for (let i = points.length - 1; i >= 0; i--) if (hasValue(points[i]!)) return points[i]!;
  return null;
}

function resetsSentence(resets: readonly ResetGap[]): string {
  if (resets.length === 0) return "";
  return ` ${resets.length === 1 ? "1 statistics reset" : `${resets.length} statistics resets`} in view, the latest at ${utcClock(resets.at(-1)!.to)}: not counted as a drop.`;
}

/** The index chart's text alternative: the newest rate beside the percentage then, and any resets. */
export function indexScanSummary(points: readonly IndexScanPoint[], steps: readonly PercentagePoint[], resets: readonly ResetGap[]): string {
  const latest = newestWithValue(points, (point) => point.perMinute !== null);
  if (!latest) return `No scan rate in the last six hours yet.${resetsSentence(resets)}`;
  const percentage = percentageAt(steps, latest.t);
  const at = percentage === null ? "" : `, with the flag at ${percentage}%`;
  return `Latest minute, ${utcClock(latest.t)}: ${counts.format(latest.perMinute!)} index scans per minute${at}.${resetsSentence(resets)}`;
}

export interface StatementPoint {
  t: number;
  reads: number | null;
  writes: number | null;
}

export function statementPoints(minutes: readonly StatementMinute[]): StatementPoint[] {
  return minutes.map((minute) => ({ t: Date.parse(minute.at), reads: minute.reset ? null : minute.reads, writes: minute.reset ? null : minute.writes }));
}

/** The statement chart's text alternative. */
export function statementSummary(points: readonly StatementPoint[], column: string, resets: readonly ResetGap[]): string {
  const latest = newestWithValue(points, (point) => point.reads !== null || point.writes !== null);
  if (!latest) return `No statement counts in the last six hours yet.${resetsSentence(resets)}`;
  const reads = latest.reads === null ? "unknown reads" : plural(latest.reads, "read");
  const writes = latest.writes === null ? "unknown writes" : plural(latest.writes, "write");
  return `Latest minute, ${utcClock(latest.t)}: ${reads} and ${writes} of ${column}.${resetsSentence(resets)}`;
}

export interface ActivityPoint {
  t: number;
  reads: number;
  writes: number;
  samples: number;
}

export function activityPoints(minutes: readonly ActivityMinute[]): ActivityPoint[] {
  return minutes.map((minute) => ({ t: Date.parse(minute.at), reads: minute.reads, writes: minute.writes, samples: minute.samples }));
}

/** The activity chart's text alternative: what the newest sampled minute caught. */
export function activitySummary(points: readonly ActivityPoint[], column: string): string {
  const latest = newestWithValue(points, (point) => point.samples > 0);
  if (!latest) return "No running queries sampled in the last six hours yet.";
  const seen = points.reduce((sum, point) => sum + point.reads + point.writes, 0);
  return `Latest minute, ${utcClock(latest.t)}: ${plural(latest.reads, "read")} and ${plural(latest.writes, "write")} of ${column} caught running in ${plural(latest.samples, "sample")}; ${plural(seen, "query", "queries")} caught in view.`;
}

/** "Reads of orders.status: none", the headline stage 2 waits on; its detail says why. */
export function usageVerdictText(what: "reads" | "writes", usage: UsageVerdict, column: string): string {
  const label = what === "reads" ? "Reads" : "Writes";
  if (usage.verdict === "seen") return `${label} of ${column}: seen, ${plural(usage.count, what === "reads" ? "read" : "write")}`;
  return `${label} of ${column}: ${usage.verdict === "zero" ? "none" : "unproven"}`;
}

/**
 * Red only where something is wrong: below 100% the legacy path reads the old column by design;
 * at 100% a read means some context bypassed the flag.
 */
export function oldColumnReadsAlarm(reads: UsageVerdict, flag: { percentage: number; killed: boolean }): boolean {
  return reads.verdict === "seen" && flag.percentage === 100 && !flag.killed;
}

export function divergentRowsText(rows: DivergentRows): string {
  const scanned = plural(rows.rowsScanned, "row");
  switch (rows.scan) {
    case "none":
      return "No scan has run yet.";
    case "running":
      return `Scanning: ${scanned} so far, ${counts.format(rows.divergent)} differing so far.`;
    case "done":
      return rows.divergent === 0 ? `No rows differ: ${scanned} scanned.` : `${counts.format(rows.divergent)} of ${scanned} differ.`;
  }
}

export function divergentRowsAlarm(rows: DivergentRows): boolean {
  return rows.scan !== "none" && rows.divergent > 0;
}

export interface LockWaitPoint {
  t: number;
  waitingSamples: number;
  maxWaiting: number;
}

export function lockWaitPoints(minutes: readonly LockWaitMinute[]): LockWaitPoint[] {
  return minutes.map((minute) => ({ t: Date.parse(minute.at), waitingSamples: minute.waitingSamples, maxWaiting: minute.maxWaiting }));
}

/** Lock waits over the window in one sentence; "none seen" when no sample caught a session waiting. */
export function lockWaitsText(lockWaits: LockWaits): string {
  const samples = lockWaits.minutes.reduce((sum, minute) => sum + minute.samples, 0);
  const waiting = lockWaits.minutes.reduce((sum, minute) => sum + minute.waitingSamples, 0);
  if (samples === 0) return `No samples of lock waits on ${lockWaits.table} yet.`;
  if (waiting === 0) return `None seen: no session waited on a lock on ${lockWaits.table} in ${plural(samples, "sample")}.`;
  const most = Math.max(...lockWaits.minutes.map((minute) => minute.maxWaiting));
  return `Sessions waited on a lock on ${lockWaits.table} in ${counts.format(waiting)} of ${plural(samples, "sample")}; at most ${counts.format(most)} at once.`;
}

/** A chart spans at least this much, so a few fresh samples are not one line at the right edge. */
const MIN_WINDOW_MS = 15 * MINUTE_MS;

/**
 * A chart's time span: from a minute before its oldest point to the read, at least 15 minutes and
 * at most the six hours the server reads, so a connection made minutes ago is not a sliver.
 */
export function evidenceWindow(asOf: number, times: readonly number[]): { from: number; to: number } {
  const oldest = times.length > 0 ? Math.min(...times) - MINUTE_MS : asOf - EVIDENCE_WINDOW_MS;
  return { from: Math.max(asOf - EVIDENCE_WINDOW_MS, Math.min(oldest, asOf - MIN_WINDOW_MS)), to: asOf };
}

const TICK_STEPS_MS: [span: number, step: number][] = [
  [20 * MINUTE_MS, 5 * MINUTE_MS],
  [60 * MINUTE_MS, 10 * MINUTE_MS],
  [180 * MINUTE_MS, 30 * MINUTE_MS],
];

/** Ticks on round UTC times across a chart's span: every 5 minutes for a short one, on the hour for six hours. */
export function timeTicks(from: number, to: number): number[] {
  const step = TICK_STEPS_MS.find(([span]) => to - from <= span)?.[1] ?? 60 * MINUTE_MS;
  const ticks: number[] = [];
  for (let t = Math.ceil(from / step) * step; t <= to; t += step) ticks.push(t);
  return ticks;
}
