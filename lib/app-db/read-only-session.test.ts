import { describe, expect, it } from "vitest";
import { AppDbUnavailableError, unavailable, withReadOnlySession } from "./read-only-session";

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

describe("an application database that does not answer", () => {
  it("is unavailable, not an error the control plane trips on", async () => {
    for (const [kind, dsn] of [["postgresql", "postgres://postgres@127.0.0.1:1/postgres"], ["mysql", "mysql://root@127.0.0.1:1/mysql"]] as const) {
      await expect(withReadOnlySession(kind, dsn, (query) => query("select 1"), quick)).rejects.toBeInstanceOf(AppDbUnavailableError);
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
