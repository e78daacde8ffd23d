// npm run bench:app-db — what Rampart's read-only evidence costs the application's database (issue 17).
// 1. One minute of the evidence sampler's steady-state work for one contraction (12 activity samples,
//    one minute sample), each in its own read-only session as lib/app-db/evidence-sampler.ts opens
//    them, under a light application load: server time from pg_stat_statements, backend CPU with
//    connection setup, client wall time. Embedded PostgreSQL 17 (pg_stat_statements) and MariaDB.
// 2. The divergent-rows scan of a 1,000,000-row table as runDivergenceScan runs it: the database CPU it
//    takes (an embedded PostgreSQL 17 of its own), and on the machine's PostgreSQL 15 and MariaDB its
//    rows/s and the p99 of the application's own queries during the scan against the same load without it.
// Both parts compare lib/'s way (one kept connection, a read-only transaction per sample or batch,
// statement text read once per statement) with the way before it (a new connection each time).
// BENCH_PARTS (steady,scan-cpu,scan) picks parts; BENCH_TICK_MS shortens the 5 s tick while trying things out.
import { execFileSync, fork, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import path from "node:path";
import mysql from "mysql2/promise";
import pg from "pg";
import type { AppDbKind } from "@/lib/app-db/app-db-kind";
import { readIndexScans } from "@/lib/app-db/checks/index-scans";
import { DIVERGENCE_BATCH_ROWS, primaryKeyColumn, scanDivergenceBatch } from "@/lib/app-db/checks/divergent-rows";
import { pauseAfterBatch } from "@/lib/app-db/divergence-scan";
import { readActivity, readOldColumnStatements, type StatementKinds } from "@/lib/app-db/checks/old-column-usage";
import { keepConnection, withReadOnlySession, type ReadOnlyQuery } from "@/lib/app-db/read-only-session";
import { startEmbeddedAppPostgres } from "@/testing/embedded-app-postgres";
import { givenScratchAppDb, type ScratchAppDb } from "@/testing/scratch-app-db";
import type { LoadCommand, LoadMessage, LoadReport } from "./bench-app-db-load.mts";

const PARTS = (process.env.BENCH_PARTS ?? "steady,scan-cpu,scan").split(",");
const TICK_MS = Number(process.env.BENCH_TICK_MS ?? 5_000);
const TICKS_PER_MINUTE = 12;
/** Minutes per way of connecting, interleaved, so drift on the shared machine falls on all alike. */
const MINUTES = Number(process.env.BENCH_MINUTES ?? 3);
const STEADY_ROWS = 100_000;
const STEADY_RATE = 100;
/** Other statements in pg_stat_statements for the "busy server" row, each about 1 KB of text. */
const FILLER_STATEMENTS = Number(process.env.BENCH_FILLER_STATEMENTS ?? 2_000);
const SCAN_ROWS = Number(process.env.BENCH_SCAN_ROWS ?? 1_000_000);
const MARIADB_SCAN_ROWS = Number(process.env.BENCH_MARIADB_SCAN_ROWS ?? SCAN_ROWS);
/** Full scans per way of connecting, each cut into windows that alternate with equal windows without it. */
const SCAN_ROUNDS = Number(process.env.BENCH_SCAN_ROUNDS ?? 2);
const SCAN_WINDOW_MS = Number(process.env.BENCH_SCAN_WINDOW_MS ?? 10_000);
/** BENCH_APP_SYNC_COMMIT=off: the PostgreSQL app load commits without waiting for its WAL flush (see the load). */
const APP_SYNC_COMMIT = process.env.BENCH_APP_SYNC_COMMIT !== "off";
const SCAN_WAYS = (process.env.BENCH_SCAN_WAYS ?? "session,kept,paced").split(",");
const SCAN_RATE = 200;
const SCAN_PAUSE_MS = 50;
const CLOCK_TICKS_PER_SECOND = Number(execFileSync("getconf", ["CLK_TCK"]).toString().trim());

const contraction = { table: "orders", oldColumn: "status", newColumn: "order_status", index: "idx_orders_order_status" };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const hex = () => randomBytes(4).toString("hex");
const load1 = () => loadavg()[0]!.toFixed(2);

// Everything the run creates is undone in reverse, on success, failure or Ctrl-C.
const cleanups: (() => Promise<unknown>)[] = [];
async function cleanUp(): Promise<void> {
  while (cleanups.length > 0) await cleanups.pop()!().catch((error: unknown) => console.error("[bench:app-db] cleanup:", error instanceof Error ? error.message : error));
}
for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => void cleanUp().finally(() => process.exit(130)));

// ---------------------------------------------------------------------------------------------
// The application's tables and load

function populateSql(kind: AppDbKind, rows: number): string[] {
  // One row in a hundred is not backfilled yet (order_status null, new_total apart), so the scan has something to find.
  if (kind === "postgresql") {
    return [
      `insert into orders (status, order_status, legacy_total, new_total)
         select s, case when i % 100 = 0 then null else s end, t, case when i % 100 = 0 then t + 1 else t end
           from (select i, case when i % 1000 = 500 then 'refunded' else (array['pending','paid','shipped','cancelled'])[1 + i % 4] end as s,
                        round((i % 10000) / 100.0, 2) as t
                   from generate_series(1, ${rows}) i) x`,
      "vacuum analyze orders",
    ];
  }
  return [
    `insert into orders (status, order_status, legacy_total, new_total)
       select s, if(seq % 100 = 0, null, s), t, if(seq % 100 = 0, t + 1, t)
         from (select seq, if(seq % 1000 = 500, 'refunded', elt(1 + seq % 4, 'pending', 'paid', 'shipped', 'cancelled')) as s, round((seq % 10000) / 100, 2) as t
                 from seq_1_to_${rows}) x`,
    "analyze table orders",
  ];
}

