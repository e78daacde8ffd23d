import type { ServiceContext } from "@/lib/context";
import { recordAuditEvent } from "@/lib/audit/audit-store";
import { listEnvironments } from "@/lib/environments/environment-store";
import { requireFlag, saveFlagArchived, saveRemovalTicket } from "@/lib/flags/flag-store";
import { lockEnvironmentsForChange, notifyFlagChange } from "@/lib/propagation/flag-changes";
import { readTeardown, type TeardownInput, type TeardownResult } from "./read-teardown";
import { gatherFacts, ticketTerms } from "./teardown-facts";
import { archiveRefusal, refuseIf } from "./teardown-gates";

/**
 * Stage 3: takes the flag out of the flag service. Every environment's state moves in the
 * change stream so SDKs drop it; the ticket moves to flag_removed. Idempotent.
 */
export async function archiveFlag({ ctx, input }: { ctx: ServiceContext; input: TeardownInput }): Promise<TeardownResult> {
  const { key, env, reason } = input;
  const now = new Date();
  const changed = await ctx.db.transaction(async (tx) => {
    const environments = await listEnvironments(tx);
    await lockEnvironmentsForChange(tx, environments.map((e) => e.id));
    const flag = await requireFlag(tx, key);
    if (flag.archivedAt) return false;
    const facts = await gatherFacts(tx, flag);
    refuseIf(archiveRefusal({ environments: facts.evaluations, quietHours: ticketTerms(facts.ticket).quietHours, now }));

    await saveFlagArchived(tx, flag.id, now);
    if (facts.ticket?.status === "open") await saveRemovalTicket(tx, facts.ticket.id, { status: "flag_removed", updatedAt: now });
    await recordAuditEvent(tx, {
      actor: ctx.actor.name,
      source: ctx.source,
      action: "flag.archived",
      flagId: flag.id,
      before: { archivedAt: null, ticketStatus: facts.ticket?.status ?? null },
      after: {
        archivedAt: now.toISOString(),
        ticketStatus: facts.ticket ? "flag_removed" : null,
        lastEvaluated: Object.fromEntries(facts.evaluations.map((e) => [e.environment, e.lastEvaluatedAt?.toISOString() ?? null])),
      },
      reason,
      requestId: ctx.requestId,
    });
    for (const environment of environments) await notifyFlagChange(tx, environment.key);
    return true;
  });
  return { teardown: await readTeardown({ db: ctx.db, key, env, now }), changed };
}
