import { and, eq, sql } from "drizzle-orm";
import { environments, flags, rampPlans } from "@/db/schema";
import type { Db } from "@/lib/db/client";

export type RampPlanRow = typeof rampPlans.$inferSelect;
export type RampPlanChange = Partial<Omit<RampPlanRow, "flagId" | "environmentId" | "version">>;

export async function findRampPlan(db: Db, flagId: number, environmentId: number, options: { forUpdate?: boolean } = {}): Promise<RampPlanRow | undefined> {
  const query = db.select().from(rampPlans).where(and(eq(rampPlans.flagId, flagId), eq(rampPlans.environmentId, environmentId)));
  const [row] = options.forUpdate ? await query.for("update") : await query;
  return row;
}

/** A flag × environment's plan replaced by a new one (a fresh start), its version moving on. */
export async function putRampPlan(db: Db, row: Omit<RampPlanRow, "version">): Promise<RampPlanRow> {
  const [saved] = await db
    .insert(rampPlans)
    .values({ ...row, version: 1 })
    .onConflictDoUpdate({
      target: [rampPlans.flagId, rampPlans.environmentId],
      set: { ...withoutKey(row), version: sql`${rampPlans.version} + 1` },
    })
    .returning();
  return saved!;
}

/**
 * Changes a plan only if it is still at `expectedVersion`: the controller read it a moment ago
 * and a person may have paused or aborted it since. Answers the new row, or null when it moved.
 */
export async function updateRampPlan(db: Db, key: { flagId: number; environmentId: number }, expectedVersion: number, change: RampPlanChange): Promise<RampPlanRow | null> {
  const [row] = await db
    .update(rampPlans)
    .set({ ...change, version: sql`${rampPlans.version} + 1` })
    .where(and(eq(rampPlans.flagId, key.flagId), eq(rampPlans.environmentId, key.environmentId), eq(rampPlans.version, expectedVersion)))
    .returning();
  return row ?? null;
}

/** The guard's latest look at a plan: not a change of its state, so the version stays. */
export async function saveLastCheck(db: Db, key: { flagId: number; environmentId: number }, expectedVersion: number, lastCheck: unknown, at: Date): Promise<void> {
  await db
    .update(rampPlans)
    .set({ lastCheck, lastCheckAt: at })
    .where(and(eq(rampPlans.flagId, key.flagId), eq(rampPlans.environmentId, key.environmentId), eq(rampPlans.version, expectedVersion)));
}

export interface RunningRampPlan {
  plan: RampPlanRow;
  flagKey: string;
  environmentKey: string;
}

/** Every running plan, with the keys its flag changes are made by. */
export async function findRunningRampPlans(db: Db): Promise<RunningRampPlan[]> {
  const rows = await db
    .select({ plan: rampPlans, flagKey: flags.key, environmentKey: environments.key })
    .from(rampPlans)
    .innerJoin(flags, eq(flags.id, rampPlans.flagId))
    .innerJoin(environments, eq(environments.id, rampPlans.environmentId))
    .where(eq(rampPlans.status, "running"));
  return rows;
}

/** Every plan in an environment, by flag id: the flags list's status column. */
export async function findRampPlansInEnvironment(db: Db, environmentId: number): Promise<Map<number, RampPlanRow>> {
  const rows = await db.select().from(rampPlans).where(eq(rampPlans.environmentId, environmentId));
  return new Map(rows.map((row) => [row.flagId, row]));
}

function withoutKey(row: Omit<RampPlanRow, "version">): Omit<RampPlanRow, "version" | "flagId" | "environmentId"> {
  const { flagId: _flagId, environmentId: _environmentId, ...rest } = row;
  return rest;
}