async function populate(app: ScratchAppDb, rows: number): Promise<void> {
  for (const sql of populateSql(app.kind, rows)) await app.exec(sql);
}

function describeTraffic(report: Extract<LoadReport, { type: "collected" }>): string {
  const queries = allLatencies(report.latencies).length;
  return `app ${(queries / report.seconds).toFixed(0)} q/s, ${report.errors} errors${report.firstError ? ` (${report.firstError})` : ""}`;
}

interface AppLoad {
  /** Starts a measuring window; `collect` answers its latencies. */
  window(): void;
  collect(): Promise<Extract<LoadReport, { type: "collected" }>>;
  stop(): Promise<void>;
}

async function startLoad(command: Omit<LoadCommand, "type">): Promise<AppLoad> {
  const child: ChildProcess = fork(path.join(import.meta.dirname, "bench-app-db-load.mts"), [], { execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const next = () =>
    new Promise<LoadReport>((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`the load process exited (${code})`));
      child.once("exit", onExit);
      child.once("message", (report: LoadReport) => {
        child.off("exit", onExit);
        if (report.type === "failed") reject(new Error(`the load process failed: ${report.message}`));
        else resolve(report);
      });
    });
  const send = (message: LoadMessage) => child.send(message);
  let stopped = false;
  const stop = async () => {
    if (stopped || child.exitCode !== null) return;
    stopped = true;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    send({ type: "stop" });
    await Promise.race([exited, sleep(5_000).then(() => child.kill("SIGKILL"))]);
  };
  cleanups.push(stop);
  const started = next();
  send({ type: "start", ...command });
  await started;
  return {
    window: () => send({ type: "window" }),
    collect: async () => {
      const report = next();
      send({ type: "collect" });
      return (await report) as Extract<LoadReport, { type: "collected" }>;
    },
    stop,
  };
}

// ---------------------------------------------------------------------------------------------
// Part 1: the sampler's minute

/** A read-only session as the sampler gets one: `work` runs inside it, then it ends. */
type Session = <T>(work: (query: ReadOnlyQuery) => Promise<T>) => Promise<T>;

interface MinuteResult {
  sessions: number;
  wallMs: number;
  activityMs: number[];
  minuteSampleMs: number;
  readings: string;
}

/** evidenceTick's order: the activity sample every tick, the minute sample after it on the first. */
async function samplerMinute(kind: AppDbKind, session: Session, known?: StatementKinds): Promise<MinuteResult> {
  const activityMs: number[] = [];
  let minuteSampleMs = 0;
  let readings = "";
  const start = performance.now();
  for (let tick = 0; tick < TICKS_PER_MINUTE; tick++) {
    const wait = start + tick * TICK_MS - performance.now();
    if (wait > 0) await sleep(wait);
    let t = performance.now();
    const activity = await session((query) => readActivity(kind, query, contraction));
    activityMs.push(performance.now() - t);
    if (tick === 0) {
      t = performance.now();
      const [index, statements] = await session(async (query) => [await readIndexScans(kind, query, contraction), await readOldColumnStatements(kind, query, contraction, known)] as const);
      minuteSampleMs = performance.now() - t;
      readings =
        `activity ${JSON.stringify(activity)}; ` +
        `index ${index.available ? `idx_scan ${index.idxScan}` : "unavailable"}; ` +
        `statements ${statements.available ? `${statements.source} reads ${statements.reads} writes ${statements.writes}` : "unavailable"}`;
    }
  }
  const wallMs = activityMs.reduce((a, b) => a + b, 0) + minuteSampleMs;
  return { sessions: TICKS_PER_MINUTE + 1, wallMs, activityMs, minuteSampleMs, readings };
}

/**
 * lib/'s kept connection (keepConnection), each sample its own read-only transaction, with the
 * statement kinds remembered across minute samples as the sampler keeps them. Closed by `close` or the cleanup.
 */
async function keptSession(kind: AppDbKind, dsn: string): Promise<{ session: Session; backendPid: number | null; known: StatementKinds; close(): Promise<void> }> {
  const connection = keepConnection(kind, dsn, { idleMs: 3_600_000 });
  const session: Session = (work) => connection.run(work);
  cleanups.push(() => connection.close());
  const backendPid = kind === "postgresql" ? Number((await session((query) => query("select pg_backend_pid() as pid")))[0]!.pid) : null;
  return { session, backendPid, known: new Map(), close: () => connection.close() };
}

interface StatementTotal {
  query: string;
  calls: number;
  execMs: number;
  planMs: number;
}

async function statementTotals(admin: pg.Client, role: string): Promise<Map<string, StatementTotal>> {
  const { rows } = await admin.query("select queryid::text as id, query, calls, total_exec_time, total_plan_time from pg_stat_statements where userid = $1::regrole", [role]);
  return new Map(rows.map((row) => [String(row.id), { query: String(row.query), calls: Number(row.calls), execMs: Number(row.total_exec_time), planMs: Number(row.total_plan_time) }]));
}

function statementDelta(before: Map<string, StatementTotal>, after: Map<string, StatementTotal>): StatementTotal[] {
  return [...after].map(([id, total]) => {
    const was = before.get(id);
    return { query: total.query, calls: total.calls - (was?.calls ?? 0), execMs: total.execMs - (was?.execMs ?? 0), planMs: total.planMs - (was?.planMs ?? 0) };
  });
}

