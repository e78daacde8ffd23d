import { and, eq, sql } from "drizzle-orm";
import { divergenceScans } from "@/db/schema";
import type { Db } from "@/lib/db/client";
import type { AppDatabaseRow } from "./app-database-store";
import { DIVERGENCE_BATCH_ROWS, primaryKeyColumn, scanDivergenceBatch, type DivergenceTarget } from "./checks/divergent-rows";
import { keepConnection } from "./read-only-session";
import { storedDsn, UNREADABLE_DSN } from "./stored-dsn";

export type DivergenceScanRow = typeof divergenceScans.$inferSelect;

/** A scan that has not reported for this long is taken as dead (its instance stopped), and may be started again. */
const STALE_SCAN_MS = 10 * 60_000;

/**
 * The share of the database's time a scan may take: after each batch it waits 99 times as long
 * as the batch took. A fixed pause would give a slow batch (a busy server, wide rows) most of it.
 */
export const DIVERGENCE_SCAN_DUTY = 0.01;

/** How long to wait after a batch that took `batchMs`: at least `minPauseMs`, and enough to keep to the duty. */
export function pauseAfterBatch(batchMs: number, minPauseMs = 0): number {
  return Math.max(minPauseMs, batchMs * (1 / DIVERGENCE_SCAN_DUTY - 1));
}

export interface ScanOptions {
  /** The least wait between batches; the duty cycle usually asks for more. */
  pauseMs?: number;
  batchRows?: number;
  startedBy: string;
}

/**
 * Claims the scan of these columns in this environment: null when one is already running (and
 * alive). The claim is one conditional upsert, so two requests at once start one scan.
 */
export async function claimDivergenceScan(db: Db, environmentId: number, target: DivergenceTarget, startedBy: string, now = new Date()): Promise<DivergenceScanRow | null> {
  const fresh = { status: "running" as const, rowsScanned: 0, divergent: 0, lastKey: null, detail: null, startedAt: now, finishedAt: null, startedBy };
  const [row] = await db
    .insert(divergenceScans)
    .values({ environmentId, tableName: target.table, oldColumn: target.oldColumn, newColumn: target.newColumn, ...fresh })
    .onConflictDoUpdate({
      target: [divergenceScans.environmentId, divergenceScans.tableName, divergenceScans.oldColumn, divergenceScans.newColumn],
      set: fresh,
      setWhere: sql`${divergenceScans.status} <> 'running' or ${divergenceScans.startedAt} < ${new Date(now.getTime() - STALE_SCAN_MS)}`,
    })
    .returning();
  return row ?? null;
}

/**
 * Runs a claimed scan to the end: batches of about 1,000 rows by primary key, each its own short
 * read-only transaction (no snapshot held across the table) on one connection kept for the scan,
 * progress saved after each, paced by DIVERGENCE_SCAN_DUTY when `pauseMs` is given (tests leave it out).
 */
export async function runDivergenceScan(db: Db, appDatabase: AppDatabaseRow, target: DivergenceTarget, options: ScanOptions): Promise<DivergenceScanRow> {
  const key = and(
    eq(divergenceScans.environmentId, appDatabase.environmentId),
    eq(divergenceScans.tableName, target.table),
    eq(divergenceScans.oldColumn, target.oldColumn),
    eq(divergenceScans.newColumn, target.newColumn),
  );
  const save = async (change: Partial<DivergenceScanRow>) => (await db.update(divergenceScans).set(change).where(key).returning())[0]!;
  const dsn = storedDsn(appDatabase.dsnCiphertext);
  if (dsn === null) return save({ status: "unavailable", detail: UNREADABLE_DSN, finishedAt: new Date() });
  const batchRows = options.batchRows ?? DIVERGENCE_BATCH_ROWS;
  const connection = keepConnection(appDatabase.kind, dsn);
  try {
    const primaryKey = await connection.run((query) => primaryKeyColumn(appDatabase.kind, query, target.table));
    if (primaryKey === null) throw new Error(`${target.table} has no single-column primary key to scan it by in batches.`);
    let progress = { rowsScanned: 0, divergent: 0, lastKey: null as string | null };
    for (;;) {
      const started = performance.now();
      const batch = await connection.run((query) => scanDivergenceBatch(appDatabase.kind, query, target, primaryKey, progress.lastKey, batchRows));
      const batchMs = performance.now() - started;
      progress = { rowsScanned: progress.rowsScanned + batch.rows, divergent: progress.divergent + batch.divergent, lastKey: batch.lastKey };
      if (batch.rows < batchRows) return await save({ ...progress, status: "done", finishedAt: new Date() });
      await save(progress);
      if (options.pauseMs !== undefined) await new Promise((resolve) => setTimeout(resolve, pauseAfterBatch(batchMs, options.pauseMs)));
    }
  } catch (error) {
    return save({ status: "unavailable", detail: error instanceof Error ? error.message : "no answer", finishedAt: new Date() });
  } finally {
    await connection.close();
  }
}

export async function findDivergenceScan(db: Db, environmentId: number, target: DivergenceTarget): Promise<DivergenceScanRow | undefined> {
  const [row] = await db
    .select()
    .from(divergenceScans)
    .where(
      and(
        eq(divergenceScans.environmentId, environmentId),
        eq(divergenceScans.tableName, target.table),
        eq(divergenceScans.oldColumn, target.oldColumn),
        eq(divergenceScans.newColumn, target.newColumn),
      ),
    );
  return row;
}
