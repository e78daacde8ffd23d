import { and, eq, isNotNull, isNull, sql } from "drizzle-orm";
import { appDatabases, environments, flags, removalTickets, teardownProgress } from "@/db/schema";
import type { Db } from "@/lib/db/client";

export type TeardownRow = typeof teardownProgress.$inferSelect;
export type TeardownChange = Partial<Omit<TeardownRow, "flagId" | "environmentId">>;

/** A flag's teardown progress in every environment that has any. */
export async function findTeardowns(db: Db, flagId: number): Promise<TeardownRow[]> {
  return db.select().from(teardownProgress).where(eq(teardownProgress.flagId, flagId));
}

/** Creates the row on first use: flags start with no teardown progress anywhere. */
export async function saveTeardown(db: Db, flagId: number, environmentId: number, change: TeardownChange): Promise<TeardownRow> {
  const [row] = await db
    .insert(teardownProgress)
    .values({ flagId, environmentId, ...change })
    .onConflictDoUpdate({ target: [teardownProgress.flagId, teardownProgress.environmentId], set: change })
    .returning();
  return row;
}

/**
 * Archived flags whose ticket names a column to drop, in each environment with an application
 * database where stage 4 is not done yet: what Rampart checks for itself every hour.
 */
export async function findUnverifiedContractions(db: Db): Promise<{ key: string; env: string }[]> {
  return db
    .select({ key: flags.key, env: environments.key })
    .from(flags)
    .innerJoin(removalTickets, eq(removalTickets.flagId, flags.id))
    .innerJoin(appDatabases, sql`true`)
    .innerJoin(environments, eq(environments.id, appDatabases.environmentId))
    .leftJoin(teardownProgress, and(eq(teardownProgress.flagId, flags.id), eq(teardownProgress.environmentId, environments.id)))
    .where(and(isNotNull(flags.archivedAt), isNotNull(removalTickets.contractionTable), isNotNull(removalTickets.contractionOldColumn), isNull(teardownProgress.schemaContractedAt)))
    .orderBy(flags.key, environments.key);
}
