import { chmod, mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { MONITOR_ROLE, openAppDatabase, type AppDatabase } from "./app-database";
import { HISTORY_ROWS } from "./orders-schema";
import { ORDERS_SQL, OrdersTable } from "./orders-table";

/** One embedded PostgreSQL for the file (about 2 s to create), on a port nobody else holds. */
let dir: string;
let port: number;
let appDatabase: AppDatabase;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "rampart-demo-app-db-"));
  await chmod(dir, 0o755); // as root the server runs as `postgres`, which must reach its data directory
  port = await freePort();
  appDatabase = await openAppDatabase({ dataDir: path.join(dir, "data"), port });
});

afterAll(async () => {
  await appDatabase?.stop();
  await rm(dir, { recursive: true, force: true });
});

const one = async <T extends pg.QueryResultRow>(sql: string, params: unknown[] = []) => (await appDatabase.pool.query<T>(sql, params)).rows[0]!;

describe("the demo's application database", () => {
  test("is built as the seeds build it, with pg_stat_statements, and a reopen applies nothing", async () => {
    expect(appDatabase.applied).toEqual([
      "created orders with 20,000 orders placed before the expand migrations",
      "added new_total and backfilled it from legacy_total",
      "added order_status (not backfilled)",
      "created idx_orders_order_status concurrently",
    ]);
    expect(appDatabase.statementStats).toBe(true);
    expect(appDatabase.location).toBe(`orders_app on 127.0.0.1:${port}`);
    const history = await one<{ rows: string; without_status: string; totals_differ: string }>(
      "select count(*) as rows, count(*) filter (where order_status is null) as without_status, count(*) filter (where legacy_total is distinct from new_total) as totals_differ from orders",
    );
    expect(history).toEqual({ rows: String(HISTORY_ROWS), without_status: String(HISTORY_ROWS), totals_differ: "0" });
    const index = await one<{ valid: boolean; def: string }>(
      "select i.indisvalid as valid, pg_get_indexdef(i.indexrelid) as def from pg_index i join pg_class c on c.oid = i.indexrelid where c.relname = 'idx_orders_order_status'",
    );
    expect(index).toEqual({ valid: true, def: "CREATE INDEX idx_orders_order_status ON public.orders USING btree (order_status)" });

    await appDatabase.stop();
    appDatabase = await openAppDatabase({ dataDir: path.join(dir, "data"), port });
    expect(appDatabase.applied).toEqual([]);
    expect((await one<{ rows: string }>("select count(*) as rows from orders")).rows).toBe(String(HISTORY_ROWS));
  });

  test("Rampart's role reads the table and the statistics, and cannot write", async () => {
    const monitor = new pg.Client({ connectionString: appDatabase.monitorDsn });
    await monitor.connect();
    try {
      expect((await monitor.query("select current_user as role")).rows[0].role).toBe(MONITOR_ROLE);
      expect((await monitor.query("select count(*)::int as rows from orders")).rows[0].rows).toBeGreaterThanOrEqual(HISTORY_ROWS);
      expect((await monitor.query("select count(*)::int as seen from pg_stat_statements where query like '%from orders%'")).rows[0].seen).toBeGreaterThan(0);
      await expect(monitor.query("update orders set status = 'x' where id = 1")).rejects.toThrow(/permission denied for table orders/);
    } finally {
      await monitor.end();
    }
  });

  test("the legacy path writes only the old columns; the new path writes both", async () => {
    const orders = new OrdersTable(appDatabase.pool);
    await orders.load();
    const legacyId = await orders.placeOrder("legacy", { userId: "user-1" });
    const newId = await orders.placeOrder("new", { tenantId: "t-test", userId: "qa-1" });
    const row = (id: number) => one<{ status: string; order_status: string | null }>("select status, order_status from orders where id = $1", [id]);
    expect(await row(legacyId)).toEqual({ status: "pending", order_status: null });
    expect(await row(newId)).toEqual({ status: "pending", order_status: "pending" });

    // The new path's pending queue holds only rows it can see: the one it placed is the oldest there.
    await orders.advanceOrder("new", "pending");
    expect(await row(newId)).toEqual({ status: "paid", order_status: "paid" });
    await orders.advanceOrder("legacy", "paid");
    expect(await row(newId)).toEqual({ status: "paid", order_status: "paid" }); // history's older paid orders go first

    await orders.setTotal("legacy", legacyId, "12.50");
    await orders.setTotal("new", newId, "40.00");
    const totals = (id: number) => one<{ legacy_total: string | null; new_total: string | null }>("select legacy_total, new_total from orders where id = $1", [id]);
    expect(await totals(legacyId)).toEqual({ legacy_total: "12.50", new_total: null });
    expect(await totals(newId)).toEqual({ legacy_total: "40.00", new_total: "40.00" });
  });

  test("the new path's queue reads go through idx_orders_order_status; the legacy path's never name order_status", async () => {
    await appDatabase.pool.query("analyze orders");
    for (const status of ["pending", "paid", "shipped"]) {
      const plan = await appDatabase.pool.query<{ "QUERY PLAN": string }>(`explain ${ORDERS_SQL.new.listQueue}`, [status]);
      expect(plan.rows.map((r) => r["QUERY PLAN"]).join("\n")).toContain("Index Scan using idx_orders_order_status on orders");
    }
    // What the old-column evidence relies on: the new path reads no `status`, the legacy path no `order_status`.
    for (const sql of [ORDERS_SQL.new.listQueue, ORDERS_SQL.new.readTotal]) expect(sql).not.toMatch(/(?<!order_)status\b|legacy_total/);
    expect(ORDERS_SQL.new.advance).toContain("where orders.order_status = $1");
    for (const sql of Object.values(ORDERS_SQL.legacy)) expect(sql).not.toMatch(/order_status|new_total/);
    expect(ORDERS_SQL.legacy.listQueue).toContain("where orders.status = $1");
  });
});
