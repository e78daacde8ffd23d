import { flagStates, flags, removalTickets } from "@/db/schema";
import type { ServiceContext } from "@/lib/context";
import { recordAuditEvent } from "@/lib/audit/audit-store";
import { listEnvironments } from "@/lib/environments/environment-store";
import { ConflictError } from "@/lib/errors";
import { lockEnvironmentsForChange, notifyFlagChange } from "@/lib/propagation/flag-changes";
import { findFlagByKey } from "./flag-store";
import { toFlagStateView, toFlagView, toRemovalTicketView, type FlagStateView } from "./flag-view";
import { planRemovalTicket } from "./removal-ticket-plan";
import type { CreateFlagInput } from "./schemas";

/** Creates the flag, its state in every environment (off, 0%) and its removal ticket, in one transaction. */
export async function createFlag({ ctx, input }: { ctx: ServiceContext; input: CreateFlagInput }) {
  const now = new Date();
  const ticketValues = planRemovalTicket(input.owner, input.removalTicket, now);

  return ctx.db.transaction(async (tx) => {
    const environments = await listEnvironments(tx);
    await lockEnvironmentsForChange(tx, environments.map((environment) => environment.id));
    if (await findFlagByKey(tx, input.key)) throw flagExists(input.key);

    const [flag] = await tx
      .insert(flags)
      .values({
        key: input.key,
        name: input.name ?? input.key,
        description: input.description ?? "",
        owner: input.owner,
        createdAt: now,
      })
      .onConflictDoNothing({ target: flags.key })
      .returning();
    // A concurrent create of the same key won the race between our check and insert.
    if (!flag) throw flagExists(input.key);

    const states = await tx
      .insert(flagStates)
      .values(
        environments.map((environment) => ({
          flagId: flag.id,
          environmentId: environment.id,
          updatedAt: now,
          updatedBy: ctx.actor.name,
        })),
      )
      .returning();
    const [ticket] = await tx
      .insert(removalTickets)
      .values({ ...ticketValues, flagId: flag.id })
      .returning();

    const stateByEnvironment: Record<string, FlagStateView> = {};
    for (const environment of environments) {
      const state = states.find((s) => s.environmentId === environment.id);
      if (state) stateByEnvironment[environment.key] = toFlagStateView(state);
    }
    const created = {
      flag: toFlagView(flag),
      states: stateByEnvironment,
      removalTicket: toRemovalTicketView(ticket),
    };
    await recordAuditEvent(tx, {
      actor: ctx.actor.name,
      source: ctx.source,
      action: "flag.created",
      flagId: flag.id,
      after: { flag: created.flag, removalTicket: created.removalTicket },
      requestId: ctx.requestId,
    });
    for (const environment of environments) await notifyFlagChange(tx, environment.key);
    return created;
  });
}

function flagExists(key: string): ConflictError {
  return new ConflictError("flag_exists", `A flag "${key}" already exists.`, [
    { path: "key", message: "is already taken" },
  ]);
}
