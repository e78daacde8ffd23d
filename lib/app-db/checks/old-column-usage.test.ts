import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmbeddedAppPostgres, type EmbeddedAppPostgres } from "@/testing/embedded-app-postgres";
import { givenScratchAppDb, type ScratchAppDb } from "@/testing/scratch-app-db";
import { withReadOnlySession } from "../read-only-session";
import { scanDivergenceBatch } from "./divergent-rows";
import { readActivity, readOldColumnStatements, type StatementKinds } from "./old-column-usage";

const target = { table: "orders", oldColumn: "status" };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let server: EmbeddedAppPostgres;
let withStatements: ScratchAppDb;
let plain: ScratchAppDb;
let mariadb: ScratchAppDb;

beforeAll(async () => {
  server = await startEmbeddedAppPostgres();
  [withStatements, plain, mariadb] = await Promise.all([givenScratchAppDb("postgresql", { server: server.server }), givenScratchAppDb("postgresql"), givenScratchAppDb("mysql")]);
  for (const app of [withStatements, plain, mariadb]) await app.exec("insert into orders (status, order_status) values ('paid', 'paid'), ('shipped', 'shipped')");
}, 60_000);
afterAll(async () => {
  await Promise.all([withStatements?.drop(), plain?.drop(), mariadb?.drop()]);
  await server?.stop();
});

describe("old-column statements from pg_stat_statements", () => {
  const read = () => withReadOnlySession("postgresql", withStatements.dsn, (query) => readOldColumnStatements("postgresql", query, target));

  it("counts the application's reads and writes of the old column, not the new one's, not DDL, not Rampart's scan", async () => {
    const before = await read();
    expect(before).toMatchObject({ available: true, source: "pg_stat_statements", evicted: 0 });
    await withStatements.exec(
      [
        "select status from orders where id = 1",
        "select status from orders where id = 2",
        "select id from orders where status = 'paid'",
        "update orders set status = 'refunded', order_status = 'refunded' where id = 1",
        "select order_status from orders where id = 1",
        "create index orders_status_scratch on orders (status)",
      ].join("; "),
    );
    await withReadOnlySession("postgresql", withStatements.dsn, (query) =>
      scanDivergenceBatch("postgresql", query, { table: "orders", oldColumn: "status", newColumn: "order_status" }, "id", null),
    );
    const after = await read();
    if (!before.available || !after.available) throw new Error("pg_stat_statements should be readable");
    expect([after.reads - before.reads, after.writes - before.writes]).toEqual([3, 1]);
    expect(after.statsReset!.getTime()).toBe(before.statsReset!.getTime());
  });

  it("shows a reset: stats_reset moves and the counts start again", async () => {
    const before = await read();
    await withStatements.exec("select pg_stat_statements_reset()");
    const after = await read();
    if (!before.available || !after.available) throw new Error("pg_stat_statements should be readable");
    expect(after.statsReset!.getTime()).toBeGreaterThan(before.statsReset!.getTime());
    expect(after.reads).toBe(0);
  });

  it("remembers each statement's kind: a later read fetches text only for statements it has not seen, and counts the same", async () => {
    const known: StatementKinds = new Map();
    const asked: string[] = [];
    const readRemembering = () =>
      withReadOnlySession("postgresql", withStatements.dsn, (query) =>
        readOldColumnStatements("postgresql", (sql, params) => (asked.push(sql), query(sql, params)), target, known),
      );
    const textReads = () => asked.filter((sql) => sql.includes("pg_stat_statements(true)")).length;
    const first = await readRemembering();
    expect(textReads()).toBe(1);
    expect(known.size).toBeGreaterThan(0);
    // The same statements again: calls move, no text is read, and the counts agree with a fresh read.
    await withStatements.exec("select status from orders where id = 1; update orders set status = 'paid' where id = 2");
    await readRemembering();
    const again = await readRemembering();
    expect(textReads()).toBe(2); // the second read met the two statements above for the first time
    const fresh = await read();
    if (!first.available || !again.available || !fresh.available) throw new Error("pg_stat_statements should be readable");
    expect([again.reads, again.writes]).toEqual([fresh.reads, fresh.writes]);
    expect([again.reads - first.reads, again.writes - first.writes]).toEqual([1, 1]);
    await withStatements.exec("select status from orders where id = 2");
    const third = await readRemembering();
    expect(textReads()).toBe(2);
    if (!third.available) throw new Error("pg_stat_statements should be readable");
    expect(third.reads - again.reads).toBe(1);
  });

  it("says why where pg_stat_statements is not loaded, rather than counting zero", async () => {
    const reading = await withReadOnlySession("postgresql", plain.dsn, (query) => readOldColumnStatements("postgresql", query, target));
    expect(reading).toEqual({ available: false, why: expect.stringMatching(/^pg_stat_statements is not installed here .*cannot prove zero\.$/) });
  });

  it("on MariaDB without performance_schema says so", async () => {
    const reading = await withReadOnlySession("mysql", mariadb.dsn, (query) => readOldColumnStatements("mysql", query, target));
    expect(reading).toEqual({ available: false, why: expect.stringMatching(/^performance_schema is off on this server/) });
  });
});

describe("running queries and lock waits, sampled", () => {
  it("on PostgreSQL: a slow read of the old column, and a write waiting on another's row lock", async () => {
    const { Client } = await import("pg");
    const [reader, holder, waiter] = [new Client({ connectionString: plain.dsn }), new Client({ connectionString: plain.dsn }), new Client({ connectionString: plain.dsn })];
    await Promise.all([reader.connect(), holder.connect(), waiter.connect()]);
    try {
      const idle = await withReadOnlySession("postgresql", plain.dsn, (query) => readActivity("postgresql", query, target));
      expect(idle).toEqual({ reads: 0, writes: 0, lockWaiting: 0 });

      const slowRead = reader.query("select pg_sleep(2), status from orders where id = 2");
      await holder.query("begin; update orders set status = 'held' where id = 1");
      const blocked = waiter.query("update orders set status = 'waiting' where id = 1");
      await sleep(400);
      const busy = await withReadOnlySession("postgresql", plain.dsn, (query) => readActivity("postgresql", query, target));
      expect(busy).toEqual({ reads: 1, writes: 1, lockWaiting: 1 });
      await holder.query("commit");
      await Promise.all([slowRead, blocked]);
    } finally {
      await Promise.all([reader.end(), holder.end(), waiter.end()]);
    }
  });

  it("on MariaDB: from the process list and InnoDB's lock waits", async () => {
    const mysql = await import("mysql2/promise");
    const [reader, holder, waiter] = await Promise.all([mariadb.dsn, mariadb.dsn, mariadb.dsn].map((uri) => mysql.createConnection({ uri })));
    try {
      const idle = await withReadOnlySession("mysql", mariadb.dsn, (query) => readActivity("mysql", query, target));
      expect(idle).toEqual({ reads: 0, writes: 0, lockWaiting: 0 });

      const slowRead = reader.query("select sleep(2), status from orders where id = 2");
      await holder.query("begin");
      await holder.query("update orders set status = 'held' where id = 1");
      const blocked = waiter.query("update orders set status = 'waiting' where id = 1");
      await sleep(400);
      const busy = await withReadOnlySession("mysql", mariadb.dsn, (query) => readActivity("mysql", query, target));
      expect(busy).toEqual({ reads: 1, writes: 1, lockWaiting: 1 });
      await holder.query("commit");
      await Promise.all([slowRead, blocked]);
    } finally {
      await Promise.all([reader.end(), holder.end(), waiter.end()]);
    }
  });
});
