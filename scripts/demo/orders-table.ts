// What each path of the orders service does to the real `orders` table. The legacy path reads and
// writes `status` (`legacy_total`); the new path reads `order_status` (`new_total`) and dual-writes
// both, as the seed's step 2 has it. Columns are written `orders.status` where SQL allows, the form
// the seed's pg_stat_activity check looks for.
import type { Pool } from "pg";
import { IN_FLIGHT_STATUSES } from "./orders-schema";

export type Path = "new" | "legacy";
type InFlightStatus = (typeof IN_FLIGHT_STATUSES)[number];

/** Every statement the service runs, by path. */
export const ORDERS_SQL = {
  legacy: {
    listQueue: "select orders.id, orders.status from orders where orders.status = $1 order by orders.id limit 20",
    place: "insert into orders (tenant_id, user_id, status) values ($1, $2, $3) returning id",
    advance: "update orders set status = $2 where orders.id = (select orders.id from orders where orders.status = $1 order by orders.id limit 1)",
    readTotal: "select orders.id, orders.legacy_total from orders where orders.id = $1",
    setTotal: "update orders set legacy_total = $1 where orders.id = $2",
  },
  new: {
    listQueue: "select orders.id, orders.order_status from orders where orders.order_status = $1 order by orders.id limit 20",
    place: "insert into orders (tenant_id, user_id, status, order_status) values ($1, $2, $3, $3) returning id",
    advance:
      "update orders set status = $2, order_status = $2 where orders.id = (select orders.id from orders where orders.order_status = $1 order by orders.id limit 1)",
    readTotal: "select orders.id, orders.new_total from orders where orders.id = $1",
    setTotal: "update orders set legacy_total = $1, new_total = $1 where orders.id = $2",
  },
} as const satisfies Record<Path, Record<string, string>>;

const NEXT_STATUS: Record<InFlightStatus, string> = { pending: "paid", paid: "shipped", shipped: "delivered" };
/** Of schema_v2's operations: a few orders placed; more advanced (three steps each), so queues stay short. */
const PLACE_SHARE = 0.04;
const ADVANCE_SHARE = 0.16;
/** Of the total's operations, the rest being reads. */
const PRICE_SHARE = 0.2;
const TENANTS = 40;

export interface OrderContext {
  tenantId?: string;
  userId?: string;
}

const pick = <T>(values: readonly T[]): T => values[Math.floor(Math.random() * values.length)]!;

export class OrdersTable {
  /** The highest order id seen: totals are read and set on orders up to it. */
  private maxId = 1;

  constructor(private readonly pool: Pool) {}

  async load(): Promise<void> {
    const { rows } = await this.pool.query<{ max: string | null }>("select max(id) as max from orders");
    this.maxId = Math.max(1, Number(rows[0]?.max ?? 1));
  }

  /** schema_v2's work for one request: list a status queue, place an order, or advance the oldest in a queue. */
  async orderStatus(path: Path, context: OrderContext): Promise<void> {
    const roll = Math.random();
    if (roll < PLACE_SHARE) await this.placeOrder(path, context);
    else if (roll < PLACE_SHARE + ADVANCE_SHARE) await this.advanceOrder(path, pick(IN_FLIGHT_STATUSES));
    else await this.pool.query(ORDERS_SQL[path].listQueue, [pick(IN_FLIGHT_STATUSES)]);
  }

  /** enable_orders_v2_total's work for one request: read an order's total, or set it. */
  async orderTotal(path: Path): Promise<void> {
    const id = 1 + Math.floor(Math.random() * this.maxId);
    if (Math.random() < PRICE_SHARE) await this.setTotal(path, id, (5 + Math.random() * 295).toFixed(2));
    else await this.pool.query(ORDERS_SQL[path].readTotal, [id]);
  }

  /** A new order is pending and has no total yet: the total's path prices it later. */
  async placeOrder(path: Path, { tenantId, userId }: OrderContext): Promise<number> {
    const tenant = tenantId ?? `t-${Math.floor(Math.random() * TENANTS)}`;
    const { rows } = await this.pool.query<{ id: string }>(ORDERS_SQL[path].place, [tenant, userId ?? null, "pending"]);
    const id = Number(rows[0]!.id);
    this.maxId = Math.max(this.maxId, id);
    return id;
  }

  /** Moves the oldest order of a queue on; each path finds the queue by the column it reads. */
  async advanceOrder(path: Path, from: InFlightStatus): Promise<void> {
    await this.pool.query(ORDERS_SQL[path].advance, [from, NEXT_STATUS[from]]);
  }

  async setTotal(path: Path, id: number, total: string): Promise<void> {
    await this.pool.query(ORDERS_SQL[path].setTotal, [total, id]);
  }
}
