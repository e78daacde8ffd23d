import type { Db } from "@/lib/db/client";
import { requireEnvironment } from "@/lib/environments/environment-store";
import { findRemovalTicket, requireFlag } from "@/lib/flags/flag-store";
import { findAppDatabaseForEnvironment, findIndexScanSamples } from "./app-database-store";
import { checkColumns, type ColumnsCheck, type Contraction } from "./checks/columns-check";
import { indexScanRates, readIndexScans, type IndexScanRate, type IndexScanReading } from "./checks/index-scans";
import { contractionSteps, type ContractionStep } from "./contraction-sql";
import { findDivergenceScan } from "./divergence-scan";
import { usageVerdict } from "./old-column-verdict";
import { withReadOnlySession } from "./read-only-session";
import { storedDsn, UNREADABLE_DSN } from "./stored-dsn";
import { findActivityMinutes, findStatementSamples, summarizeStatementSamples, sumActivity, type StatementSample } from "./usage-sample-store";

/** A check's result, or why there is none: never a guess. */
export type Evidence<T> = ({ status: "checked" } & T) | { status: "unavailable"; detail: string } | { status: "not_applicable"; detail: string };

export interface IndexUsage {
  table: string;
  index: string;
  /** Scans per minute between the minute samples of the last six hours; resets shown, not negative. */
  rates: IndexScanRate[];
  lastSampledAt: string | null;
  caveat: string;
}

export interface DatabaseEvidence {
  key: string;
  environment: string;
  appDatabase: { name: string; kind: string } | null;
  contraction: (Contraction & { newIndex: string | null }) | null;
  asOf: string;
  columns: Evidence<ColumnsCheck>;
  indexUsage: Evidence<IndexUsage>;
  divergentRows: Evidence<DivergentRows>;
  oldColumnUsage: Evidence<OldColumnUsage>;
  lockWaits: Evidence<LockWaits>;
  /** Stage 4's statements, in order, for this database; null without a contraction. */
  contractionSql: ContractionStep[] | null;
}

/** A minute of old-column statements: call deltas since the sample before; null where the counters were reset or entries evicted. */
export interface StatementMinute {
  at: string;
  reads: number | null;
  writes: number | null;
  reset: boolean;
}

/** A minute of 5-second samples of the running queries. */
export interface ActivityMinute {
  at: string;
  samples: number;
  reads: number;
  writes: number;
}

/** Reads and writes of the old column over a window: `zero` only where the statement counters prove it. */
export interface UsageVerdict {
  verdict: "zero" | "seen" | "unproven";
  count: number;
  detail: string;
}

export interface OldColumnUsage {
  table: string;
  column: string;
  /** Cumulative statement statistics (pg_stat_statements, or events_statements_summary_by_digest), per minute. */
  statements: { source: "pg_stat_statements" | "performance_schema"; minutes: StatementMinute[]; caveat: string } | { source: null; why: string };
  /** pg_stat_activity (or the process list) every 5 s, the seed's query. */
  activity: { minutes: ActivityMinute[]; caveat: string };
  /** Over the stage 2 window (the ticket's legacy-zero days): what stage 2 reads. */
  window: { from: string; to: string; reads: UsageVerdict; writes: UsageVerdict };
  lastSampledAt: string | null;
}

/** Sessions waiting on a lock on the contracted table, sampled every 5 s. */
export interface LockWaitMinute {
  at: string;
  samples: number;
  /** Samples in which at least one session was waiting. */
  waitingSamples: number;
  maxWaiting: number;
}

export interface LockWaits {
  table: string;
  minutes: LockWaitMinute[];
  lastSampledAt: string | null;
  caveat: string;
}

/** The last scan of `old IS DISTINCT FROM new`, or the one in progress. */
export interface DivergentRows {
  scan: "running" | "done" | "none";
  rowsScanned: number;
  divergent: number;
  startedAt: string | null;
  finishedAt: string | null;
  caveat: string;
}

const RATE_WINDOW_MS = 6 * 3_600_000;

/** The flag's contraction and the environment's application database, as Rampart stores them. */
async function evidenceScope(db: Db, key: string, env: string) {
  const environment = await requireEnvironment(db, env);
  const flag = await requireFlag(db, key);
  const ticket = await findRemovalTicket(db, flag.id);
  const contraction =
    ticket?.contractionTable && ticket.contractionOldColumn
      ? { table: ticket.contractionTable, oldColumn: ticket.contractionOldColumn, newColumn: ticket.contractionNewColumn, newIndex: ticket.contractionNewIndex }
      : null;
  const appDatabase = await findAppDatabaseForEnvironment(db, environment.id);
  return { environment, flag, contraction, appDatabase, legacyZeroDays: ticket?.legacyZeroDays ?? null };
}

