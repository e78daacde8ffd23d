import { randomUUID } from "node:crypto";
import type { NotificationPayload } from "@/lib/audit/notification-outbox";
import { recordAuditEvent } from "@/lib/audit/audit-store";
import type { ServiceContext } from "@/lib/context";
import { ConflictError, NotFoundError } from "@/lib/errors";
import { postJson } from "./deliver";
import { findDeliveries, findDelivery, insertDelivery, requeueDelivery, type DeliveryRow } from "./delivery-store";
import { requestFor } from "./delivery-worker";
import { requireDestination } from "./destinations";

/** A row of a destination's delivery log, as admins read it. */
export interface DeliveryView {
  id: number;
  eventId: string;
  eventType: string;
  severity: string;
  summary: string | null;
  status: DeliveryRow["status"];
  attempts: number;
  lastStatusCode: number | null;
  lastResponseExcerpt: string | null;
  lastError: string | null;
  lastAttemptAt: string | null;
  nextAttemptAt: string | null;
  createdAt: string;
  deliveredAt: string | null;
}

function toView(row: DeliveryRow): DeliveryView {
  return {
    id: row.id,
    eventId: row.eventId,
    eventType: row.eventType,
    severity: row.severity,
    summary: (row.payload as { summary?: string }).summary ?? null,
    status: row.status,
    attempts: row.attempts,
    lastStatusCode: row.lastStatusCode,
    lastResponseExcerpt: row.lastResponseExcerpt,
    lastError: row.lastError,
    lastAttemptAt: row.lastAttemptAt?.toISOString() ?? null,
    nextAttemptAt: row.status === "pending" ? row.nextAttemptAt.toISOString() : null,
    createdAt: row.createdAt.toISOString(),
    deliveredAt: row.deliveredAt?.toISOString() ?? null,
  };
}

export async function listDeliveries(ctx: ServiceContext, destinationId: number, limit = 100): Promise<DeliveryView[]> {
  await requireDestination(ctx, destinationId);
  return (await findDeliveries(ctx.db, destinationId, limit)).map(toView);
}

/** Sends a test message now, outside the outbox (no retries), and logs how it went. */
export async function sendTest(ctx: ServiceContext, destinationId: number): Promise<DeliveryView> {
  const destination = await requireDestination(ctx, destinationId);
  const now = new Date();
  const payload = {
    id: randomUUID(),
    type: "test",
    severity: "info",
    summary: `Test message from Rampart to ${destination.name}`,
    link: null,
    occurredAt: now.toISOString(),
    flag: null,
    environment: null,
    actor: ctx.actor.name,
    source: ctx.source,
    reason: "Sent with the Send test button.",
    audit: { id: 0, action: "notification.test", before: null, after: null },
  } as unknown as NotificationPayload;
  const request = requestFor(destination, payload, now);
  const result = await postJson(request.url, request.body, request.headers);
  return ctx.db.transaction(async (tx) => {
    const row = await insertDelivery(tx, {
      destinationId,
      eventId: payload.id,
      eventType: "test",
      severity: "info",
      payload,
      status: result.ok ? "delivered" : "failed",
      attempts: 1,
      lastAttemptAt: new Date(),
      lastStatusCode: result.statusCode,
      lastResponseExcerpt: result.excerpt,
      lastError: result.error,
      deliveredAt: result.ok ? new Date() : null,
    });
    await recordAuditEvent(tx, { actor: ctx.actor.name, source: ctx.source, action: "notification_destination.tested", after: { name: destination.name, delivered: result.ok, statusCode: result.statusCode }, requestId: ctx.requestId });
    return toView(row);
  });
}

/** Queues a delivery again, with a fresh hour of retries; a pending one is already on its way. */
export async function redeliver(ctx: ServiceContext, deliveryId: number): Promise<DeliveryView> {
  const delivery = await findDelivery(ctx.db, deliveryId);
  if (!delivery) throw new NotFoundError("delivery_not_found", `There is no delivery ${deliveryId}.`);
  if (delivery.status === "pending") throw new ConflictError("delivery_pending", "This delivery is still being tried; it needs no redelivery.", [{ path: "id", message: "is pending" }]);
  if (delivery.eventType === "test") throw new ConflictError("delivery_is_test", "A test message is not redelivered; send a new one.", [{ path: "id", message: "is a test" }]);
  return ctx.db.transaction(async (tx) => {
    const row = await requeueDelivery(tx, deliveryId, new Date());
    await recordAuditEvent(tx, { actor: ctx.actor.name, source: ctx.source, action: "notification_delivery.redelivered", after: { deliveryId, eventId: delivery.eventId, destinationId: delivery.destinationId }, requestId: ctx.requestId });
    return toView(row!);
  });
}
