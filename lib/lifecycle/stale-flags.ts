import type { listFlags } from "@/lib/flags/read-flags";

/** One row of `listFlags`: a flag with its state in one environment and its removal ticket. */
export type ListedFlag = Awaited<ReturnType<typeof listFlags>>["flags"][number];

export const DUE_SOON_DAYS = 14;
export const IDLE_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;

export type StaleReason =
  | { kind: "removal_overdue"; days: number }
  | { kind: "removal_due_soon"; days: number }
  | { kind: "idle"; days: number; percentage: number; killed: boolean };

export interface StaleFlag {
  flag: ListedFlag;
  reasons: StaleReason[];
  overdue: boolean;
}

/** Whole UTC days from today to the ticket's due day: 0 on the due day, negative once it has passed. */
export function daysUntilDue(dueDate: string, now: Date): number {
  return Math.round((utcDay(new Date(dueDate)) - utcDay(now)) / DAY_MS);
}

/**
 * Flags a manager should look at: removal ticket due within 14 days or overdue, or a state
 * left unchanged for 30+ days at 0% or 100% (the residue of a finished or abandoned ramp).
 * Sorted by due date, flags without an open ticket last.
 */
export function findStaleFlags(flags: ListedFlag[], now: Date): StaleFlag[] {
  return flags
    .flatMap((flag) => {
      const reasons = [...removalReasons(flag, now), ...idleReasons(flag, now)];
      if (reasons.length === 0) return [];
      return [{ flag, reasons, overdue: reasons.some((r) => r.kind === "removal_overdue") }];
    })
    .sort(byDueDate);
}

function removalReasons(flag: ListedFlag, now: Date): StaleReason[] {
  const ticket = openTicket(flag);
  if (!ticket) return [];
  const days = daysUntilDue(ticket.dueDate, now);
  if (days < 0) return [{ kind: "removal_overdue", days: -days }];
  if (days <= DUE_SOON_DAYS) return [{ kind: "removal_due_soon", days }];
  return [];
}

// An archived flag no longer serves traffic, so only its removal ticket can make it stale.
function idleReasons(flag: ListedFlag, now: Date): StaleReason[] {
  const { state } = flag;
  if (flag.archivedAt || (state.percentage !== 0 && state.percentage !== 100)) return [];
  const days = Math.floor((now.getTime() - new Date(state.updatedAt).getTime()) / DAY_MS);
  return days >= IDLE_DAYS ? [{ kind: "idle", days, percentage: state.percentage, killed: state.killed }] : [];
}

function openTicket(flag: ListedFlag) {
  return flag.removalTicket && flag.removalTicket.status !== "done" ? flag.removalTicket : null;
}

function byDueDate(a: StaleFlag, b: StaleFlag): number {
  const dueA = openTicket(a.flag)?.dueDate;
  const dueB = openTicket(b.flag)?.dueDate;
  if (dueA !== dueB) {
    if (dueA === undefined) return 1;
    if (dueB === undefined) return -1;
    return new Date(dueA).getTime() - new Date(dueB).getTime();
  }
  return a.flag.key.localeCompare(b.flag.key);
}

function utcDay(date: Date): number {
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
}
