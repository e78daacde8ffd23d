import type { AppDbKind } from "./app-db-kind";

/** One statement's rows, as plain objects keyed by column name. */
export type Row = Record<string, unknown>;
export type ReadOnlyQuery = (sql: string, params?: unknown[]) => Promise<Row[]>;

export interface SessionLimits {
  /** Connecting, every statement, and the whole session each stop after this long. */
  timeoutMs: number;
  /** PostgreSQL: how long a statement may wait for a lock before giving up. */
  lockTimeoutMs: number;
}

export const DEFAULT_SESSION_LIMITS: SessionLimits = { timeoutMs: 5_000, lockTimeoutMs: 1_000 };

/** The application database did not answer, refused, or took too long; its checks read `unavailable`. */
export class AppDbUnavailableError extends Error {}

/**
 * Runs `work` in a read-only transaction on the application database, on a connection of its
 * own, then rolls back and disconnects. For work done again and again, `keepConnection` saves
 * the connection's setup, which costs the server more than the work (docs/benchmarks.md).
 */
export async function withReadOnlySession<T>(kind: AppDbKind, dsn: string, work: (query: ReadOnlyQuery) => Promise<T>, limits = DEFAULT_SESSION_LIMITS): Promise<T> {
  const connection = await openConnection(kind, dsn, limits);
  let cut = true;
  try {
    const result = await readOnlyTransaction(connection, work, limits);
    cut = false;
    return result;
  } finally {
    await connection.close(cut);
  }
}

/** One connection to an application database, kept between uses; each use is its own read-only transaction. */
export interface KeptConnection {
  /** Runs `work` as `withReadOnlySession` does; uses queue one behind another on the one connection. */
  run<T>(work: (query: ReadOnlyQuery) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/**
 * Connects on first use and again after any failure: a use that errs or overruns drops the
 * connection, so a broken or half-finished session is never reused. Closes itself after
 * `idleMs` unused, so an instance that stops sampling (it lost the lead) holds nothing open.
 */
export function keepConnection(kind: AppDbKind, dsn: string, { limits = DEFAULT_SESSION_LIMITS, idleMs = 60_000 }: { limits?: SessionLimits; idleMs?: number } = {}): KeptConnection {
  let connection: Promise<Connection> | null = null;
  let queue: Promise<unknown> = Promise.resolve();
  let idle: NodeJS.Timeout | undefined;
  let closed = false;
  const drop = async (cut: boolean) => {
    const open = connection;
    connection = null;
    clearTimeout(idle);
    if (open) await open.then((c) => c.close(cut), () => undefined);
  };
  const use = async <T>(work: (query: ReadOnlyQuery) => Promise<T>): Promise<T> => {
    if (closed) throw new AppDbUnavailableError("the kept connection is closed");
    clearTimeout(idle);
    connection ??= openConnection(kind, dsn, limits);
    let current: Connection;
    try {
      current = await connection;
    } catch (error) {
      connection = null;
      throw error;
    }
    try {
      const result = await readOnlyTransaction(current, work, limits);
      idle = setTimeout(() => void drop(false), idleMs);
      idle.unref();
      return result;
    } catch (error) {
      await drop(true);
      throw error;
    }
  };
  return {
    run: <T>(work: (query: ReadOnlyQuery) => Promise<T>) => {
      const result = queue.then(() => use(work));
      queue = result.catch(() => undefined);
      return result;
    },
    close: async () => {
      closed = true;
      await queue;
      await drop(false);
    },
  };
}

/**
 * PostgreSQL: BEGIN READ ONLY with statement_timeout and lock_timeout. MySQL and MariaDB: a
 * read-only transaction under the session's statement time limit. Rolled back at the end; a
 * transaction that overruns throws, and its connection must be cut, not rolled back.
 */
async function readOnlyTransaction<T>(connection: Connection, work: (query: ReadOnlyQuery) => Promise<T>, limits: SessionLimits): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new AppDbUnavailableError(`the application database took longer than ${limits.timeoutMs} ms`)), limits.timeoutMs);
  });
  try {
    const result = await Promise.race([connection.begin().then(() => work(connection.query)), deadline]);
    await Promise.race([connection.rollback(), deadline]);
    return result;
  } finally {
    clearTimeout(timer);
  }
}

