/** What a destination can ask to hear about. */
export const notificationEventTypes = [
  "kill",
  "restore",
  "percentage_change",
  "guard_rollback",
  "guard_paused",
  "guard_step_advanced",
  "plan_completed",
  "teardown_stage_passed",
  "teardown_moved_back",
  "removal_ticket_overdue",
] as const;
export type NotificationEventType = (typeof notificationEventTypes)[number];

export const severities = ["info", "warning", "critical"] as const;
export type Severity = (typeof severities)[number];

/** Kills and guard rollbacks wake someone; a paused plan and an overdue ticket want a look; the rest is news. */
export const SEVERITY_OF: Record<NotificationEventType, Severity> = {
  kill: "critical",
  guard_rollback: "critical",
  guard_paused: "warning",
  removal_ticket_overdue: "warning",
  restore: "info",
  percentage_change: "info",
  guard_step_advanced: "info",
  plan_completed: "info",
  teardown_stage_passed: "info",
  teardown_moved_back: "info",
};

export function atLeast(severity: Severity, minimum: Severity): boolean {
  return severities.indexOf(severity) >= severities.indexOf(minimum);
}

/** The audit action that each event type comes from; the guard's own flag changes are told by its ramp events. */
const FROM_ACTION: Record<string, NotificationEventType> = {
  "flag.killed": "kill",
  "flag.restored": "restore",
  "flag.state_updated": "percentage_change",
  "ramp.rolled_back": "guard_rollback",
  "ramp.paused": "guard_paused",
  "ramp.advanced": "guard_step_advanced",
  "ramp.completed": "plan_completed",
  "teardown.zero_fallback_confirmed": "teardown_stage_passed",
  "flag.archived": "teardown_stage_passed",
  "teardown.schema_contracted": "teardown_stage_passed",
  "teardown.moved_back": "teardown_moved_back",
  "removal_ticket.overdue": "removal_ticket_overdue",
};

/** The audit actor the ramp guard acts as (lib/guard), whose kill and step are told once, as a ramp event with evidence. */
const GUARD_ACTOR_NAME = "guard";

/**
 * The notification an audit event makes, if any. A percentage change is one only when the
 * percentage moved (a targets edit is not news); the guard's kill and advance are told by
 * `ramp.rolled_back` and `ramp.advanced`, so on-call hears one message, with the evidence.
 */
export function notificationEventOf(event: { action: string; actor: string; before?: unknown; after?: unknown }): NotificationEventType | null {
  const type = FROM_ACTION[event.action];
  if (!type) return null;
  if ((type === "kill" || type === "percentage_change") && event.actor === GUARD_ACTOR_NAME) return null;
  if (type === "percentage_change") {
    const before = (event.before as { percentage?: unknown } | null)?.percentage;
    const after = (event.after as { percentage?: unknown } | null)?.percentage;
    if (before === after) return null;
  }
  return type;
}

/** One line a person reads first: in Slack's header, and as the generic payload's `summary`. */
export function headline(type: NotificationEventType, facts: { flag: string | null; environment: string | null; before?: unknown; after?: unknown }): string {
  const flag = facts.flag ?? "a flag";
  const where = facts.environment ? ` in ${facts.environment}` : "";
  const percentage = (value: unknown) => {
    const p = (value as { percentage?: unknown; evidence?: { nextPercentage?: unknown } } | null) ?? null;
    const n = p?.percentage ?? p?.evidence?.nextPercentage;
    return typeof n === "number" ? `${n}%` : "?";
  };
  switch (type) {
    case "kill":
      return `Killed: ${flag}${where}`;
    case "restore":
      return `Restored: ${flag}${where} at ${percentage(facts.after)}`;
    case "percentage_change":
      return `${flag}${where}: ${percentage(facts.before)} → ${percentage(facts.after)}`;
    case "guard_rollback":
      return `Guard rolled back ${flag}${where}`;
    case "guard_paused":
      return `Ramp of ${flag}${where} paused`;
    case "guard_step_advanced":
      return `Guard advanced ${flag}${where} to ${percentage(facts.after)}`;
    case "plan_completed":
      return `Ramp of ${flag}${where} complete`;
    case "teardown_stage_passed":
      return `Teardown of ${flag}${where}: a stage passed`;
    case "teardown_moved_back":
      return `Teardown of ${flag}${where} moved back`;
    case "removal_ticket_overdue":
      return `Removal ticket for ${flag} is overdue`;
  }
}
