import { eq } from "drizzle-orm";
import { teardownProgress } from "@/db/schema";
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
