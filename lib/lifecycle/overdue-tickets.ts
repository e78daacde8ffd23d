import { and, eq, isNull, lt, ne, or, sql } from "drizzle-orm";
import { removalTickets } from "@/db/schema";
import { recordAuditEvent } from "@/lib/audit/audit-store";
import type { Db } from "@/lib/db/client";

/**
 * Each removal ticket past its due date and not done is noticed once per due date, as an audit
 * event (`removal_ticket.overdue`) that notifications pick up. Moving the due date re-arms it.
 */
export async function noticeOverdueTickets(db: Db, now = new Date()): Promise<number> {
  return db.transaction(async (tx) => {
    const due = await tx
      .update(removalTickets)
      .set({ overdueNoticedFor: sql`${removalTickets.dueAt}` })
      .where(
        and(
          ne(removalTickets.status, "done"),
          lt(removalTickets.dueAt, now),
          or(isNull(removalTickets.overdueNoticedFor), ne(removalTickets.overdueNoticedFor, removalTickets.dueAt)),
        ),
      )
      .returning();
    for (const ticket of due) {
      const days = Math.floor((now.getTime() - ticket.dueAt.getTime()) / 86_400_000);
      await recordAuditEvent(tx, {
        actor: "rampart",
        source: "controller",
        action: "removal_ticket.overdue",
        flagId: ticket.flagId,
        after: { owner: ticket.owner, dueAt: ticket.dueAt.toISOString(), status: ticket.status, daysOverdue: days, link: ticket.link },
        reason: `Removal ticket owned by ${ticket.owner} was due ${ticket.dueAt.toISOString().slice(0, 10)}${days > 0 ? `, ${days} ${days === 1 ? "day" : "days"} ago` : ""}.`,
      });
    }
    return due.length;
  });
}