/** The divergent-rows evidence alone: stored scans only, so it never waits on the application database. */
export async function readDivergentRowsEvidence(db: Db, key: string, env: string): Promise<Evidence<DivergentRows>> {
  const { environment, contraction, appDatabase } = await evidenceScope(db, key, env);
  if (!appDatabase) return { status: "not_applicable", detail: `No application database is connected for ${environment.key}.` };
  if (!contraction) return { status: "not_applicable", detail: "The removal ticket names no table and old column to contract." };
  return divergentRowsOf(db, environment.id, contraction);
}

/**
 * Old-column reads and writes over the ticket's zero-fallback window, from the stored samples only:
 * what stage 2 reads, so it never waits on the application database.
 */
export async function readOldColumnUsageEvidence(db: Db, key: string, env: string, now = new Date()): Promise<Evidence<OldColumnUsage>> {
  const { environment, contraction, appDatabase, legacyZeroDays } = await evidenceScope(db, key, env);
  if (!appDatabase) return { status: "not_applicable", detail: `No application database is connected for ${environment.key}.` };
  if (!contraction) return { status: "not_applicable", detail: "The removal ticket names no table and old column to contract." };
  return oldColumnUsageOf(db, { environmentId: environment.id, table: contraction.table, oldColumn: contraction.oldColumn }, legacyZeroDays ?? 1, now);
}

/** What the environment's application database says about the flag's contraction, read now, read-only. */
export async function readDatabaseEvidence(db: Db, key: string, env: string, now = new Date()): Promise<DatabaseEvidence> {
  const { environment, flag, contraction, appDatabase, legacyZeroDays } = await evidenceScope(db, key, env);
  const base = { key: flag.key, environment: environment.key, appDatabase: appDatabase ? { name: appDatabase.name, kind: appDatabase.kind } : null, contraction, asOf: now.toISOString() };
  const none = (detail: string) => ({ status: "not_applicable" as const, detail });
  if (!appDatabase) {
    const detail = `No application database is connected for ${environment.key}.`;
    const contractionSql = contraction ? contractionSteps(null, contraction, null) : null;
    return { ...base, columns: none(detail), indexUsage: none(detail), divergentRows: none(detail), oldColumnUsage: none(detail), lockWaits: none(detail), contractionSql };
  }
  if (!contraction) {
    const detail = "The removal ticket names no table and old column to contract.";
    return { ...base, columns: none(detail), indexUsage: none(detail), divergentRows: none(detail), oldColumnUsage: none(detail), lockWaits: none(detail), contractionSql: null };
  }

  const dsn = storedDsn(appDatabase.dsnCiphertext);
  const live =
    dsn === null
      ? Promise.reject(new Error(UNREADABLE_DSN))
      : withReadOnlySession(appDatabase.kind, dsn, async (query) => ({
          columns: await checkColumns(appDatabase.kind, query, contraction),
          index: contraction.newIndex ? await readIndexScans(appDatabase.kind, query, { table: contraction.table, index: contraction.newIndex }) : null,
        }));
  const read = await live.then(
    (found) => ({ ok: true as const, ...found }),
    (error: unknown) => ({ ok: false as const, detail: error instanceof Error ? error.message : "no answer" }),
  );
  const columns: Evidence<ColumnsCheck> = read.ok ? { status: "checked", ...read.columns } : { status: "unavailable", detail: read.detail };
  const indexUsage = contraction.newIndex
    ? await indexUsageOf(db, { environmentId: environment.id, table: contraction.table, index: contraction.newIndex }, read.ok ? read.index : null, read.ok ? null : read.detail, now)
    : none("The contraction names no new index; add it to the removal ticket to follow its scans.");
  const usageKey = { environmentId: environment.id, table: contraction.table, oldColumn: contraction.oldColumn };
  return {
    ...base,
    columns,
    indexUsage,
    divergentRows: await divergentRowsOf(db, environment.id, contraction),
    oldColumnUsage: await oldColumnUsageOf(db, usageKey, legacyZeroDays ?? 1, now),
    lockWaits: await lockWaitsOf(db, usageKey, now),
    contractionSql: contractionSteps(appDatabase.kind, contraction, columns.status === "checked" ? columns.old : null),
  };
}

async function divergentRowsOf(db: Db, environmentId: number, contraction: Contraction): Promise<Evidence<DivergentRows>> {
  if (!contraction.newColumn) return { status: "not_applicable", detail: "The contraction names no new column to compare the old one with." };
  const scan = await findDivergenceScan(db, environmentId, { table: contraction.table, oldColumn: contraction.oldColumn, newColumn: contraction.newColumn });
  if (scan?.status === "unavailable") return { status: "unavailable", detail: scan.detail ?? "The last scan could not finish." };
  return {
    status: "checked",
    scan: scan?.status ?? "none",
    rowsScanned: scan?.rowsScanned ?? 0,
    divergent: scan?.divergent ?? 0,
    startedAt: scan?.startedAt.toISOString() ?? null,
    finishedAt: scan?.finishedAt?.toISOString() ?? null,
    caveat: `Counts rows where ${contraction.oldColumn} IS DISTINCT FROM ${contraction.newColumn}, in batches of 1,000 by primary key: rows written during a scan may be counted before they change.`,
  };
}

