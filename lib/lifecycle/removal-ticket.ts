import type { z } from "zod";
import type { removalTickets } from "@/db/schema";
import { ValidationError } from "@/lib/errors";
import type { removalTicketInputSchema } from "@/lib/flags/schemas";

export const DEFAULT_TRIGGER_CONDITION = "legacy path at zero for 7 days";
export const DEFAULT_DUE_DAYS = 90;
const DAY_MS = 24 * 60 * 60 * 1000;

export type RemovalTicketInput = z.infer<typeof removalTicketInputSchema>;

/**
 * The removal ticket every flag is born with. Unset fields take the defaults:
 * the flag's owner, "legacy path at zero for 7 days", due 90 days after creation.
 */
export function planRemovalTicket(
  flagOwner: string,
  input: RemovalTicketInput | undefined,
  now: Date,
): Omit<typeof removalTickets.$inferInsert, "flagId"> {
  const dueAt = input?.dueDate ? parseDueDate(input.dueDate) : new Date(now.getTime() + DEFAULT_DUE_DAYS * DAY_MS);
  const startOfToday = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  if (dueAt.getTime() < startOfToday) {
    throw new ValidationError("invalid_removal_ticket", "The removal ticket's due date is in the past.", [
      { path: "removalTicket.dueDate", message: "must not be in the past" },
    ]);
  }
  return {
    owner: input?.owner ?? flagOwner,
    triggerCondition: input?.triggerCondition ?? DEFAULT_TRIGGER_CONDITION,
    dueAt,
    contractionTable: input?.contraction?.table ?? null,
    contractionOldColumn: input?.contraction?.oldColumn ?? null,
    contractionNewColumn: input?.contraction?.newColumn ?? null,
    link: input?.link ?? null,
    status: "open",
    createdAt: now,
    updatedAt: now,
  };
}

/** A bare date means midnight UTC of that day. */
function parseDueDate(value: string): Date {
  return new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
}
