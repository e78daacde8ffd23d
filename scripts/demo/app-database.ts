// The demo's application database: the orders service's own PostgreSQL, which Rampart reads
// read-only for its database evidence. Embedded PostgreSQL 17 by default (data beside the demo's);
// with DEMO_APP_DATABASE_URL an existing PostgreSQL, where only the schema is created.
import pg from "pg";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "./embedded-postgres";
import { applyOrdersSchema } from "./orders-schema";

export const APP_DATABASE = "orders_app";
/** Rampart connects as this role: pg_monitor and SELECT on orders, the grants the README lists. */
export const MONITOR_ROLE = "rampart_monitor";
const SUPERUSER_PASSWORD = "rampart-demo-app-db";
const MONITOR_PASSWORD = "rampart-demo-monitor";
/** Enough for ~600 light statements a second; Rampart's checks use their own sessions. */
const POOL_SIZE = 4;

export interface AppDatabaseOptions {
  /** An existing PostgreSQL to use instead of starting one. */
  url?: string;
  dataDir: string;
  port: number;
}

export interface AppDatabase {
  /** The orders service's pool, as the database's owner. */
  pool: pg.Pool;
  /** What Rampart is given: the monitoring role's DSN (the URL itself for an existing PostgreSQL). */
  monitorDsn: string;
  /** Where it is, without credentials: "orders_app on 127.0.0.1:5499". */
  location: string;
  embedded: boolean;
  /** What the schema step did this time (nothing on a restart). */
  applied: string[];
  /** Whether pg_stat_statements can be read (preloaded and created). */
  statementStats: boolean;
  stop(): Promise<void>;
  killNow(): void;
}

export async function openAppDatabase({ url, dataDir, port }: AppDatabaseOptions): Promise<AppDatabase> {
  let server: EmbeddedPostgres | undefined;
  let serviceDsn: string;
  let monitorDsn: string;
  if (url) {
    serviceDsn = url;
    monitorDsn = url;
  } else {
    server = await startEmbeddedPostgres({
      dataDir,
      port,
      password: SUPERUSER_PASSWORD,
      serverFlags: ["-c", "shared_preload_libraries=pg_stat_statements"],
    });
    serviceDsn = server.dsn(APP_DATABASE);
    monitorDsn = `postgres://${MONITOR_ROLE}:${MONITOR_PASSWORD}@127.0.0.1:${port}/${APP_DATABASE}`;
  }

  try {
    if (server) await createDatabaseAndMonitor(server.dsn("postgres"));
    const setup = new pg.Client({ connectionString: serviceDsn, application_name: "rampart-demo-setup" });
    await setup.connect();
    let applied: string[];
    let statementStats: boolean;
    try {
      statementStats = await enableStatementStats(setup);
      applied = await applyOrdersSchema(setup);
      if (server) await setup.query(`grant select on orders to ${MONITOR_ROLE}`);
    } finally {
      await setup.end();
    }
    // The demo's orders need no durability: commits that waited for their WAL flush took tens of
    // ms on a busy disk (p99 of the statements 53 ms, against 11 ms without), a tail on both paths.
    const pool = new pg.Pool({ connectionString: serviceDsn, max: POOL_SIZE, application_name: "orders-service", options: "-c synchronous_commit=off" });
    // An idle connection the server ended (a restart, a shutdown) must not crash the demo.
    pool.on("error", () => undefined);
    const target = new URL(serviceDsn);
    return {
      pool,
      monitorDsn,
      location: `${decodeURIComponent(target.pathname.slice(1))} on ${target.hostname}:${target.port || "5432"}`,
      embedded: server !== undefined,
      applied,
      statementStats,
      async stop() {
        await pool.end().catch(() => undefined);
        await server?.stop();
      },
      killNow: () => server?.killNow(),
    };
  } catch (error) {
    await server?.stop().catch(() => undefined);
    throw error;
  }
}

/** The database and the monitoring role, on the embedded cluster only. */
async function createDatabaseAndMonitor(superuserDsn: string): Promise<void> {
  const admin = new pg.Client({ connectionString: superuserDsn, application_name: "rampart-demo-setup" });
  await admin.connect();
  try {
    const exists = await admin.query("select 1 from pg_database where datname = $1", [APP_DATABASE]);
    if (exists.rowCount === 0) await admin.query(`create database ${APP_DATABASE}`);
    const role = await admin.query("select 1 from pg_roles where rolname = $1", [MONITOR_ROLE]);
    if (role.rowCount === 0) await admin.query(`create role ${MONITOR_ROLE} login password '${MONITOR_PASSWORD}' in role pg_monitor`);
  } finally {
    await admin.end();
  }
}

/** pg_stat_statements where the server preloads it; elsewhere nothing is created and the evidence says it is missing. */
async function enableStatementStats(client: pg.Client): Promise<boolean> {
  const preload = await client.query<{ libraries: string }>("select current_setting('shared_preload_libraries') as libraries");
  if (!/\bpg_stat_statements\b/.test(preload.rows[0]?.libraries ?? "")) return false;
  try {
    await client.query("create extension if not exists pg_stat_statements");
    await client.query("select 1 from pg_stat_statements limit 1");
    return true;
  } catch {
    return false;
  }
}
