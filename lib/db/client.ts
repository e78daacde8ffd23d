import { mkdirSync } from "node:fs";
import path from "node:path";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import * as schema from "@/db/schema";
import { migrateDatabase } from "./migrate";

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
export type DbDriver = "pglite" | "postgres";

export interface DbConnection {
  db: Db;
  /**
   * For bulk writers such as metrics ingest: on PostgreSQL its own small pool, so a write never
   * queues for a connection behind the requests it is writing for. The same db on PGlite.
   */
  writerDb: Db;
  driver: DbDriver;
  /**
   * LISTEN on a channel: PostgreSQL on a dedicated connection that reconnects (calling
   * onReconnect, since notifications may have been missed meanwhile); PGlite in-process.
   */
  listen(channel: string, onNotify: (payload: string) => void, onReconnect?: () => void): Promise<() => Promise<void>>;
  /**
   * Leadership of work one instance must do alone (the ramp guard): on PostgreSQL a session
   * advisory lock on a connection of its own, lost when that connection or process dies; the
   * embedded database serves one process, which always leads.
   */
  leaderLease(lockId: number): LeaderLease;
  close(): Promise<void>;
}

export interface LeaderLease {
  /** True while this instance leads: takes the lead when it is free, checks it is still held when it was. */
  hold(): Promise<boolean>;
  release(): Promise<void>;
}

// Next loads modules several times per process; two PGlite instances on one
// directory each see only their own rows, so the connection lives on globalThis.
const holder = globalThis as typeof globalThis & { __rampartDb?: Promise<DbConnection> };

/** The process-wide database, migrated before first use. */
export async function getDb(): Promise<Db> {
  return (await getConnection()).db;
}

export function getConnection(): Promise<DbConnection> {
  holder.__rampartDb ??= openConnection().catch((error: unknown) => {
    holder.__rampartDb = undefined;
    throw error;
  });
  return holder.__rampartDb;
}

/** Closes the process-wide connection; the next getDb() opens a new one. */
export async function closeDb(): Promise<void> {
  const pending = holder.__rampartDb;
  holder.__rampartDb = undefined;
  if (pending) await (await pending).close();
}

/** `$RAMPART_DATA_DIR/pglite`, `.data/pglite` by default; `memory://…` keeps nothing on disk. */
export function pgliteDataDir(): string {
  const dataDir = process.env.RAMPART_DATA_DIR || path.join(process.cwd(), ".data");
  if (dataDir.startsWith("memory://")) return dataDir;
  return path.resolve(dataDir, "pglite");
}

/** Without DATABASE_URL Rampart runs on the embedded database, one process with its data directory. */
export function usesEmbeddedDatabase(env: NodeJS.ProcessEnv = process.env): boolean {
  return !env.DATABASE_URL;
}

async function openConnection(): Promise<DbConnection> {
  const url = usesEmbeddedDatabase() ? undefined : process.env.DATABASE_URL;
  if (url) {
    await migrateDatabase({ driver: "postgres", url });
    const [{ Pool }, { drizzle }] = await Promise.all([import("pg"), import("drizzle-orm/node-postgres")]);
    // A bounded wait for a connection, so an outage answers 503 quickly instead of hanging requests.
    const pool = new Pool({ connectionString: url, max: Number(process.env.RAMPART_DB_POOL_MAX ?? 10), connectionTimeoutMillis: 5_000 });
    const writerPool = new Pool({ connectionString: url, max: 2, connectionTimeoutMillis: 5_000 });
    // An idle connection dropped by the server must not crash the process; the pool replaces it.
    for (const each of [pool, writerPool]) each.on("error", (error) => console.error("[rampart] an idle database connection failed", error.message));
    return {
      db: drizzle({ client: pool, schema }),
      writerDb: drizzle({ client: writerPool, schema }),
      driver: "postgres",
      listen: (channel, onNotify, onReconnect) => listenOnPostgres(url, channel, onNotify, onReconnect),
      leaderLease: (lockId) => postgresLeaderLease(url, lockId),
      close: async () => {
        await Promise.all([pool.end(), writerPool.end()]);
      },
    };
  }

  const dataDir = pgliteDataDir();
  if (!dataDir.startsWith("memory://")) mkdirSync(dataDir, { recursive: true });
  const [{ PGlite }, { drizzle }] = await Promise.all([
    import("@electric-sql/pglite"),
    import("drizzle-orm/pglite"),
  ]);
  const client = await PGlite.create(dataDir);
  const db = drizzle({ client, schema });
  await migrateDatabase({ driver: "pglite", db });
  return {
    db,
    writerDb: db,
    driver: "pglite",
    listen: async (channel, onNotify) => {
      const unlisten = await client.listen(channel, onNotify);
      return () => unlisten();
    },
    leaderLease: () => ({ hold: async () => true, release: async () => undefined }),
    close: () => client.close(),
  };
}

function postgresLeaderLease(url: string, lockId: number): LeaderLease {
  let held: import("pg").Client | null = null;
  const drop = async () => {
    const client = held;
    held = null;
    await client?.end().catch(() => undefined);
  };
  return {
    async hold() {
      if (held) {
        // The lock lives as long as its session: a query that fails means both are gone.
        const alive = await held.query("select 1").then(() => true, () => false);
        if (alive) return true;
        await drop();
      }
      const { Client } = await import("pg");
      const client = new Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
      client.on("error", () => undefined);
      try {
        await client.connect();
        const { rows } = await client.query<{ locked: boolean }>("select pg_try_advisory_lock($1) as locked", [lockId]);
        if (rows[0]?.locked) {
          held = client;
          return true;
        }
      } catch {
        // The database is unreachable: nobody leads from here until it answers again.
      }
      await client.end().catch(() => undefined);
      return false;
    },
    release: drop,
  };
}

async function listenOnPostgres(
  url: string,
  channel: string,
  onNotify: (payload: string) => void,
  onReconnect?: () => void,
): Promise<() => Promise<void>> {
  const { Client } = await import("pg");
  let client: InstanceType<typeof Client> | null = null;
  let stopped = false;
  let retryMs = 100;

  const connect = async (isReconnect: boolean): Promise<void> => {
    const next = new Client({ connectionString: url });
    next.on("notification", (message) => {
      if (message.channel === channel) onNotify(message.payload ?? "");
    });
    next.on("error", () => dropped(next));
    next.on("end", () => dropped(next));
    await next.connect();
    await next.query(`LISTEN "${channel.replace(/"/g, '""')}"`);
    client = next;
    retryMs = 100;
    if (isReconnect) onReconnect?.();
  };

  const retry = (): void => {
    const delay = retryMs;
    retryMs = Math.min(retryMs * 2, 5_000);
    setTimeout(() => {
      if (!stopped) connect(true).catch(retry);
    }, delay).unref();
  };

  const dropped = (failed: InstanceType<typeof Client>) => {
    if (stopped || client !== failed) return;
    client = null;
    failed.end().catch(() => undefined);
    retry();
  };

  await connect(false);
  return async () => {
    stopped = true;
    const current = client;
    client = null;
    await current?.end();
  };
}