/** CPU of a process and of its children that have exited and been reaped, in ms (clock-tick resolution). */
function processCpuMs(pid: number): { ownMs: number; reapedChildrenMs: number } {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  const ms = (i: number) => (Number(fields[i]) * 1000) / CLOCK_TICKS_PER_SECOND;
  return { ownMs: ms(11) + ms(12), reapedChildrenMs: ms(13) + ms(14) };
}
const parentPid = (pid: number) => Number(readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ")[1]);
/** Time on CPU of a live process, in ns (scheduler accounting, not ticks). */
const onCpuMs = (pid: number) => Number(readFileSync(`/proc/${pid}/schedstat`, "utf8").split(" ")[0]) / 1e6;

interface MinuteMeasure {
  minute: MinuteResult;
  statements?: StatementTotal[];
  backendCpuMs?: number;
}

interface SteadyRow {
  database: string;
  how: string;
  minutes: MinuteMeasure[];
}

const PER_SAMPLE = "a new connection per sample (lib/ before)";
const KEPT = "one kept connection, a transaction per sample, statement text read once (lib/ now)";

function steadyRow(rows: SteadyRow[], database: string, how: string): SteadyRow {
  let row = rows.find((r) => r.database === database && r.how === how);
  if (!row) rows.push((row = { database, how, minutes: [] }));
  return row;
}

interface ConnectionCost {
  perConnectCpuMs: number;
  perConnectWallMs: number;
  emptySessionWallMs: number;
  busyServer: string;
  /** Client wall time of one read of pg_stat_statements on the busy server, median of 10. */
  statementReadWithTextMs: number;
  statementReadWithoutTextMs: number;
}

async function steadyStatePostgres(rows: SteadyRow[]): Promise<ConnectionCost> {
  const database = "PostgreSQL 17 (embedded, pg_stat_statements)";
  console.log(`\nsteady state, ${database}: starting (1-minute load ${load1()})`);
  const keep = cleanups.length;
  const server = await startEmbeddedAppPostgres();
  // The scratch database and the role live in the embedded cluster and go with it.
  cleanups.push(() => server.stop());
  const app = await givenScratchAppDb("postgresql", { server: server.server });
  await populate(app, STEADY_ROWS);
  const role = `rampart_monitor_${hex()}`;
  const password = hex();
  await app.exec(`create role ${role} login password '${password}' in role pg_monitor`);
  await app.exec(`grant select on orders to ${role}`);
  // Planning time is spent whether or not it is tracked; track it for Rampart's role only.
  await app.exec(`alter role ${role} set pg_stat_statements.track_planning = on`);
  const monitorUrl = new URL(app.dsn);
  monitorUrl.username = role;
  monitorUrl.password = password;
  const monitorDsn = monitorUrl.toString();

  const admin = new pg.Client({ connectionString: app.dsn });
  admin.on("error", () => undefined);
  await admin.connect();
  cleanups.push(() => admin.end());
  // Exited backends' CPU is summed on the postmaster; autovacuum workers would land there too.
  await admin.query("alter system set autovacuum = off");
  await admin.query("select pg_reload_conf()");
  const postmaster = parentPid(Number((await admin.query("select pg_backend_pid() as pid")).rows[0].pid));
  const postmasterCpuMs = () => {
    const cpu = processCpuMs(postmaster);
    return cpu.ownMs + cpu.reapedChildrenMs;
  };

  // What a connection costs by itself: 100 bare connects, then 100 empty read-only sessions.
  let cpuBefore = postmasterCpuMs();
  let t = performance.now();
  for (let i = 0; i < 100; i++) {
    const client = new pg.Client({ connectionString: monitorDsn });
    await client.connect();
    await client.end();
  }
  const perConnectWallMs = (performance.now() - t) / 100;
  await sleep(200);
  const perConnectCpuMs = (postmasterCpuMs() - cpuBefore) / 100;
  t = performance.now();
  for (let i = 0; i < 100; i++) await withReadOnlySession("postgresql", monitorDsn, async () => undefined);
  const emptySessionWallMs = (performance.now() - t) / 100;

  const appLoad = await startLoad({ kind: "postgresql", dsn: app.dsn, rate: STEADY_RATE, pool: 4, rows: STEADY_ROWS, mix: "mixed", synchronousCommit: true });
  await sleep(5_000);

  const measure = async (how: string, session: Session, backendPid: number | null, known?: StatementKinds) => {
    await sleep(200);
    const before = await statementTotals(admin, role);
    cpuBefore = postmasterCpuMs();
    const keptBefore = backendPid === null ? 0 : onCpuMs(backendPid);
    appLoad.window();
    const minute = await samplerMinute("postgresql", session, known);
    const traffic = describeTraffic(await appLoad.collect());
    await sleep(200);
    // A kept backend is alive: its own CPU. New backends have exited: the postmaster's reaped children, and its forks.
    const backendCpuMs = backendPid === null ? postmasterCpuMs() - cpuBefore : onCpuMs(backendPid) - keptBefore;
    const statements = statementDelta(before, await statementTotals(admin, role)).filter((s) => s.calls > 0);
    steadyRow(rows, database, how).minutes.push({ minute, statements, backendCpuMs });
    console.log(`  ${how}: ${minute.readings}; ${traffic}; ${fmt(minute.wallMs)} ms wall, ${fmt(backendCpuMs, 0)} ms backend CPU (1-minute load ${load1()})`);
  };

  const perSample: Session = (work) => withReadOnlySession("postgresql", monitorDsn, work);
  const kept = await keptSession("postgresql", monitorDsn);
  for (let i = 0; i < MINUTES; i++) {
    await measure(PER_SAMPLE, perSample, null);
    await measure(KEPT, kept.session, kept.backendPid, kept.known);
  }

  // A production server's pg_stat_statements holds thousands of statements, and each read of the
  // view reads all their text. These are distinct shapes on another table, about 1.3 KB of text each.
  await app.exec(`create table ledger_entries (${Array.from({ length: 20 }, (_, i) => `c${i + 1} int`).join(", ")})`);
  for (let i = 0; i < FILLER_STATEMENTS; i++) {
    const list = Array.from({ length: 1 + (i % 100) }, (_, j) => `c${1 + (j % 20)} as ledger_column_${String(j).padStart(3, "0")}`).join(", ");
    await admin.query(`select ${list} from ledger_entries where c${1 + (Math.floor(i / 100) % 20)} = ${i}`);
  }
  const [{ entries, text_kb }] = (await admin.query("select count(*)::int as entries, (sum(length(query)) / 1024)::int as text_kb from pg_stat_statements")).rows;
  const busyServer = `${entries} statements (${Number(text_kb).toLocaleString("en-US")} KB of text)`;
  for (let i = 0; i < MINUTES; i++) {
    await measure(`${PER_SAMPLE}, pg_stat_statements holding ${busyServer}`, perSample, null);
    await measure(`${KEPT}, pg_stat_statements holding ${busyServer}`, kept.session, kept.backendPid, kept.known);
  }

  // The minute sample's read of pg_stat_statements with its text and ILIKE filters, as lib/ read it before, and without the text: calls by queryid only.
  const statementReads = { withText: [] as number[], withoutText: [] as number[] };
  const thisDatabase = "dbid = (select oid from pg_database where datname = current_database())";
  for (let i = 0; i < 10; i++) {
    await kept.session(async (query) => {
      let t = performance.now();
      await query(`select query, calls from pg_stat_statements where ${thisDatabase} and query ilike $1 and query ilike $2`, ["%status%", "%orders%"]);
      statementReads.withText.push(performance.now() - t);
      t = performance.now();
      await query(`select queryid, calls from pg_stat_statements(false) where ${thisDatabase}`);
      statementReads.withoutText.push(performance.now() - t);
    });
  }

  await cleanUpTo(keep);
  return {
    perConnectCpuMs,
    perConnectWallMs,
    emptySessionWallMs,
    busyServer,
    statementReadWithTextMs: percentile(statementReads.withText, 50),
    statementReadWithoutTextMs: percentile(statementReads.withoutText, 50),
  };
}

/** Runs the cleanups registered after the first `keep` of them. */
async function cleanUpTo(keep: number): Promise<void> {
  while (cleanups.length > keep) await cleanups.pop()!().catch((error: unknown) => console.error("[bench:app-db] cleanup:", error instanceof Error ? error.message : error));
}

/** A MariaDB user for Rampart with what the README asks: PROCESS, and SELECT on the table. */
async function givenMariadbMonitor(app: ScratchAppDb): Promise<string> {
  const user = `rampart_monitor_${hex()}`;
  const password = hex();
  const root = await mysql.createConnection({ uri: "mysql://root@127.0.0.1:3306/mysql" });
  const database = new URL(app.dsn).pathname.slice(1);
  try {
    await root.query(`create user '${user}'@'%' identified by '${password}'`);
    cleanups.push(async () => {
      const connection = await mysql.createConnection({ uri: "mysql://root@127.0.0.1:3306/mysql" });
      await connection.query(`drop user if exists '${user}'@'%'`);
      await connection.end();
    });
    await root.query(`grant process on *.* to '${user}'@'%'`);
    await root.query(`grant select on \`${database}\`.orders to '${user}'@'%'`);
  } finally {
    await root.end();
  }
  return `mysql://${user}:${password}@127.0.0.1:3306/${database}`;
}

/** A PostgreSQL role for Rampart with what the README asks: pg_monitor, and SELECT on the table. */
async function givenPostgresMonitor(app: ScratchAppDb): Promise<string> {
  const role = `rampart_monitor_${hex()}`;
  const password = hex();
  const inDatabase = async (dsn: string, sql: string) => {
    const client = new pg.Client({ connectionString: dsn });
    client.on("error", () => undefined);
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await inDatabase(app.dsn, `create role ${role} login password '${password}' in role pg_monitor`);
  // The database holds the role's grant, so it goes first (its drop is `if exists`: a second one is harmless).
  cleanups.push(async () => {
    await app.drop();
    await inDatabase(app.dsn.replace(/\/[^/]+$/, "/postgres"), `drop role if exists ${role}`);
  });
  await inDatabase(app.dsn, `grant select on orders to ${role}`);
  const url = new URL(app.dsn);
  url.username = role;
  url.password = password;
  return url.toString();
}

async function steadyStateMariadb(rows: SteadyRow[]): Promise<void> {
  console.log(`\nsteady state, MariaDB 10.11: starting (1-minute load ${load1()})`);
  const keep = cleanups.length;
  const app = await givenScratchAppDb("mysql");
  cleanups.push(() => app.drop());
  await populate(app, STEADY_ROWS);
  const monitorDsn = await givenMariadbMonitor(app);
  const appLoad = await startLoad({ kind: "mysql", dsn: app.dsn, rate: STEADY_RATE, pool: 4, rows: STEADY_ROWS, mix: "mixed", synchronousCommit: true });
  await sleep(5_000);
  const measure = async (how: string, session: Session) => {
    appLoad.window();
    const minute = await samplerMinute("mysql", session);
    const traffic = describeTraffic(await appLoad.collect());
    steadyRow(rows, "MariaDB 10.11 (performance_schema off)", how).minutes.push({ minute });
    console.log(`  ${how}: ${minute.readings}; ${traffic}; ${fmt(minute.wallMs)} ms wall (1-minute load ${load1()})`);
  };
  const kept = await keptSession("mysql", monitorDsn);
  for (let i = 0; i < MINUTES; i++) {
    await measure(PER_SAMPLE, (work) => withReadOnlySession("mysql", monitorDsn, work));
    await measure(KEPT, kept.session);
  }
  await cleanUpTo(keep);
}

// ---------------------------------------------------------------------------------------------
// Part 2: the divergence scan

interface ScanResult {
  rows: number;
  divergent: number;
  batches: number;
  seconds: number;
  pausedMs: number;
  batchMs: number[];
}

interface DivergenceScan {
  result: ScanResult;
  done: boolean;
  /** Runs batches (each followed by the pause) for about `ms`, or to the end of the table. */
  runFor(ms: number): Promise<void>;
}

/**
 * runDivergenceScan without Rampart's own store (which saves progress there after each batch): the
 * key in one session, then the batches, each in its own session, 50 ms apart. It can stop between
 * batches and go on later from the last key, so scanning and quiet windows can alternate.
 */
async function startDivergenceScan(kind: AppDbKind, session: Session, paced: boolean): Promise<DivergenceScan> {
  let elapsedMs = 0;
  const t0 = performance.now();
  const primaryKey = await session((query) => primaryKeyColumn(kind, query, contraction.table));
  if (primaryKey === null) throw new Error("orders has no primary key");
  elapsedMs += performance.now() - t0;
  let lastKey: string | null = null;
  const scan: DivergenceScan = {
    result: { rows: 0, divergent: 0, batches: 0, seconds: 0, pausedMs: 0, batchMs: [] },
    done: false,
    runFor: async (ms) => {
      const start = performance.now();
      while (!scan.done && performance.now() - start < ms) {
        const t = performance.now();
        const batch = await session((query) => scanDivergenceBatch(kind, query, contraction, primaryKey, lastKey, DIVERGENCE_BATCH_ROWS));
        const { result } = scan;
        const batchMs = performance.now() - t;
        result.batchMs.push(batchMs);
        result.rows += batch.rows;
        result.divergent += batch.divergent;
        result.batches += 1;
        lastKey = batch.lastKey;
        if (batch.rows < DIVERGENCE_BATCH_ROWS) {
          scan.done = true;
          break;
        }
        const pause = performance.now();
        await sleep(paced ? pauseAfterBatch(batchMs, SCAN_PAUSE_MS) : SCAN_PAUSE_MS);
        result.pausedMs += performance.now() - pause;
      }
      elapsedMs += performance.now() - start;
      scan.result.seconds = elapsedMs / 1000;
    },
  };
  return scan;
}

async function divergenceScan(kind: AppDbKind, session: Session, paced: boolean): Promise<ScanResult> {
  const scan = await startDivergenceScan(kind, session, paced);
  await scan.runFor(Number.POSITIVE_INFINITY);
  return scan.result;
}

interface LoadWindow {
  scan: boolean;
  seconds: number;
  latencies: Record<string, number[]>;
  errors: number;
  /** The machine's stall time over the window (Linux PSI, µs): what other work did to everyone. */
  ioStallUs: number;
  cpuStallUs: number;
}

/** Linux pressure-stall totals: time all tasks were stalled on I/O ("full"), some task waited for a CPU ("some"). */
function pressureTotals(): { ioUs: number; cpuUs: number } {
  const total = (resource: string, line: string) => {
    try {
      const match = readFileSync(`/proc/pressure/${resource}`, "utf8").match(new RegExp(`^${line} .*total=(\\d+)`, "m"));
      return match ? Number(match[1]) : NaN;
    } catch {
      return NaN;
    }
  };
  return { ioUs: total("io", "full"), cpuUs: total("cpu", "some") };
}

interface ScanWay {
  how: string;
  scans: ScanResult[];
  windows: LoadWindow[];
}

interface ScanRun {
  database: string;
  tableRows: number;
  ways: ScanWay[];
}

const SCAN_HOW: Record<string, string> = {
  session: "a new connection per batch, 50 ms apart (lib/ before)",
  kept: "one kept connection, a transaction per batch, 50 ms apart",
  paced: "one kept connection, batches paced to 1 % of the time (lib/ now)",
};

/**
 * The application's load runs throughout; each full scan is cut into windows of about
 * SCAN_WINDOW_MS, each paired with a window as long without the scan (in turn before and after),
 * so bursts from other work on the shared machine land on both sides alike.
 */
async function scanUnderLoad(database: string, app: ScratchAppDb, monitorDsn: string, tableRows: number): Promise<ScanRun> {
  const appLoad = await startLoad({ kind: app.kind, dsn: app.dsn, rate: SCAN_RATE, pool: 4, rows: tableRows, mix: "point", synchronousCommit: APP_SYNC_COMMIT });
  await sleep(10_000);
  const run: ScanRun = { database, tableRows, ways: [] };
  for (const wayName of SCAN_WAYS) {
    const way: ScanWay = { how: SCAN_HOW[wayName] ?? wayName, scans: [], windows: [] };
    run.ways.push(way);
    const measure = async (scan: boolean, during: () => Promise<unknown>) => {
      const pressure = pressureTotals();
      appLoad.window();
      await during();
      const report = await appLoad.collect();
      const after = pressureTotals();
      way.windows.push({ scan, seconds: report.seconds, latencies: report.latencies, errors: report.errors, ioStallUs: after.ioUs - pressure.ioUs, cpuStallUs: after.cpuUs - pressure.cpuUs });
      return report.seconds * 1000;
    };
    for (let round = 0; round < SCAN_ROUNDS; round++) {
      const kept = wayName !== "session" ? await keptSession(app.kind, monitorDsn) : null;
      const scan = await startDivergenceScan(app.kind, kept ? kept.session : (work) => withReadOnlySession(app.kind, monitorDsn, work), wayName === "paced");
      for (let pair = 0; !scan.done; pair++) {
        if (pair % 2 === 0) {
          const ms = await measure(true, () => scan.runFor(SCAN_WINDOW_MS));
          await measure(false, () => sleep(ms));
        } else {
          await measure(false, () => sleep(SCAN_WINDOW_MS));
          await measure(true, () => scan.runFor(SCAN_WINDOW_MS));
        }
      }
      await kept?.close();
      way.scans.push(scan.result);
      const recent = way.windows.slice(-2 * Math.ceil(scan.result.seconds / (SCAN_WINDOW_MS / 1000)));
      const p99 = (during: boolean) => fmt(percentile(recent.filter((w) => w.scan === during).flatMap((w) => allLatencies(w.latencies)), 99), 2);
      console.log(
        `  ${way.how}, scan ${round + 1}: ${scan.result.rows.toLocaleString("en-US")} rows, ${scan.result.divergent.toLocaleString("en-US")} divergent, ${fmt(scan.result.seconds)} s; app p99 ${p99(false)} ms without, ${p99(true)} ms during (1-minute load ${load1()})`,
      );
    }
  }
  await appLoad.stop();
  return run;
}

async function scanPostgres(): Promise<ScanRun> {
  console.log(`\ndivergence scan, PostgreSQL 15 (127.0.0.1:5432), ${SCAN_ROWS.toLocaleString("en-US")} rows: populating (1-minute load ${load1()})`);
  const keep = cleanups.length;
  const app = await givenScratchAppDb("postgresql");
  cleanups.push(() => app.drop());
  await populate(app, SCAN_ROWS);
  const monitorDsn = await givenPostgresMonitor(app);
  const run = await scanUnderLoad("PostgreSQL 15", app, monitorDsn, SCAN_ROWS);
  await cleanUpTo(keep);
  return run;
}

/** InnoDB writes the million inserted rows' pages out for a while after; measuring then would time that, not the scan. */
async function waitForInnodbFlush(): Promise<void> {
  const root = await mysql.createConnection({ uri: "mysql://root@127.0.0.1:3306/mysql" });
  try {
    const deadline = Date.now() + 120_000;
    let dirty = Number.POSITIVE_INFINITY;
    while (Date.now() < deadline) {
      const [rows] = (await root.query("show global status like 'Innodb_buffer_pool_pages_dirty'")) as unknown as [{ Value: string }[]];
      dirty = Number(rows[0]?.Value ?? 0);
      if (dirty < 200) break;
      await sleep(2_000);
    }
    console.log(`  InnoDB dirty pages before measuring: ${dirty}`);
  } finally {
    await root.end();
  }
}

async function scanMariadb(): Promise<ScanRun> {
  console.log(`\ndivergence scan, MariaDB 10.11 (127.0.0.1:3306), ${MARIADB_SCAN_ROWS.toLocaleString("en-US")} rows: populating (1-minute load ${load1()})`);
  const keep = cleanups.length;
  const app = await givenScratchAppDb("mysql");
  cleanups.push(() => app.drop());
  await populate(app, MARIADB_SCAN_ROWS);
  await waitForInnodbFlush();
  const monitorDsn = await givenMariadbMonitor(app);
  const run = await scanUnderLoad("MariaDB 10.11", app, monitorDsn, MARIADB_SCAN_ROWS);
  await cleanUpTo(keep);
  return run;
}

interface ScanCpu {
  how: string;
  scan: ScanResult;
  /** Database CPU for the whole scan: the postmaster's forks and every exited backend, or the kept backend. */
  cpuMs: number;
}

/**
 * What the scan costs the database in CPU, where nothing else shares the server: an embedded
 * PostgreSQL 17 of its own, no application load, autovacuum off so only Rampart's backends exit.
 */
async function scanCpuEmbedded(): Promise<ScanCpu[]> {
  console.log(`\ndivergence scan CPU, embedded PostgreSQL 17, ${SCAN_ROWS.toLocaleString("en-US")} rows: populating (1-minute load ${load1()})`);
  const keep = cleanups.length;
  const server = await startEmbeddedAppPostgres();
  cleanups.push(() => server.stop());
  const app = await givenScratchAppDb("postgresql", { server: server.server });
  const admin = new pg.Client({ connectionString: app.dsn });
  admin.on("error", () => undefined);
  await admin.connect();
  cleanups.push(() => admin.end());
  await admin.query("alter system set autovacuum = off");
  await admin.query("select pg_reload_conf()");
  await populate(app, SCAN_ROWS);
  const monitorDsn = await givenPostgresMonitor(app);
  const postmaster = parentPid(Number((await admin.query("select pg_backend_pid() as pid")).rows[0].pid));
  const postmasterCpuMs = () => {
    const cpu = processCpuMs(postmaster);
    return cpu.ownMs + cpu.reapedChildrenMs;
  };
  const results: ScanCpu[] = [];
  for (const wayName of SCAN_WAYS) {
    const kept = wayName !== "session" ? await keptSession("postgresql", monitorDsn) : null;
    const before = kept ? onCpuMs(kept.backendPid!) : postmasterCpuMs();
    const scan = await divergenceScan("postgresql", kept ? kept.session : (work) => withReadOnlySession("postgresql", monitorDsn, work), wayName === "paced");
    await sleep(200);
    const cpuMs = (kept ? onCpuMs(kept.backendPid!) : postmasterCpuMs()) - before;
    await kept?.close();
    results.push({ how: SCAN_HOW[wayName] ?? wayName, scan, cpuMs });
    console.log(`  ${SCAN_HOW[wayName] ?? wayName}: ${scan.rows.toLocaleString("en-US")} rows in ${fmt(scan.seconds)} s, ${fmt(cpuMs, 0)} ms database CPU (1-minute load ${load1()})`);
  }
  await cleanUpTo(keep);
  return results;
}

// ---------------------------------------------------------------------------------------------
// Printing

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
const allLatencies = (latencies: Record<string, number[]>) => Object.values(latencies).flat();
const fmt = (ms: number, digits = 1) => (Number.isNaN(ms) ? "–" : ms.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits }));

