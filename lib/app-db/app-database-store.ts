import { and, asc, eq, gt, gte, isNotNull, isNull, lt } from "drizzle-orm";
import { appDatabases, environments, flagStates, flags, indexScanSamples, removalTickets } from "@/db/schema";
import type { Db } from "@/lib/db/client";

export type AppDatabaseRow = typeof appDatabases.$inferSelect;

export async function findAppDatabases(db: Db): Promise<(AppDatabaseRow & { environment: string })[]> {
  const rows = await db
    .select({ row: appDatabases, environment: environments.key })
    .from(appDatabases)
    .innerJoin(environments, eq(environments.id, appDatabases.environmentId))
    .orderBy(asc(environments.id));
  return rows.map(({ row, environment }) => ({ ...row, environment }));
}

export async function findAppDatabase(db: Db, id: number): Promise<(AppDatabaseRow & { environment: string }) | undefined> {
  const [found] = await db
    .select({ row: appDatabases, environment: environments.key })
    .from(appDatabases)
    .innerJoin(environments, eq(environments.id, appDatabases.environmentId))
    .where(eq(appDatabases.id, id));
  return found && { ...found.row, environment: found.environment };
}

export async function findAppDatabaseForEnvironment(db: Db, environmentId: number): Promise<AppDatabaseRow | undefined> {
  const [row] = await db.select().from(appDatabases).where(eq(appDatabases.environmentId, environmentId));
  return row;
}

export async function insertAppDatabase(db: Db, row: typeof appDatabases.$inferInsert): Promise<AppDatabaseRow | undefined> {
  const [inserted] = await db.insert(appDatabases).values(row).onConflictDoNothing({ target: appDatabases.environmentId }).returning();
  return inserted;
}

export async function deleteAppDatabase(db: Db, id: number): Promise<AppDatabaseRow | undefined> {
  const [deleted] = await db.delete(appDatabases).where(eq(appDatabases.id, id)).returning();
  return deleted;
}

export async function saveAppDatabaseHealth(db: Db, id: number, health: Pick<AppDatabaseRow, "health" | "healthDetail" | "serverVersion" | "checkedAt">): Promise<AppDatabaseRow | undefined> {
  const [row] = await db.update(appDatabases).set(health).where(eq(appDatabases.id, id)).returning();
  return row;
}

/** The new indexes named on the removal tickets of flags not yet archived: what the sampler follows. */
export async function findSampledIndexes(db: Db): Promise<{ table: string; index: string }[]> {
  const rows = await db
    .selectDistinct({ table: removalTickets.contractionTable, index: removalTickets.contractionNewIndex })
    .from(removalTickets)
    .innerJoin(flags, eq(flags.id, removalTickets.flagId))
    .where(and(isNull(flags.archivedAt), isNotNull(removalTickets.contractionTable), isNotNull(removalTickets.contractionNewIndex)));
  return rows.map((row) => ({ table: row.table!, index: row.index! }));
}

export async function insertIndexScanSamples(db: Db, rows: (typeof indexScanSamples.$inferInsert)[]): Promise<void> {
  if (rows.length > 0) await db.insert(indexScanSamples).values(rows).onConflictDoNothing();
}

/** Samples are kept two weeks: enough for a ramp and its zero-fallback window. */
export async function deleteIndexScanSamplesBefore(db: Db, before: Date): Promise<void> {
  await db.delete(indexScanSamples).where(lt(indexScanSamples.sampledAt, before));
}

export async function findIndexScanSamples(db: Db, key: { environmentId: number; table: string; index: string }, since: Date) {
  return db
    .select({ sampledAt: indexScanSamples.sampledAt, idxScan: indexScanSamples.idxScan })
    .from(indexScanSamples)
    .where(
      and(
        eq(indexScanSamples.environmentId, key.environmentId),
        eq(indexScanSamples.tableName, key.table),
        eq(indexScanSamples.indexName, key.index),
        gte(indexScanSamples.sampledAt, since),
      ),
    )
    .orderBy(asc(indexScanSamples.sampledAt));
}

/** Contractions with both columns named whose flag is ramping (between 0 and 100 %, not killed) in the environment. */
export async function findRampingContractions(db: Db, environmentId: number): Promise<{ table: string; oldColumn: string; newColumn: string }[]> {
  const rows = await db
    .selectDistinct({ table: removalTickets.contractionTable, oldColumn: removalTickets.contractionOldColumn, newColumn: removalTickets.contractionNewColumn })
    .from(removalTickets)
    .innerJoin(flags, eq(flags.id, removalTickets.flagId))
    .innerJoin(flagStates, and(eq(flagStates.flagId, flags.id), eq(flagStates.environmentId, environmentId)))
    .where(
      and(
        isNull(flags.archivedAt),
        isNotNull(removalTickets.contractionTable),
        isNotNull(removalTickets.contractionOldColumn),
        isNotNull(removalTickets.contractionNewColumn),
        eq(flagStates.killed, false),
        gt(flagStates.percentageBp, 0),
        lt(flagStates.percentageBp, 10_000),
      ),
    );
  return rows.map((row) => ({ table: row.table!, oldColumn: row.oldColumn!, newColumn: row.newColumn! }));
}
