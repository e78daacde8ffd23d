import type { z } from "zod";
import type { removalTickets } from "@/db/schema";
import type { ServiceContext } from "@/lib/context";
import { recordAuditEvent } from "@/lib/audit/audit-store";
import { NotFoundError, ValidationError } from "@/lib/errors";
import { findRemovalTicket, requireFlag, saveRemovalTicket, type RemovalTicketChange } from "@/lib/flags/flag-store";
import { toRemovalTicketView, type RemovalTicketView } from "@/lib/flags/flag-view";
import type { RemovalTicketPatch, removalTicketInputSchema } from "@/lib/flags/schemas";
import { DEFAULT_DUE_DAYS, DEFAULT_LEGACY_ZERO_DAYS, DEFAULT_QUIET_HOURS } from "./ticket-defaults";

const DAY_MS = 24 * 60 * 60 * 1000;

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
    link: input?.link ?? null,
    status: "open",
    createdAt: now,
    updatedAt: now,
  };
}

export interface UpdateRemovalTicketInput {
  key: string;
  patch: RemovalTicketPatch;
}

/** Edits the ticket's plan; its status only moves with the teardown. Audited; a no-op writes nothing. */
export async function updateRemovalTicket({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: UpdateRemovalTicketInput;
}): Promise<{ key: string; removalTicket: RemovalTicketView; changed: boolean }> {
  const { key, patch } = input;
  const now = new Date();
  const changes = ticketChanges(patch, now);
  return ctx.db.transaction(async (tx) => {
    const flag = await requireFlag(tx, key);
    const current = await findRemovalTicket(tx, flag.id, { forUpdate: true });
    if (!current) {
      throw new NotFoundError("removal_ticket_not_found", `Flag "${key}" has no removal ticket.`, [
        { path: "key", message: "has no removal ticket" },
      ]);
    }
    const before = toRemovalTicketView(current);
    const changed = (Object.keys(changes) as (keyof typeof changes)[]).filter(
      (column) => JSON.stringify(current[column]) !== JSON.stringify(changes[column]),
    );
    if (changed.length === 0) return { key, removalTicket: before, changed: false };

    const next = await saveRemovalTicket(tx, current.id, { ...changes, updatedAt: now });
    const after = toRemovalTicketView(next);
    await recordAuditEvent(tx, {
      actor: ctx.actor.name,
      source: ctx.source,
      action: "removal_ticket.updated",
      flagId: flag.id,
      before,
      after,
      requestId: ctx.requestId,
    });
    return { key, removalTicket: after, changed: true };
  });
}

function ticketChanges(patch: RemovalTicketPatch, now: Date): RemovalTicketChange {
  const changes: RemovalTicketChange = {};
  if (patch.owner !== undefined) changes.owner = patch.owner;
  if (patch.legacyZeroDays !== undefined) changes.legacyZeroDays = patch.legacyZeroDays;
  if (patch.quietHours !== undefined) changes.quietHours = patch.quietHours;
  if (patch.staleAfterDays !== undefined) changes.staleAfterDays = patch.staleAfterDays;
  if (patch.dueDate !== undefined) changes.dueAt = parseDueDate(patch.dueDate, now, "dueDate");
  if (patch.link !== undefined) changes.link = patch.link;
  if (patch.contraction !== undefined) {
    changes.contractionTable = patch.contraction?.table ?? null;
    changes.contractionOldColumn = patch.contraction?.oldColumn ?? null;
    changes.contractionNewColumn = patch.contraction?.newColumn ?? null;
  }
  return changes;
}

/** A bare date means midnight UTC of that day; today is allowed, the past is not. */
/** Far enough for any real plan, near enough that every date stays inside what PostgreSQL stores. */
const MAX_DUE_YEARS = 100;

function parseDueDate(value: string, now: Date, path: string): Date {
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
