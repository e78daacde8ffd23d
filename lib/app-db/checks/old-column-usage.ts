import type { AppDbKind } from "../app-db-kind";
import type { ReadOnlyQuery } from "../read-only-session";
import { splitTableName } from "./table-name";

/** A contraction's table and old column: the statements naming both are what stage 2 and 4 wait on. */
export interface OldColumnTarget {
  table: string;
  oldColumn: string;
}

/**
 * Rampart's own statements that name the columns (the divergent-rows scan) carry this alias, so
 * they never count as the application's. Comments do not survive MySQL's digests; an alias does.
 */
export const OWN_STATEMENT_MARK = "rampart_evidence";

export type StatementReading =
  | { available: true; source: "pg_stat_statements" | "performance_schema"; reads: number; writes: number; statsReset: Date | null; evicted: number | null }
  | { available: false; why: string };

export interface ActivityReading {
  reads: number;
  writes: number;
  /** Sessions waiting on a lock on the table now; null where the server does not say. */
  lockWaiting: number | null;
}

/** Whether SQL text names the table and the column as whole words (so `order_status` is not `status`). */
export function namesOldColumn(sql: string, target: OldColumnTarget): boolean {
  if (sql.includes(OWN_STATEMENT_MARK)) return false;
  const { table } = splitTableName(target.table);
  return wholeWord(target.oldColumn).test(sql) && wholeWord(table).test(sql);
}

/**
 * A statement that changes rows is a write, even where it only reads the old column to do it.
 * DDL, EXPLAIN and maintenance touch no rows the application serves: neither.
 */
