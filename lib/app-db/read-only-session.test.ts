import { describe, expect, it } from "vitest";
import { AppDbUnavailableError, keepConnection, unavailable, withReadOnlySession } from "./read-only-session";

// Against the machine's real servers: PostgreSQL at 127.0.0.1:5432 (trust) and MariaDB at
// 127.0.0.1:3306 (root, no password); .ci/run starts either when it is down.
const POSTGRES = "postgres://postgres@127.0.0.1:5432/postgres";
const MARIADB = "mysql://root@127.0.0.1:3306/mysql";
const quick = { timeoutMs: 1_000, lockTimeoutMs: 500 };

describe.each([
  { kind: "postgresql" as const, dsn: POSTGRES, version: /PostgreSQL/, write: "create table rampart_must_not_exist (id int)", slow: "select pg_sleep(5)" },
  { kind: "mysql" as const, dsn: MARIADB, version: /MariaDB|^8\./, write: "create temporary table rampart_must_not_exist (id int)", slow: "select sleep(5)" },
])("a read-only session on $kind", ({ kind, dsn, version, write, slow }) => {
  it("reads", async () => {
    const rows = await withReadOnlySession(kind, dsn, (query) => query("select version() as version"));
    expect(String(rows[0]!.version)).toMatch(version);
  });

  it("refuses to write", async () => {
    const attempt = withReadOnlySession(kind, dsn, (query) => query(write));
    await expect(attempt).rejects.toBeInstanceOf(AppDbUnavailableError);
    await expect(attempt).rejects.toThrow(/read[- ]only/i);
  });

  it("gives up on a slow statement within its limit", async () => {
    const started = Date.now();
    await expect(withReadOnlySession(kind, dsn, (query) => query(slow), quick)).rejects.toBeInstanceOf(AppDbUnavailableError);
    expect(Date.now() - started).toBeLessThan(4_000);
  });
});

describe.each([
  { kind: "postgresql" as const, dsn: POSTGRES, session: "select pg_backend_pid() as id", write: "create table rampart_must_not_exist (id int)", slow: "select pg_sleep(5)" },
  { kind: "mysql" as const, dsn: MARIADB, session: "select connection_id() as id", write: "create temporary table rampart_must_not_exist (id int)", slow: "select sleep(5)" },
])("a kept connection on $kind", ({ kind, dsn, session, write, slow }) => {
  const sessionId = async (connection: ReturnType<typeof keepConnection>) => String((await connection.run((query) => query(session)))[0]!.id);

  it("answers each use on the one connection, one use at a time, each read-only", async () => {
    const connection = keepConnection(kind, dsn);
    try {
      const ids = await Promise.all(Array.from({ length: 5 }, () => sessionId(connection)));
      expect(new Set(ids).size).toBe(1);
      await expect(connection.run((query) => query(write))).rejects.toThrow(/read[- ]only/i);
    } finally {
      await connection.close();
    }
  });

  it("drops the connection after a use fails or overruns, and connects again for the next", async () => {
    const connection = keepConnection(kind, dsn, { limits: quick });
    try {
      const first = await sessionId(connection);
      await expect(connection.run((query) => query(write))).rejects.toBeInstanceOf(AppDbUnavailableError);
      const second = await sessionId(connection);
      expect(second).not.toBe(first);
      const started = Date.now();
      await expect(connection.run((query) => query(slow))).rejects.toThrow(/longer than 1000 ms|timeout|interrupted|max_statement_time/i);
      expect(Date.now() - started).toBeLessThan(4_000);
      const third = await sessionId(connection);
      expect(third).not.toBe(second);
    } finally {
      await connection.close();
    }
  });

  it("closes itself when idle, and a closed one refuses", async () => {
    const connection = keepConnection(kind, dsn, { idleMs: 100 });
    const first = await sessionId(connection);
    await new Promise((resolve) => setTimeout(resolve, 400));
    const second = await sessionId(connection);
    expect(second).not.toBe(first);
    await connection.close();
    await expect(sessionId(connection)).rejects.toBeInstanceOf(AppDbUnavailableError);
  });
});

describe("an application database that does not answer", () => {
  it("is unavailable, not an error the control plane trips on", async () => {
    for (const [kind, dsn] of [["postgresql", "postgres://postgres@127.0.0.1:1/postgres"], ["mysql", "mysql://root@127.0.0.1:1/mysql"]] as const) {
      await expect(withReadOnlySession(kind, dsn, (query) => query("select 1"), quick)).rejects.toBeInstanceOf(AppDbUnavailableError);
      const kept = keepConnection(kind, dsn, { limits: quick });
      await expect(kept.run((query) => query("select 1"))).rejects.toBeInstanceOf(AppDbUnavailableError);
      await kept.close();
    }
  });

  it("never carries the DSN or its password in what it says", () => {
    const dsn = "postgres://monitor:hunter2%21pw@db.internal/orders";
    const error = unavailable(new Error(`could not connect to ${dsn} as monitor with hunter2!pw`), dsn);
    expect(error.message).not.toContain("hunter2");
    expect(error.message).not.toContain(dsn);
    expect(error.message).toBe("could not connect to … as monitor with …");
  });
});