/** "median (min–max)" over the minutes, or the one value. */
function spread(values: number[], digits = 1): string {
  if (values.length === 1) return fmt(values[0]!, digits);
  return `${fmt(percentile(values, 50), digits)} (${fmt(Math.min(...values), digits)}–${fmt(Math.max(...values), digits)})`;
}

function printSteady(rows: SteadyRow[], connection: ConnectionCost | null): void {
  console.log(`\n### Steady state: the sampler's work per minute for one contraction (${STEADY_ROWS.toLocaleString("en-US")} rows, app load ${STEADY_RATE} q/s), median (min–max) of ${MINUTES} minutes\n`);
  console.log("| database | how Rampart connects | sessions | statements | server time in pg_stat_statements (exec + plan) | backend CPU incl. connection setup | client wall time incl. connect | activity sample p50 / max | minute sample |");
  console.log("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
  for (const row of rows) {
    const sum = (m: MinuteMeasure, pick: (s: StatementTotal) => number) => (m.statements ?? []).reduce((a, s) => a + pick(s), 0);
    const measured = row.minutes[0]!.statements !== undefined;
    const server = measured
      ? `${spread(row.minutes.map((m) => sum(m, (s) => s.execMs + s.planMs)))} ms (${fmt(percentile(row.minutes.map((m) => sum(m, (s) => s.execMs)), 50))} + ${fmt(percentile(row.minutes.map((m) => sum(m, (s) => s.planMs)), 50))})`
      : "–";
    const cpu = measured ? `${spread(row.minutes.map((m) => m.backendCpuMs!), 0)} ms` : "–";
    const activity = row.minutes.flatMap((m) => m.minute.activityMs);
    console.log(
      `| ${row.database} | ${row.how} | ${row.minutes[0]!.minute.sessions} | ${measured ? sum(row.minutes[0]!, (s) => s.calls) : "–"} | ${server} | ${cpu} | ${spread(row.minutes.map((m) => m.minute.wallMs))} ms | ${fmt(percentile(activity, 50))} / ${fmt(Math.max(...activity))} ms | ${spread(row.minutes.map((m) => m.minute.minuteSampleMs))} ms |`,
    );
  }
  if (connection) {
    console.log(
      `\nPostgreSQL 17, a connection alone (100 each, as Rampart's role): connect + disconnect ${fmt(connection.perConnectWallMs, 2)} ms wall and ${fmt(connection.perConnectCpuMs, 2)} ms CPU (postmaster fork + backend); an empty read-only session (connect, BEGIN READ ONLY, 2 × SET LOCAL, ROLLBACK, end) ${fmt(connection.emptySessionWallMs, 2)} ms wall.`,
    );
    console.log(
      `PostgreSQL 17 with pg_stat_statements holding ${connection.busyServer}, one read (median of 10, client wall on a kept connection): with the text and the ILIKE filters, as lib/ read it before, ${fmt(connection.statementReadWithTextMs, 2)} ms; pg_stat_statements(false), calls by queryid without the text, ${fmt(connection.statementReadWithoutTextMs, 2)} ms.`,
    );
  }
  for (const row of rows.filter((r) => r.minutes[0]!.statements)) {
    console.log(`\nWhere the server time went, per minute (mean of ${row.minutes.length}) — ${row.how}:\n`);
    console.log("| statement | calls | exec ms | plan ms |");
    console.log("| --- | ---: | ---: | ---: |");
    const byQuery = new Map<string, StatementTotal>();
    for (const s of row.minutes.flatMap((m) => m.statements!)) {
      const total = byQuery.get(s.query) ?? { query: s.query, calls: 0, execMs: 0, planMs: 0 };
      byQuery.set(s.query, { query: s.query, calls: total.calls + s.calls, execMs: total.execMs + s.execMs, planMs: total.planMs + s.planMs });
    }
    const n = row.minutes.length;
    for (const s of [...byQuery.values()].sort((a, b) => b.execMs + b.planMs - a.execMs - a.planMs)) {
      const text = s.query.replace(/\s+/g, " ");
      console.log(`| \`${text.length > 90 ? `${text.slice(0, 87)}…` : text}\` | ${fmt(s.calls / n, 0)} | ${fmt(s.execMs / n, 2)} | ${fmt(s.planMs / n, 2)} |`);
    }
  }
}

function printScanCpu(results: ScanCpu[]): void {
  console.log(`\n### What the scan costs the database in CPU (embedded PostgreSQL 17 alone, ${SCAN_ROWS.toLocaleString("en-US")} rows, no other load)\n`);
  console.log("| how Rampart connects | batches | duration | rows/s | database CPU | per batch | share of one core while scanning |");
  console.log("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
  for (const { how, scan, cpuMs } of results) {
    console.log(
      `| ${how} | ${scan.batches} | ${fmt(scan.seconds)} s | ${fmt(scan.rows / scan.seconds, 0)} | ${fmt(cpuMs, 0)} ms | ${fmt(cpuMs / scan.batches, 2)} ms | ${fmt((cpuMs / (scan.seconds * 1000)) * 100)} % |`,
    );
  }
}

function printScans(runs: ScanRun[]): void {
  console.log(`\n### Divergence scan (batches of ${DIVERGENCE_BATCH_ROWS}, at least ${SCAN_PAUSE_MS} ms apart)\n`);
  console.log("| database | table rows | how Rampart connects | scan | divergent found | batches | duration | rows/s | rows/s without the pauses | batch p50 / p99 |");
  console.log("| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
  for (const run of runs) {
    for (const way of run.ways) {
      way.scans.forEach((scan, i) => {
        const busy = scan.seconds - scan.pausedMs / 1000;
        console.log(
          `| ${run.database} | ${run.tableRows.toLocaleString("en-US")} | ${way.how} | ${i + 1} | ${scan.divergent.toLocaleString("en-US")} | ${scan.batches} | ${fmt(scan.seconds)} s | ${fmt(scan.rows / scan.seconds, 0)} | ${fmt(scan.rows / busy, 0)} | ${fmt(percentile(scan.batchMs, 50))} / ${fmt(percentile(scan.batchMs, 99))} ms |`,
        );
      });
    }
  }
  console.log(
    `\n### The application's queries (${SCAN_RATE}/s open-loop from a pool of 4, latency from the scheduled time${APP_SYNC_COMMIT ? "" : "; PostgreSQL commits with synchronous_commit = off"}), during the scan and without it: windows of about ${SCAN_WINDOW_MS / 1000} s alternating\n`,
  );
  console.log("| database | how Rampart connects | scan | windows | seconds | queries | errors | select by id p50 / p99 | update by id p50 / p99 | all p50 / p95 / p99 | median of the windows' p99 | machine stalled on I/O / waiting for CPU |");
  console.log("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
  const cell = (values: number[]) => `${fmt(percentile(values, 50), 2)} / ${fmt(percentile(values, 99), 2)} ms`;
  for (const run of runs) {
    for (const way of run.ways) {
      const p99 = { during: 0, without: 0 };
      for (const during of [false, true]) {
        const windows = way.windows.filter((w) => w.scan === during);
        const of = (name: string) => windows.flatMap((w) => w.latencies[name] ?? []);
        const all = windows.flatMap((w) => allLatencies(w.latencies));
        const windowP99 = percentile(windows.map((w) => percentile(allLatencies(w.latencies), 99)), 50);
        p99[during ? "during" : "without"] = percentile(all, 99);
        const seconds = windows.reduce((a, w) => a + w.seconds, 0);
        const stall = (pick: (w: LoadWindow) => number) => `${fmt((windows.reduce((a, w) => a + pick(w), 0) / 1e6 / seconds) * 100, 0)} %`;
        console.log(
          `| ${run.database} | ${way.how} | ${during ? "during" : "without"} | ${windows.length} | ${fmt(seconds)} | ${all.length} | ${windows.reduce((a, w) => a + w.errors, 0)} | ${cell(of("select by id"))} | ${cell(of("update by id"))} | ${fmt(percentile(all, 50), 2)} / ${fmt(percentile(all, 95), 2)} / ${fmt(percentile(all, 99), 2)} ms | ${fmt(windowP99, 2)} ms | ${stall((w) => w.ioStallUs)} / ${stall((w) => w.cpuStallUs)} |`,
        );
      }
      const change = ((p99.during - p99.without) / p99.without) * 100;
      // The noise floor: the windows without the scan against each other (alternate ones).
      const quiet = way.windows.filter((w) => !w.scan);
      const half = (parity: number) => percentile(quiet.filter((_, i) => i % 2 === parity).flatMap((w) => allLatencies(w.latencies)), 99);
      console.log(
        `| ${run.database} | ${way.how} | **p99 change** | | | | | | | **${change >= 0 ? "+" : ""}${fmt(change)} %** | A/A, alternate windows without: ${fmt(half(0), 2)} vs ${fmt(half(1), 2)} ms | |`,
      );
    }
  }
}

// ---------------------------------------------------------------------------------------------

try {
  console.log(`bench:app-db — ${new Date().toISOString()}, Node ${process.version}, 1-minute load ${load1()}`);
  if (PARTS.includes("steady")) {
    const rows: SteadyRow[] = [];
    const connect = await steadyStatePostgres(rows);
    await steadyStateMariadb(rows);
    printSteady(rows, connect);
  }
  if (PARTS.includes("scan-cpu")) printScanCpu(await scanCpuEmbedded());
  if (PARTS.includes("scan")) {
    const runs = [await scanPostgres()];
    if (MARIADB_SCAN_ROWS > 0) runs.push(await scanMariadb());
    printScans(runs);
  }
  console.log(`\n1-minute load at the end: ${load1()}`);
} finally {
  await cleanUp();
}