export function statementKind(sql: string): "read" | "write" | "neither" {
  const head = sql.replace(/^(\s|\(|\/\*[\s\S]*?\*\/|--[^\n]*\n)+/, "").toLowerCase();
  if (/^(insert|update|delete|merge|replace)\b/.test(head)) return "write";
  if (/^with\b/.test(head)) return /\b(insert|update|delete|merge)\b/.test(head) ? "write" : "read";
  if (/^copy\b/.test(head)) return /\bfrom\b/.test(head.replace(/\(.*\)/s, "")) ? "write" : "read";
  if (/^(select|table|values|declare)\b/.test(head)) return "read";
  return "neither";
}

function wholeWord(name: string): RegExp {
  return new RegExp(`(^|[^A-Za-z0-9_$])${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}($|[^A-Za-z0-9_$])`, "i");
}

/** What each statement of an application database is to one old column: read, write or neither. */
export type StatementKinds = Map<string, "read" | "write" | "neither">;

/** Past this many remembered statements the memory starts again (pg_stat_statements keeps 5,000 by default). */
const MAX_KNOWN_STATEMENTS = 50_000;

/**
 * Call counts of the statements naming the old column, cumulative since the server's statistics began.
 * On PostgreSQL `known` remembers each queryid's kind across reads, so a minute's read fetches calls
 * without the text, and text only for statements not seen before: reading every statement's text
 * each minute was most of what the sampler cost a busy server (docs/benchmarks.md).
 */
export async function readOldColumnStatements(kind: AppDbKind, query: ReadOnlyQuery, target: OldColumnTarget, known: StatementKinds = new Map()): Promise<StatementReading> {
  const like = likePatterns(target);
  if (kind === "postgresql") {
    const [setting] = await query("select current_setting('shared_preload_libraries') as libraries");
    const [installed] = await query(
      "select n.nspname as schema from pg_extension e join pg_namespace n on n.oid = e.extnamespace where e.extname = 'pg_stat_statements'",
    );
    if (!String(setting?.libraries ?? "").includes("pg_stat_statements") || !installed) {
      return {
        available: false,
        why: "pg_stat_statements is not installed here (shared_preload_libraries, then CREATE EXTENSION pg_stat_statements): only 5-second samples of running queries are taken, and they cannot prove zero.",
      };
    }
    const schema = `"${String(installed.schema).replace(/"/g, '""')}"`;
    const thisDatabase = "dbid = (select oid from pg_database where datname = current_database())";
    // Every tracked statement has a queryid (pg_stat_statements computes it, or compute_query_id does).
    const calls = await query(`select queryid::text as queryid, sum(calls)::float8 as calls from ${schema}.pg_stat_statements(false) where ${thisDatabase} and queryid is not null group by queryid`);
    const unseen = calls.map((row) => String(row.queryid)).filter((id) => !known.has(id));
    if (unseen.length > 0) {
      if (known.size + unseen.length > MAX_KNOWN_STATEMENTS) known.clear();
      const texts = await query(`select queryid::text as queryid, query from ${schema}.pg_stat_statements(true) where ${thisDatabase} and queryid = any($1::bigint[])`, [unseen]);
      for (const row of texts) known.set(String(row.queryid), kindFor(String(row.query), target));
    }
    const [info] = await query(`select to_regclass('${schema}.pg_stat_statements_info') is not null as present`);
    const [stats] = info?.present ? await query(`select dealloc, stats_reset from ${schema}.pg_stat_statements_info`) : [undefined];
    let reads = 0;
    let writes = 0;
    for (const row of calls) {
      const kindOf = known.get(String(row.queryid));
      if (kindOf === "read") reads += Number(row.calls);
      else if (kindOf === "write") writes += Number(row.calls);
    }
    return {
      available: true,
      source: "pg_stat_statements",
      reads,
      writes,
      statsReset: stats ? new Date(stats.stats_reset as string | Date) : null,
      evicted: stats ? Number(stats.dealloc) : null,
    };
  }
  const [settings] = await query("select @@performance_schema as on_");
  if (Number(settings?.on_) !== 1) {
    return {
      available: false,
      why: "performance_schema is off on this server: statement digests live there (performance_schema = ON in my.cnf, then a restart). Only 5-second samples of the process list are taken, and they cannot prove zero.",
    };
  }
  const rows = await query(
    "select digest_text, count_star from performance_schema.events_statements_summary_by_digest where schema_name = database() and digest_text like ? and digest_text like ?",
    like,
  );
  const [lost] = await query("select variable_value as lost from performance_schema.global_status where variable_name = 'Performance_schema_digest_lost'");
  return {
    available: true,
    source: "performance_schema",
    ...sumCalls(rows.map((row) => ({ sql: String(row.digest_text), calls: Number(row.count_star) })), target),
    statsReset: null,
    evicted: lost ? Number(lost.lost) : null,
  };
}

/** The running queries naming the old column, and the sessions waiting on a lock on the table, now. */
export async function readActivity(kind: AppDbKind, query: ReadOnlyQuery, target: OldColumnTarget): Promise<ActivityReading> {
  const like = likePatterns(target);
  const running =
    kind === "postgresql"
      ? await query(
          "select query as query_text from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and state = 'active' and application_name <> 'rampart-evidence' and query ilike $1 and query ilike $2",
          like,
        )
      : await query("select info as query_text from information_schema.processlist where db = database() and id <> connection_id() and command = 'Query' and info like ? and info like ?", like);
  const counts = sumCalls(running.map((row) => ({ sql: String(row.query_text), calls: 1 })), target);
  return { ...counts, lockWaiting: await readLockWaiting(kind, query, target.table) };
}

async function readLockWaiting(kind: AppDbKind, query: ReadOnlyQuery, table: string): Promise<number | null> {
  if (kind === "postgresql") {
    // A row-lock waiter waits on the holder's transaction id while holding its lock on the table.
    const [row] = await query(
      "select count(*)::int as waiting from pg_stat_activity a where a.wait_event_type = 'Lock' and a.datname = current_database() and exists (select 1 from pg_locks l where l.pid = a.pid and l.granted and l.relation = to_regclass($1))",
      [table],
    );
    return Number(row?.waiting ?? 0);
  }
  const { schema, table: name } = splitTableName(table);
  const [server] = await query("select version() as version, @@performance_schema as ps");
  try {
    if (/mariadb/i.test(String(server?.version))) {
      const [row] = await query(
        "select count(distinct w.requesting_trx_id) as waiting from information_schema.innodb_lock_waits w join information_schema.innodb_locks l on l.lock_id = w.requested_lock_id where l.lock_table = concat('`', coalesce(?, database()), '`.`', ?, '`')",
        [schema, name],
      );
      return Number(row?.waiting ?? 0);
    }
    if (Number(server?.ps) !== 1) return null;
    const [row] = await query(
      "select count(distinct w.requesting_engine_transaction_id) as waiting from performance_schema.data_lock_waits w join performance_schema.data_locks l on l.engine_lock_id = w.requesting_engine_lock_id where l.object_schema = coalesce(?, database()) and l.object_name = ?",
      [schema, name],
    );
    return Number(row?.waiting ?? 0);
  } catch {
    // Without PROCESS the lock tables refuse; that is "not exposed", not a dead database.
    return null;
  }
}

function likePatterns(target: OldColumnTarget): [string, string] {
  const escape = (word: string) => `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return [escape(target.oldColumn), escape(splitTableName(target.table).table)];
}

/** What a statement is to the old column: a read or write of it, or neither when it does not name it. */
function kindFor(sql: string, target: OldColumnTarget): "read" | "write" | "neither" {
  return namesOldColumn(sql, target) ? statementKind(sql) : "neither";
}

function sumCalls(statements: { sql: string; calls: number }[], target: OldColumnTarget): { reads: number; writes: number } {
  let reads = 0;
  let writes = 0;
  for (const { sql, calls } of statements) {
    const kind = kindFor(sql, target);
    if (kind === "write") writes += calls;
    else if (kind === "read") reads += calls;
  }
  return { reads, writes };
}
