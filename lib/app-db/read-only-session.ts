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
 * Runs `work` in a read-only transaction on the application database, then rolls back and
 * disconnects. PostgreSQL: BEGIN READ ONLY with statement_timeout and lock_timeout. MySQL and
 * MariaDB: a read-only session transaction with the server's statement time limit. A session
 * that overruns is torn down, so a stuck application database never holds up the control plane.
 */
export async function withReadOnlySession<T>(kind: AppDbKind, dsn: string, work: (query: ReadOnlyQuery) => Promise<T>, limits = DEFAULT_SESSION_LIMITS): Promise<T> {
  const session = kind === "postgresql" ? await openPostgres(dsn, limits) : await openMysql(dsn, limits);
  let timer: NodeJS.Timeout | undefined;
  let overran = false;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      overran = true;
      reject(new AppDbUnavailableError(`the application database took longer than ${limits.timeoutMs} ms`));
    }, limits.timeoutMs);
  });
  try {
    return await Promise.race([work(session.query), deadline]);
  } finally {
    clearTimeout(timer);
    // An overrun session is cut, not rolled back: its rollback would queue behind the stuck statement.
    await session.close(overran);
  }
}

interface Session {
  query: ReadOnlyQuery;
  /** Rolls back and disconnects; `cut` drops the connection at once (the server rolls back). */
  close(cut: boolean): Promise<void>;
}

async function openPostgres(dsn: string, limits: SessionLimits): Promise<Session> {
  const { Client } = await import("pg");
  const client = new Client({ connectionString: dsn, connectionTimeoutMillis: limits.timeoutMs, application_name: "rampart-evidence" });
  client.on("error", () => undefined);
  try {
    await client.connect();
    await client.query("begin read only");
    await client.query(`set local statement_timeout = ${Math.round(limits.timeoutMs)}`);
    await client.query(`set local lock_timeout = ${Math.round(limits.lockTimeoutMs)}`);
  } catch (error) {
    await client.end().catch(() => undefined);
    throw unavailable(error, dsn);
  }
  return {
    query: async (sql, params) => {
      try {
        return (await client.query(sql, params)).rows as Row[];
      } catch (error) {
        throw unavailable(error, dsn);
      }
    },
    close: async (cut) => {
      if (cut) (client as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
      else await client.query("rollback").catch(() => undefined);
      await client.end().catch(() => undefined);
    },
  };
}

async function openMysql(dsn: string, limits: SessionLimits): Promise<Session> {
  const mysql = await import("mysql2/promise");
  const uri = dsn.replace(/^mariadb:/, "mysql:");
  let connection: Awaited<ReturnType<typeof mysql.createConnection>>;
  try {
    connection = await mysql.createConnection({ uri, connectTimeout: limits.timeoutMs });
  } catch (error) {
    throw unavailable(error, dsn);
  }
  connection.on("error", () => undefined);
  try {
    const [[server]] = (await connection.query("select version() as version")) as unknown as [{ version: string }[]];
    // MariaDB limits statements in seconds (max_statement_time); MySQL 8 limits SELECTs in ms.
    if (/mariadb/i.test(server!.version)) await connection.query(`set session max_statement_time = ${(limits.timeoutMs / 1000).toFixed(3)}`);
    else await connection.query(`set session max_execution_time = ${Math.round(limits.timeoutMs)}`);
    await connection.query("set session transaction read only");
    await connection.query("start transaction read only");
  } catch (error) {
    connection.destroy();
    throw unavailable(error, dsn);
  }
  return {
    query: async (sql, params) => {
      try {
        const [rows] = await connection.query(sql, params);
        return rows as Row[];
      } catch (error) {
        throw unavailable(error, dsn);
      }
    },
    close: async (cut) => {
      if (cut) return connection.destroy();
      await connection.query("rollback").catch(() => undefined);
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
