import { and, asc, eq, inArray } from "drizzle-orm";
import { flagStates, flags, removalTickets, teardownProgress } from "@/db/schema";
import type { Db } from "@/lib/db/client";
import { NotFoundError } from "@/lib/errors";
import { nextChangeSeq } from "@/lib/propagation/flag-changes";
import type { FlagRow, FlagStateRow, RemovalTicketRow } from "./flag-view";

export async function findFlagByKey(db: Db, key: string): Promise<FlagRow | undefined> {
  const [flag] = await db.select().from(flags).where(eq(flags.key, key));
  return flag;
}

/** Flag keys by id, for rows of other tables that name flags by id. */
export async function findFlagKeys(db: Db, ids: number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.select({ id: flags.id, key: flags.key }).from(flags).where(inArray(flags.id, ids));
  return new Map(rows.map((row) => [row.id, row.key]));
}

/** The flag named in a request, or a 404 that names the `key`. */
export async function requireFlag(db: Db, key: string): Promise<FlagRow> {
  const flag = await findFlagByKey(db, key);
  if (!flag) {
    throw new NotFoundError("flag_not_found", `There is no flag "${key}".`, [
      { path: "key", message: `unknown flag "${key}"` },
    ]);
  }
  return flag;
}

/** Archives the flag and moves its state in every environment into the change stream, so SDKs drop it. */
export async function saveFlagArchived(db: Db, flagId: number, archivedAt: Date): Promise<void> {
  await db.update(flags).set({ archivedAt }).where(eq(flags.id, flagId));
  await db.update(flagStates).set({ changeSeq: nextChangeSeq }).where(eq(flagStates.flagId, flagId));
}

/** A flag's state in every environment. */
export async function findFlagStates(db: Db, flagId: number): Promise<FlagStateRow[]> {
  return db.select().from(flagStates).where(eq(flagStates.flagId, flagId));
}

export async function findFlagState(
  db: Db,
  flagId: number,
  environmentId: number,
  options: { forUpdate?: boolean } = {},
): Promise<FlagStateRow | undefined> {
  const query = db
    .select()
    .from(flagStates)
    .where(and(eq(flagStates.flagId, flagId), eq(flagStates.environmentId, environmentId)));
  const [state] = options.forUpdate ? await query.for("update") : await query;
  return state;
}

/** A flag's state in an environment; every flag has one per environment, so a miss is a 404. */
export async function requireFlagState(
  db: Db,
  flag: FlagRow,
  environment: { id: number; key: string },
  options: { forUpdate?: boolean } = {},
): Promise<FlagStateRow> {
  const state = await findFlagState(db, flag.id, environment.id, options);
  if (!state) {
    throw new NotFoundError("flag_state_not_found", `Flag "${flag.key}" has no state in ${environment.key}.`, [
      { path: "env", message: `no state in "${environment.key}"` },
    ]);
  }
  return state;
}

export async function findRemovalTicket(
  db: Db,
  flagId: number,
  options: { forUpdate?: boolean } = {},
): Promise<RemovalTicketRow | undefined> {
  const query = db.select().from(removalTickets).where(eq(removalTickets.flagId, flagId));
  const [ticket] = options.forUpdate ? await query.for("update") : await query;
  return ticket;
}

export type RemovalTicketChange = Partial<Omit<RemovalTicketRow, "id" | "flagId">>;

export async function saveRemovalTicket(db: Db, ticketId: number, change: RemovalTicketChange): Promise<RemovalTicketRow> {
  const [ticket] = await db.update(removalTickets).set(change).where(eq(removalTickets.id, ticketId)).returning();
  return ticket;
}

/** Every flag with its state, removal ticket and teardown progress in one environment, in key order. */
export async function findFlagsWithState(db: Db, environmentId: number) {
  return db
    .select({ flag: flags, state: flagStates, ticket: removalTickets, teardown: teardownProgress })
    .from(flags)
    .innerJoin(flagStates, and(eq(flagStates.flagId, flags.id), eq(flagStates.environmentId, environmentId)))
    .leftJoin(removalTickets, eq(removalTickets.flagId, flags.id))
    .leftJoin(
      teardownProgress,
      and(eq(teardownProgress.flagId, flags.id), eq(teardownProgress.environmentId, environmentId)),
    )
    .orderBy(asc(flags.key));
}
