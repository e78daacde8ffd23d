import { and, eq, gte, lt, sql } from "drizzle-orm";
import { newLatencySketch, type LatencySketch } from "@rampart/sdk";
import { guardWindows, rampPlans } from "@/db/schema";
import type { Db } from "@/lib/db/client";
import type { DecodedBatch } from "./bucket-fold";
import { decodeSketch, encodeSketch } from "./latency-sketch";

/** The guard's evidence is kept in buckets this long: about one SDK flush each. */
export const GUARD_WINDOW_MS = 10_000;

export interface StoredGuardWindow {
  windowStart: Date;
  path: "new" | "legacy";
  requests: number;
  errors: number;
  sketch: LatencySketch | null;
}

interface WindowDelta {
  flagId: number;
  path: "new" | "legacy";
  windowStart: number;
  requests: number;
  errors: number;
  sketches: LatencySketch[];
}

/**
 * Adds the `rollout`-reason samples of flags under a running plan in this environment to their
 * 10-second windows, inside the ingest transaction. A batch's window goes to the bucket it began
 * in (rounded down), so a bucket never holds samples from before the step that it is judged in.
 */
export async function recordGuardWindows(tx: Db, environmentId: number, batches: DecodedBatch[], flagIds: Map<string, number>): Promise<void> {
  // Ingest is hot: no rollout samples, no query for plans.
  if (!batches.some(({ batch }) => batch.entries.some((entry) => entry.reason === "rollout"))) return;
  const guarded = await runningPlanFlagIds(tx, environmentId);
  if (guarded.size === 0) return;
  const deltas = new Map<string, WindowDelta>();
  for (const { batch, sketches } of batches) {
    const windowStart = Math.floor(batch.windowStart / GUARD_WINDOW_MS) * GUARD_WINDOW_MS;
    batch.entries.forEach((entry, index) => {
      const flagId = flagIds.get(entry.flag);
      if (entry.reason !== "rollout" || flagId === undefined || !guarded.has(flagId)) return;
      const id = `${flagId}:${entry.path}:${windowStart}`;
      let delta = deltas.get(id);
      if (!delta) deltas.set(id, (delta = { flagId, path: entry.path, windowStart, requests: 0, errors: 0, sketches: [] }));
      delta.requests += entry.count;
      delta.errors += entry.errors;
      delta.sketches.push(sketches[index]!);
    });
  }
  if (deltas.size === 0) return;

  const stored = await tx
    .select()
    .from(guardWindows)
    .where(
      and(
        eq(guardWindows.environmentId, environmentId),
        sql`(${guardWindows.flagId}, ${guardWindows.path}, ${guardWindows.windowStart}) in (${sql.join(
          [...deltas.values()].map((d) => sql`(${d.flagId}::integer, ${d.path}::text, ${new Date(d.windowStart).toISOString()}::timestamptz)`),
          sql`, `,
        )})`,
      ),
    );
  const existing = new Map(stored.map((row) => [`${row.flagId}:${row.path}:${row.windowStart.getTime()}`, row]));
  const rows = [...deltas.entries()].map(([id, delta]) => {
    const row = existing.get(id);
    const sketch = row?.sketch ? decodeSketch(row.sketch) : newLatencySketch();
    for (const each of delta.sketches) sketch.merge(each);
    return {
      environmentId,
      flagId: delta.flagId,
      path: delta.path,
      windowStart: new Date(delta.windowStart),
      requests: (row?.requests ?? 0) + delta.requests,
      errors: (row?.errors ?? 0) + delta.errors,
      sketch: sketch.count > 0 ? encodeSketch(sketch) : null,
    };
  });
  await tx
    .insert(guardWindows)
    .values(rows)
    .onConflictDoUpdate({
      target: [guardWindows.environmentId, guardWindows.flagId, guardWindows.path, guardWindows.windowStart],
      set: { requests: sql`excluded.requests`, errors: sql`excluded.errors`, sketch: sql`excluded.sketch` },
    });
}

/** A flag's guard windows that began at or after `since`, oldest first. */
export async function readGuardWindows(db: Db, environmentId: number, flagId: number, since: Date): Promise<StoredGuardWindow[]> {
  const rows = await db
    .select()
    .from(guardWindows)
    .where(and(eq(guardWindows.environmentId, environmentId), eq(guardWindows.flagId, flagId), gte(guardWindows.windowStart, since)))
    .orderBy(guardWindows.windowStart);
  return rows.map((row) => ({
    windowStart: row.windowStart,
    path: row.path,
    requests: row.requests,
    errors: row.errors,
    sketch: row.sketch ? decodeSketch(row.sketch) : null,
  }));
}

export async function deleteGuardWindowsBefore(db: Db, before: Date): Promise<void> {
  await db.delete(guardWindows).where(lt(guardWindows.windowStart, before));
}

async function runningPlanFlagIds(tx: Db, environmentId: number): Promise<Set<number>> {
  const rows = await tx
    .select({ flagId: rampPlans.flagId })
    .from(rampPlans)
    .where(and(eq(rampPlans.environmentId, environmentId), eq(rampPlans.status, "running")));
  return new Set(rows.map((row) => row.flagId));
}
