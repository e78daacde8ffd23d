import type { Db } from "@/lib/db/client";
import { deleteIndexScanSamplesBefore, findAppDatabases, findRampingContractions, findSampledIndexes, insertIndexScanSamples, saveAppDatabaseHealth } from "./app-database-store";
import { readIndexScans } from "./checks/index-scans";
import { claimDivergenceScan, findDivergenceScan, runDivergenceScan } from "./divergence-scan";
import { withReadOnlySession } from "./read-only-session";
import { storedDsn, UNREADABLE_DSN } from "./stored-dsn";

/** The advisory lock whose holder samples the application databases; one instance does it. */
export const EVIDENCE_LEADER_LOCK_ID = 7_204_316_017;
export const EVIDENCE_INTERVAL_MS = 60_000;

/**
 * One sample of every followed index in every application database, each database in one
 * read-only session. A database that does not answer is marked unavailable and skipped; the
 * others are sampled as usual.
 */
export async function sampleApplicationDatabases(db: Db, now = new Date()): Promise<{ sampled: number; unavailable: number }> {
  const targets = await findSampledIndexes(db);
  let sampled = 0;
  let unavailable = 0;
  for (const appDatabase of await findAppDatabases(db)) {
    const dsn = storedDsn(appDatabase.dsnCiphertext);
    try {
      if (dsn === null) throw new Error(UNREADABLE_DSN);
      const readings = await withReadOnlySession(appDatabase.kind, dsn, async (query) => {
        const found = [];
        for (const target of targets) found.push({ target, reading: await readIndexScans(appDatabase.kind, query, target) });
        return found;
      });
      const rows = readings.flatMap(({ target, reading }) =>
        reading.available ? [{ environmentId: appDatabase.environmentId, tableName: target.table, indexName: target.index, sampledAt: now, idxScan: reading.idxScan }] : [],
      );
      await insertIndexScanSamples(db, rows);
      await saveAppDatabaseHealth(db, appDatabase.id, { health: "ok", healthDetail: null, serverVersion: appDatabase.serverVersion, checkedAt: now });
      sampled += rows.length;
    } catch (error) {
      unavailable += 1;
      const detail = error instanceof Error ? error.message : "no answer";
      await saveAppDatabaseHealth(db, appDatabase.id, { health: "unavailable", healthDetail: detail, serverVersion: appDatabase.serverVersion, checkedAt: now });
    }
  }
  await deleteIndexScanSamplesBefore(db, new Date(now.getTime() - SAMPLE_RETENTION_MS));
  return { sampled, unavailable };
}

const SAMPLE_RETENTION_MS = 14 * 86_400_000;
const HOURLY_MS = 3_600_000;

/** While a flag ramps, its two columns are compared every hour: a scan at most an hour old, per contraction. */
export async function scanRampingContractions(db: Db, now = new Date()): Promise<number> {
  let scans = 0;
  for (const appDatabase of await findAppDatabases(db)) {
    if (appDatabase.health === "unavailable") continue;
    for (const target of await findRampingContractions(db, appDatabase.environmentId)) {
      const last = await findDivergenceScan(db, appDatabase.environmentId, target);
      if (last && now.getTime() - last.startedAt.getTime() < HOURLY_MS) continue;
      if (!(await claimDivergenceScan(db, appDatabase.environmentId, target, "rampart", now))) continue;
      await runDivergenceScan(db, appDatabase, target, { startedBy: "rampart", pauseMs: 50 });
      scans += 1;
    }
  }
  return scans;
}
