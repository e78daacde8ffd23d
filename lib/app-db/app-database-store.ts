import { and, asc, eq, gte, isNotNull, isNull } from "drizzle-orm";
import { appDatabases, environments, flags, indexScanSamples, removalTickets } from "@/db/schema";
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
