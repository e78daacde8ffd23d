import type { ServiceContext } from "@/lib/context";
import { recordAuditEvent } from "@/lib/audit/audit-store";
import { NotFoundError } from "@/lib/errors";
import { findRemovalTicket, requireFlag, saveRemovalTicket, type RemovalTicketChange } from "@/lib/flags/flag-store";
import { toRemovalTicketView, type RemovalTicketView } from "@/lib/flags/flag-view";
import { parseDueDate } from "@/lib/flags/removal-ticket-plan";
import type { RemovalTicketPatch } from "@/lib/flags/schemas";

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
    changes.contractionNewIndex = patch.contraction?.newIndex ?? null;
  }
  return changes;
}