async function indexUsageOf(
  db: Db,
  target: { environmentId: number; table: string; index: string },
  reading: IndexScanReading | null,
  unavailableDetail: string | null,
  now: Date,
): Promise<Evidence<IndexUsage>> {
  if (reading && !reading.available) return { status: "unavailable", detail: reading.why };
  const samples = await findIndexScanSamples(db, target, new Date(now.getTime() - RATE_WINDOW_MS));
  if (samples.length === 0 && unavailableDetail) return { status: "unavailable", detail: unavailableDetail };
  return {
    status: "checked",
    table: target.table,
    index: target.index,
    rates: indexScanRates(samples),
    lastSampledAt: samples.at(-1)?.sampledAt.toISOString() ?? null,
    caveat: "Sampled every minute from the server's index statistics: every query through the index counts, not only the flag's.",
  };
}

const DAY_MS = 86_400_000;
type UsageKey = { environmentId: number; table: string; oldColumn: string };

async function oldColumnUsageOf(db: Db, key: UsageKey, days: number, now: Date): Promise<Evidence<OldColumnUsage>> {
  const from = new Date(now.getTime() - days * DAY_MS);
  const column = `${key.table}.${key.oldColumn}`;
  const summary = await summarizeStatementSamples(db, key, from, now);
  const activity = await sumActivity(db, key, from, now);
  const since = new Date(now.getTime() - RATE_WINDOW_MS);
  const samples = await findStatementSamples(db, key, since);
  const newest = samples.at(-1);
  const source = samples.findLast((sample) => sample.source !== null)?.source ?? null;
  const statements: OldColumnUsage["statements"] =
    newest && newest.source !== null && source !== null
      ? {
          source,
          minutes: statementMinutes(samples),
          caveat: `Statements that name both ${key.table} and ${key.oldColumn}, matched on their text: a SELECT * reads the column without naming it, and a write may name it only to read it.`,
        }
      : { source: null, why: newest?.why ?? "Not sampled yet: the statement statistics are read once a minute." };
  const minutes = await findActivityMinutes(db, key, since);
  return {
    status: "checked",
    table: key.table,
    column: key.oldColumn,
    statements,
    activity: {
      minutes: minutes.map((m) => ({ at: m.minute.toISOString(), samples: m.samples, reads: m.reads, writes: m.writes })),
      caveat: "Sampled: can miss short queries. The running queries are read every 5 s, as the seed's pg_stat_activity check does.",
    },
    window: {
      from: from.toISOString(),
      to: now.toISOString(),
      reads: usageVerdict("reads", { from, to: now, column }, summary, activity),
      writes: usageVerdict("writes", { from, to: now, column }, summary, activity),
    },
    lastSampledAt: newest?.sampledAt.toISOString() ?? null,
  };
}

/** Call deltas between consecutive samples; null across a reset, an eviction or a sample without a reading. */
export function statementMinutes(samples: readonly StatementSample[]): StatementMinute[] {
  const minutes: StatementMinute[] = [];
  for (let i = 1; i < samples.length; i++) {
    const before = samples[i - 1]!;
    const after = samples[i]!;
    const broken =
      before.reads === null ||
      after.reads === null ||
      after.reads < before.reads ||
      after.writes! < before.writes! ||
      before.statsReset?.getTime() !== after.statsReset?.getTime() ||
      (after.evicted ?? 0) > (before.evicted ?? 0);
    minutes.push({ at: after.sampledAt.toISOString(), reads: broken ? null : after.reads! - before.reads!, writes: broken ? null : after.writes! - before.writes!, reset: broken });
  }
  return minutes;
}

async function lockWaitsOf(db: Db, key: UsageKey, now: Date): Promise<Evidence<LockWaits>> {
  const minutes = await findActivityMinutes(db, key, new Date(now.getTime() - RATE_WINDOW_MS));
  if (minutes.length > 0 && minutes.every((m) => m.lockWaitingSamples === null)) {
    return { status: "unavailable", detail: "This server does not show lock waits to Rampart's role (MySQL 8: performance_schema.data_lock_waits; MariaDB: PROCESS for information_schema.innodb_lock_waits)." };
  }
  return {
    status: "checked",
    table: key.table,
    minutes: minutes.map((m) => ({ at: m.minute.toISOString(), samples: m.samples, waitingSamples: m.lockWaitingSamples ?? 0, maxWaiting: m.maxLockWaiting ?? 0 })),
    lastSampledAt: minutes.at(-1)?.minute.toISOString() ?? null,
    caveat: "Sessions waiting on a lock while holding one on the table, sampled every 5 s: a wait shorter than that can be missed.",
  };
}
