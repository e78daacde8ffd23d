import type { ServiceContext } from "@/lib/context";
import { recordAuditEvent } from "@/lib/audit/audit-store";
import { listEnvironments, requireEnvironment } from "@/lib/environments/environment-store";
import { findRemovalTicket, requireFlag, saveRemovalTicket } from "@/lib/flags/flag-store";
import { readTeardown, type TeardownInput, type TeardownResult } from "./read-teardown";
import { contractionOf } from "./teardown-facts";
import { contractRefusal, refuseIf } from "./teardown-gates";
import { findTeardowns, saveTeardown } from "./teardown-store";
import { proveContraction } from "./verify-contraction";

/**
 * Stage 4: the old column is dropped here, verified in the application database where one is
 * connected, else on an operator's word (kept as unverified); the ticket closes once it is gone everywhere.
 */
export async function confirmSchemaContracted({ ctx, input }: { ctx: ServiceContext; input: TeardownInput }): Promise<TeardownResult> {
  const { key, env, reason } = input;
  const now = new Date();
  const environment = await requireEnvironment(ctx.db, env);
  // Read before the transaction: an application database may take seconds to answer.
  const proof = await proveContraction(ctx.db, key, env);
  const changed = await ctx.db.transaction(async (tx) => {
    const flag = await requireFlag(tx, key);
    // Locked so two environments confirmed at once cannot both miss closing the ticket.
    const ticket = await findRemovalTicket(tx, flag.id, { forUpdate: true });
    refuseIf(contractRefusal({ archived: flag.archivedAt !== null }));
    const teardowns = await findTeardowns(tx, flag.id);
    if (teardowns.find((t) => t.environmentId === environment.id)?.schemaContractedAt) return false;

    await saveTeardown(tx, flag.id, environment.id, {
      schemaContractedAt: now,
      schemaContractedBy: ctx.actor.name,
      schemaContractedVerified: proof.verified,
      schemaContractedEvidence: proof,
    });
    const contracted = new Set([environment.id, ...teardowns.filter((t) => t.schemaContractedAt).map((t) => t.environmentId)]);
    const everywhere = (await listEnvironments(tx)).every((e) => contracted.has(e.id));
    const ticketStatus = ticket && everywhere ? "done" : (ticket?.status ?? null);
    if (ticket && ticketStatus !== ticket.status) {
      await saveRemovalTicket(tx, ticket.id, { status: "done", updatedAt: now });
    }
    await recordAuditEvent(tx, {
      actor: ctx.actor.name,
      source: ctx.source,
      action: "teardown.schema_contracted",
      environmentId: environment.id,
      flagId: flag.id,
      before: { stage: "flag_removed", ticketStatus: ticket?.status ?? null },
      after: { stage: "schema_contracted", contraction: contractionOf(ticket), ticketStatus, verified: proof.verified },
      reason,
      requestId: ctx.requestId,
    });
    return true;
  });
  return { teardown: await readTeardown({ db: ctx.db, key, env, now }), changed };
}
