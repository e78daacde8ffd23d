import type { RemovalTicketStatus } from "@/lib/lifecycle/removal-ticket-status";
import type { TeardownStage } from "@/lib/lifecycle/teardown-gates";

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 24 * 3600],
  ["month", 30 * 24 * 3600],
  ["week", 7 * 24 * 3600],
  ["day", 24 * 3600],
  ["hour", 3600],
  ["minute", 60],
];
const relativeFormat = new Intl.RelativeTimeFormat("en", { numeric: "auto" });

/** "3 minutes ago", "in 2 weeks"; anything under a minute is "just now". */
export function formatRelative(iso: string, now: Date): string {
  const seconds = (new Date(iso).getTime() - now.getTime()) / 1000;
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return relativeFormat.format(Math.trunc(seconds / size), unit);
  }
  return "just now";
}

/** "2025-06-15 14:03 UTC": one clock for everyone on the incident call. */
export function formatAbsolute(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/** The calendar day (UTC) of a due date. */
export function formatDay(iso: string): string {
  return iso.slice(0, 10);
}

export function formatPercentage(percentage: number): string {
  return `${percentage}%`;
}

export function formatDueIn(days: number): string {
  if (days === 0) return "due today";
  if (days > 0) return `due in ${days} day${days === 1 ? "" : "s"}`;
  return `overdue by ${-days} day${days === -1 ? "" : "s"}`;
}

/** "1 day", "3 days". */
export function formatCount(count: number, unit: string): string {
  return `${count.toLocaleString("en")} ${unit}${count === 1 ? "" : "s"}`;
}

const TICKET_STATUS_LABELS: Record<RemovalTicketStatus, string> = {
  open: "Open",
  flag_removed: "Flag removed, column pending",
  done: "Done",
};

export function formatTicketStatus(status: RemovalTicketStatus): string {
  return TICKET_STATUS_LABELS[status];
}

const TEARDOWN_STAGE_LABELS: Record<TeardownStage, string> = {
  ramping: "Ramping",
  ramped: "Ramped",
  zero_fallback_confirmed: "Zero fallback confirmed",
  flag_removed: "Flag removed from code",
  schema_contracted: "Schema contracted",
};

export function formatTeardownStage(stage: TeardownStage): string {
  return TEARDOWN_STAGE_LABELS[stage];
}
