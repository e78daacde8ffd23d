// The demo's `orders` table, built the way the seeds build it: the table as it was, orders placed
// before any expand, then each flag's additive migration. Every step checks what is there, so a
// restart changes nothing (and never re-runs a backfill over what the traffic wrote since).
import type { ClientBase } from "pg";

/** Orders placed before either expand: they keep only the old columns unless a backfill fills the new. */
export const HISTORY_ROWS = 20_000;

/** Statuses an order moves through; only the in-flight ones are read as queues, so they stay few. */
export const IN_FLIGHT_STATUSES = ["pending", "paid", "shipped"] as const;

/**
 * Applies the schema and returns what it did, in order. `client` must not be in a transaction:
 * CREATE INDEX CONCURRENTLY runs outside one, as the seed says.
 */
export async function applyOrdersSchema(client: ClientBase): Promise<string[]> {
  const applied: string[] = [];
  const columns = new Set(
    (await client.query<{ column_name: string }>("select column_name from information_schema.columns where table_schema = current_schema() and table_name = 'orders'")).rows.map(
      (row) => row.column_name,
    ),
  );

  if (columns.size === 0) {
    await inTransaction(client, async () => {
      // The legacy schema: status and legacy_total, each read by the code of its time.
      await client.query(`create table orders (
        id bigserial primary key,
        tenant_id text not null,
        user_id text,
        status varchar(50) not null,
        legacy_total numeric(12,2),
        created_at timestamptz not null default now()
      )`);
      await client.query("create index idx_orders_status on orders (status)");
      // Mostly delivered, a few in flight at the end, one in 50 cancelled; placed a minute apart.
      await client.query(
        `insert into orders (tenant_id, user_id, status, legacy_total, created_at)
         select 't-' || (g % 40), 'user-' || (g * 7919 % 5000),
                case when g > $1 - 60 then (array['pending', 'paid', 'shipped'])[1 + g % 3]
                     when g % 50 = 0 then 'cancelled' else 'delivered' end,
                round((5 + (g * 7919 % 29500) / 100.0)::numeric, 2),
                now() - make_interval(mins => $1 - g)
         from generate_series(1, $1) g`,
        [HISTORY_ROWS],
      );
    });
    applied.push(`created orders with ${HISTORY_ROWS.toLocaleString("en-US")} orders placed before the expand migrations`);
  }

  if (!columns.has("new_total")) {
    // enable_orders_v2_total's expand, long done: the column and its backfill, so its columns agree.
    await inTransaction(client, async () => {
      await client.query("ALTER TABLE orders ADD COLUMN IF NOT EXISTS new_total NUMERIC(12,2)");
      await client.query("UPDATE orders SET new_total = legacy_total WHERE new_total IS DISTINCT FROM legacy_total");
    });
    applied.push("added new_total and backfilled it from legacy_total");
  }

  // schema_v2's expand, the seed's step 1 verbatim; its backfill has not run, so older rows diverge.
  if (!columns.has("order_status")) {
    await client.query("ALTER TABLE orders ADD COLUMN IF NOT EXISTS order_status VARCHAR(50)");
    applied.push("added order_status (not backfilled)");
  }
  const index = await client.query<{ valid: boolean }>(
    "select i.indisvalid as valid from pg_index i join pg_class c on c.oid = i.indexrelid where c.relname = 'idx_orders_order_status' and c.relnamespace = current_schema()::regnamespace",
  );
  // A concurrent build cut short leaves an invalid index that IF NOT EXISTS would keep.
  if (index.rows[0] && !index.rows[0].valid) await client.query("DROP INDEX CONCURRENTLY idx_orders_order_status");
  if (!index.rows[0]?.valid) {
    await client.query("CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_orders_order_status ON orders (order_status)");
    applied.push("created idx_orders_order_status concurrently");
  }
  if (applied.length > 0) await client.query("ANALYZE orders");
  return applied;
}

async function inTransaction(client: ClientBase, work: () => Promise<void>): Promise<void> {
  await client.query("begin");
  try {
    await work();
    await client.query("commit");
  } catch (error) {
    await client.query("rollback").catch(() => undefined);
    throw error;
  }
}
