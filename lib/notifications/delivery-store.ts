import { and, desc, eq, sql } from "drizzle-orm";
import { notificationDeliveries, notificationDestinations } from "@/db/schema";
import type { Db } from "@/lib/db/client";

export type DeliveryRow = typeof notificationDeliveries.$inferSelect;
export type DestinationRow = typeof notificationDestinations.$inferSelect;

/**
 * The oldest pending delivery of each (destination, flag) whose time has come: a later one
 * waits behind it, so a restore never overtakes the kill it undoes. Disabled destinations wait.
 */
export async function findDueHeads(db: Db, now: Date, limit: number): Promise<{ delivery: DeliveryRow; destination: DestinationRow }[]> {
  const d = notificationDeliveries;
  const heads = db
    .selectDistinctOn([d.destinationId, d.flagId], { id: d.id })
    .from(d)
    .where(eq(d.status, "pending"))
    .orderBy(d.destinationId, d.flagId, d.id)
    .as("heads");
  const rows = await db
    .select({ delivery: d, destination: notificationDestinations })
    .from(d)
    .innerJoin(heads, eq(heads.id, d.id))
    .innerJoin(notificationDestinations, eq(notificationDestinations.id, d.destinationId))
    .where(and(sql`${d.nextAttemptAt} <= ${now.toISOString()}`, eq(notificationDestinations.enabled, true)))
    .orderBy(d.id)
    .limit(limit);
  return rows;
}

/** Records an attempt, if the row is still as read (another worker, or a redeliver, did not move it). */
export async function saveAttempt(db: Db, delivery: DeliveryRow, change: Partial<DeliveryRow>): Promise<boolean> {
  const moved = await db
    .update(notificationDeliveries)
    .set({ ...change, attempts: delivery.attempts + 1 })
    .where(and(eq(notificationDeliveries.id, delivery.id), eq(notificationDeliveries.status, "pending"), eq(notificationDeliveries.attempts, delivery.attempts)))
    .returning({ id: notificationDeliveries.id });
  return moved.length === 1;
}

export async function findDeliveries(db: Db, destinationId: number, limit: number): Promise<DeliveryRow[]> {
  return db.select().from(notificationDeliveries).where(eq(notificationDeliveries.destinationId, destinationId)).orderBy(desc(notificationDeliveries.id)).limit(limit);
}

export async function findDelivery(db: Db, id: number): Promise<DeliveryRow | undefined> {
  const [row] = await db.select().from(notificationDeliveries).where(eq(notificationDeliveries.id, id));
  return row;
}

export async function requeueDelivery(db: Db, id: number, now: Date): Promise<DeliveryRow | undefined> {
  const [row] = await db
    .update(notificationDeliveries)
    .set({ status: "pending", nextAttemptAt: now, queuedAt: now, deliveredAt: null })
    .where(eq(notificationDeliveries.id, id))
    .returning();
  return row;
}

export async function insertDelivery(db: Db, row: typeof notificationDeliveries.$inferInsert): Promise<DeliveryRow> {
  const [inserted] = await db.insert(notificationDeliveries).values(row).returning();
  return inserted!;
}
