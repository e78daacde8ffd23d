import { notificationEventTypes, type NotificationEventType, type Severity } from "@/lib/notification-events/notification-event";

// How Settings → Notifications says a destination's filters and a delivery's outcome in words.
// Pure, so the client components and their unit test share it.

/** One event as a log row names it, and many as a filter lists them. */
const EVENT_WORDS: Record<NotificationEventType, { one: string; many: string }> = {
  kill: { one: "Kill", many: "kills" },
  restore: { one: "Restore", many: "restores" },
  percentage_change: { one: "Percentage change", many: "percentage changes" },
  guard_rollback: { one: "Guard rollback", many: "guard rollbacks" },
  guard_paused: { one: "Ramp paused", many: "paused ramps" },
  guard_step_advanced: { one: "Guard advanced a step", many: "guard step advances" },
  plan_completed: { one: "Ramp completed", many: "completed ramps" },
  teardown_stage_passed: { one: "Teardown stage passed", many: "teardown stages passed" },
  teardown_moved_back: { one: "Teardown moved back", many: "teardowns moved back" },
  removal_ticket_overdue: { one: "Removal ticket overdue", many: "overdue removal tickets" },
};

const capitalized = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** The checkbox label of one event type: "Guard rollbacks". */
export function eventTypeLabel(type: NotificationEventType): string {
  return capitalized(EVENT_WORDS[type].many);
}

/** A delivery's event type, which may also be "test", "stale_digest" or one added after this page was built. */
export function deliveryEventWords(type: string): string {
  if (type === "test") return "Test message";
  if (type === "stale_digest") return "Weekly stale digest";
  return type in EVENT_WORDS ? EVENT_WORDS[type as NotificationEventType].one : type;
}

/** "Kills, guard rollbacks", in the order the filter lists them; every type is "All events". */
export function describeEventTypes(types: readonly NotificationEventType[]): string {
  const chosen = notificationEventTypes.filter((type) => types.includes(type));
  if (chosen.length === notificationEventTypes.length) return "All events";
  if (chosen.length === 0) return "No events";
  return capitalized(chosen.map((type) => EVENT_WORDS[type].many).join(", "));
}

/** `null` is every environment, those added later included. */
export function describeEnvironments(environments: readonly string[] | null): string {
  return environments === null ? "All environments" : environments.join(", ");
}

const MIN_SEVERITY_WORDS: Record<Severity, string> = {
  info: "Everything (info and up)",
  warning: "Warnings and critical",
  critical: "Critical only",
};

export function describeMinSeverity(minSeverity: Severity): string {
  return MIN_SEVERITY_WORDS[minSeverity];
}

export const DESTINATION_KIND_WORDS = {
  slack: "Slack incoming webhook",
  webhook: "Generic JSON webhook",
} as const satisfies Record<"slack" | "webhook", string>;

/** What a delivery log row and a test's answer need to be told in words. */
export interface DeliveryOutcome {
  status: "pending" | "delivered" | "failed";
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
}

/** "Delivered: 200", "Failed: HTTP 503", "Failed: connect ECONNREFUSED …", "Pending: retrying after HTTP 503". */
export function describeOutcome({ status, attempts, lastStatusCode, lastError }: DeliveryOutcome): string {
  const answer = lastError ?? (lastStatusCode !== null ? `HTTP ${lastStatusCode}` : "no answer");
  if (status === "delivered") return lastStatusCode !== null ? `Delivered: ${lastStatusCode}` : "Delivered";
  if (status === "failed") return `Failed: ${answer}`;
  return attempts === 0 ? "Pending: not sent yet" : `Pending: retrying after ${answer}`;
}

/** "2026-12-03 10:00:07 UTC": retries are seconds apart, so the log shows seconds. */
export function formatUtcSeconds(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;
}

/** A test message is not redelivered (the API answers 409); send a new one instead. */
export function canRedeliver(delivery: { status: DeliveryOutcome["status"]; eventType: string }): boolean {
  return delivery.status !== "pending" && delivery.eventType !== "test";
}
