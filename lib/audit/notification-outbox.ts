import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { environments, flags, notificationDeliveries, notificationDestinations } from "@/db/schema";
import type { Db } from "@/lib/db/client";
import { atLeast, headline, notificationEventOf, SEVERITY_OF, type NotificationEventType, type Severity } from "@/lib/notification-events/notification-event";
import type { AuditSource } from "./audit-source";

/** The generic webhook's body: stable, documented in the README; `audit` carries the evidence. */
export interface NotificationPayload {
  id: string;
  type: NotificationEventType;
  severity: Severity;
  /** One line for people: what happened, to which flag, where. */
  summary: string;
  /** The flag's page in Rampart (RAMPART_URL), or null for events without a flag. */
  link: string | null;
  occurredAt: string;
  flag: string | null;
  environment: string | null;
  actor: string;
  source: AuditSource;
  reason: string | null;
  audit: { id: number; action: string; before: unknown; after: unknown };
}

export interface RecordedAuditEvent {
  id: number;
  at: Date;
  actor: string;
  source: AuditSource;
  action: string;
  environmentId: number | null;
  flagId: number | null;
  before: unknown;
  after: unknown;
  reason: string | null;
}

/**
 * Writes a delivery for every enabled destination that wants this event, in the audit event's
 * own transaction: the change and its notifications commit together or not at all.
 */
export async function enqueueNotifications(db: Db, event: RecordedAuditEvent): Promise<number> {
  const type = notificationEventOf(event);
  if (!type) return 0;
  const severity = SEVERITY_OF[type];
  const destinations = await db.select().from(notificationDestinations).where(eq(notificationDestinations.enabled, true));
  const [flag] = event.flagId === null ? [] : await db.select({ key: flags.key }).from(flags).where(eq(flags.id, event.flagId));
  const [environment] = event.environmentId === null ? [] : await db.select({ key: environments.key }).from(environments).where(eq(environments.id, event.environmentId));
  const wanted = destinations.filter(
    (d) => d.eventTypes.includes(type) && atLeast(severity, d.minSeverity) && (d.environments === null || (environment !== undefined && d.environments.includes(environment.key))),
  );
  if (wanted.length === 0) return 0;
  const eventId = randomUUID();
  const payload: NotificationPayload = {
    id: eventId,
    type,
    severity,
    summary: headline(type, { flag: flag?.key ?? null, environment: environment?.key ?? null, before: event.before, after: event.after }),
    link: flag ? `${publicUrl()}/flags/${encodeURIComponent(flag.key)}${environment ? `?env=${encodeURIComponent(environment.key)}` : ""}` : null,
    occurredAt: event.at.toISOString(),
    flag: flag?.key ?? null,
    environment: environment?.key ?? null,
    actor: event.actor,
    source: event.source,
    reason: event.reason,
    audit: { id: event.id, action: event.action, before: event.before, after: event.after },
  };
  await db.insert(notificationDeliveries).values(
    wanted.map((destination) => ({ destinationId: destination.id, eventId, auditEventId: event.id, eventType: type, severity, flagId: event.flagId, payload })),
  );
  return wanted.length;
}

/** Where people reach this Rampart: RAMPART_URL (as sign-in uses), else the local default. */
export function publicUrl(): string {
  return (process.env.RAMPART_URL || `http://localhost:${process.env.PORT || 3000}`).replace(/\/+$/, "");
}
