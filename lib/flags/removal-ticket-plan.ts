import type { z } from "zod";
import type { removalTickets } from "@/db/schema";
import { ValidationError } from "@/lib/errors";
import type { removalTicketInputSchema } from "./schemas";
import { DEFAULT_DUE_DAYS, DEFAULT_LEGACY_ZERO_DAYS, DEFAULT_QUIET_HOURS } from "./ticket-defaults";

const DAY_MS = 24 * 60 * 60 * 1000;
/** Far enough for any real plan, near enough that every date stays inside what PostgreSQL stores. */
const MAX_DUE_YEARS = 100;

export type RemovalTicketInput = z.infer<typeof removalTicketInputSchema>;

/**
 * The removal ticket every flag is born with. Unset fields take the defaults: the flag's
 * owner, legacy path at zero for 7 days, 24 quiet hours before archiving, due in 90 days.
 */
export function planRemovalTicket(
  flagOwner: string,
  input: RemovalTicketInput | undefined,
  now: Date,
): Omit<typeof removalTickets.$inferInsert, "flagId"> {
  const dueAt = input?.dueDate ? parseDueDate(input.dueDate, now, "removalTicket.dueDate") : new Date(now.getTime() + DEFAULT_DUE_DAYS * DAY_MS);
  return {
    owner: input?.owner ?? flagOwner,
    legacyZeroDays: input?.legacyZeroDays ?? DEFAULT_LEGACY_ZERO_DAYS,
    quietHours: input?.quietHours ?? DEFAULT_QUIET_HOURS,
    staleAfterDays: input?.staleAfterDays ?? null,
    dueAt,
    contractionTable: input?.contraction?.table ?? null,
    contractionOldColumn: input?.contraction?.oldColumn ?? null,
    contractionNewColumn: input?.contraction?.newColumn ?? null,
    contractionNewIndex: input?.contraction?.newIndex ?? null,
    link: input?.link ?? null,
    status: "open",
    createdAt: now,
    updatedAt: now,
  };
}

/** A bare date means midnight UTC of that day; today is allowed, the past is not. */
export function parseDueDate(value: string, now: Date, path: string): Date {
  const dueAt = new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(dueAt.getTime())) {
    throw new ValidationError("invalid_removal_ticket", "The removal ticket's due date is not a calendar date.", [
      { path, message: "must be a real date such as 2027-01-31" },
    ]);
  }
  const startOfToday = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  if (dueAt.getTime() < startOfToday) {
    throw new ValidationError("invalid_removal_ticket", "The removal ticket's due date is in the past.", [
      { path, message: "must not be in the past" },
    ]);
  }
  if (dueAt.getTime() > startOfToday + MAX_DUE_YEARS * 366 * DAY_MS) {
    throw new ValidationError("invalid_removal_ticket", `The removal ticket's due date is more than ${MAX_DUE_YEARS} years away.`, [
      { path, message: `must be within ${MAX_DUE_YEARS} years` },
    ]);
  }
  return dueAt;
}