interface Connection {
  begin(): Promise<void>;
  query: ReadOnlyQuery;
  rollback(): Promise<void>;
  /** Disconnects; `cut` drops the connection at once (the server rolls back whatever was open). */
  close(cut: boolean): Promise<void>;
}

function openConnection(kind: AppDbKind, dsn: string, limits: SessionLimits): Promise<Connection> {
  return kind === "postgresql" ? openPostgres(dsn, limits) : openMysql(dsn, limits);
}

async function openPostgres(dsn: string, limits: SessionLimits): Promise<Connection> {
  const { Client } = await import("pg");
  const client = new Client({ connectionString: dsn, connectionTimeoutMillis: limits.timeoutMs, application_name: "rampart-evidence" });
  client.on("error", () => undefined);
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw unavailable(error, dsn);
  }
  const query: ReadOnlyQuery = async (sql, params) => {
    try {
      return (await client.query(sql, params)).rows as Row[];
    } catch (error) {
      throw unavailable(error, dsn);
    }
  };
  return {
    begin: async () => {
      await query("begin read only");
      await query(`set local statement_timeout = ${Math.round(limits.timeoutMs)}`);
      await query(`set local lock_timeout = ${Math.round(limits.lockTimeoutMs)}`);
    },
    query,
    rollback: async () => void (await query("rollback")),
    close: async (cut) => {
      if (cut) (client as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
      await client.end().catch(() => undefined);
    },
  };
}

async function openMysql(dsn: string, limits: SessionLimits): Promise<Connection> {
  const mysql = await import("mysql2/promise");
  const uri = dsn.replace(/^mariadb:/, "mysql:");
  let connection: Awaited<ReturnType<typeof mysql.createConnection>>;
  try {
    connection = await mysql.createConnection({ uri, connectTimeout: limits.timeoutMs });
  } catch (error) {
    throw unavailable(error, dsn);
  }
  connection.on("error", () => undefined);
  const query: ReadOnlyQuery = async (sql, params) => {
    try {
      const [rows] = await connection.query(sql, params);
      return rows as Row[];
    } catch (error) {
      throw unavailable(error, dsn);
    }
  };
  try {
    const [server] = await query("select version() as version");
    // MariaDB limits statements in seconds (max_statement_time); MySQL 8 limits SELECTs in ms.
    if (/mariadb/i.test(String(server!.version))) await query(`set session max_statement_time = ${(limits.timeoutMs / 1000).toFixed(3)}`);
    else await query(`set session max_execution_time = ${Math.round(limits.timeoutMs)}`);
    await query("set session transaction read only");
  } catch (error) {
    connection.destroy();
    throw error;
  }
  return {
    begin: async () => void (await query("start transaction read only")),
    query,
    rollback: async () => void (await query("rollback")),
    close: async (cut) => {
      if (cut) return connection.destroy();
      await connection.end().catch(() => connection.destroy());
    },
  };
}

/** The driver's message without anything from the DSN: a password must never reach a log or a response. */
export function unavailable(error: unknown, dsn: string): AppDbUnavailableError {
  if (error instanceof AppDbUnavailableError) return error;
  let message = error instanceof Error ? error.message : String(error);
  for (const secret of dsnSecrets(dsn)) message = message.split(secret).join("…");
  return new AppDbUnavailableError(message);
}

function dsnSecrets(dsn: string): string[] {
  const secrets = [dsn];
  try {
    const url = new URL(dsn);
    if (url.password) secrets.push(url.password, decodeURIComponent(url.password));
  } catch {
    // Not a URL: the whole DSN is all there is to hide.
  }
  return secrets.filter((secret) => secret.length >= 3).sort((a, b) => b.length - a.length);
}
