import type { Db } from "@/lib/db/client";
import { deleteIndexScanSamplesBefore, findAppDatabases, findRampingContractions, findSampledIndexes, insertIndexScanSamples, saveAppDatabaseHealth } from "./app-database-store";
import { readIndexScans } from "./checks/index-scans";
import { readActivity, readOldColumnStatements } from "./checks/old-column-usage";
import { claimDivergenceScan, findDivergenceScan, runDivergenceScan } from "./divergence-scan";
import { SamplerConnections } from "./sampler-connections";
import { storedDsn, UNREADABLE_DSN } from "./stored-dsn";
import { addActivitySample, deleteUsageSamplesBefore, findSampledOldColumns, insertStatementSamples } from "./usage-sample-store";

/** The advisory lock whose holder samples the application databases; one instance does it. */
export const EVIDENCE_LEADER_LOCK_ID = 7_204_316_017;
/** Running queries are sampled every 5 s (the seed's pg_stat_activity check); counters every minute. */
export const EVIDENCE_INTERVAL_MS = 5_000;
const MINUTE_MS = 60_000;
/** How often the counters are sampled; rates stay per minute whatever it is. Tests shorten it. */
export const COUNTER_INTERVAL_MS = Number(process.env.RAMPART_EVIDENCE_COUNTER_INTERVAL_MS) > 0 ? Number(process.env.RAMPART_EVIDENCE_COUNTER_INTERVAL_MS) : MINUTE_MS;

/**
 * The leader's work each tick: activity every time, the counters and the hourly scans once a
 * minute, and `hourly` (stage 4's own check, which lives with the teardown) once an hour.
 */
export function evidenceTick(db: Db, { hourly }: { hourly?: (db: Db) => Promise<unknown> } = {}): () => Promise<void> {
  let lastMinuteRun = 0;
  let lastHourRun = 0;
  const connections = new SamplerConnections();
  return async () => {
    const now = new Date();
    await sampleActivity(db, now, connections);
    if (now.getTime() - lastMinuteRun < COUNTER_INTERVAL_MS - EVIDENCE_INTERVAL_MS / 2) return;
    lastMinuteRun = now.getTime();
    await sampleApplicationDatabases(db, now, connections);
    await scanRampingContractions(db, now);
    if (!hourly || now.getTime() - lastHourRun < HOURLY_MS - EVIDENCE_INTERVAL_MS / 2) return;
    lastHourRun = now.getTime();
    await hourly(db);
  };
}

/**
 * One sample of every followed index and old column in every application database, each
 * database in one read-only transaction on its kept connection. A database that does not answer
 * is marked unavailable and skipped; the others are sampled as usual. Without `connections`
 * (a one-off call), the connections opened are closed before returning.
 */
export async function sampleApplicationDatabases(db: Db, now = new Date(), connections?: SamplerConnections): Promise<{ sampled: number; unavailable: number }> {
  const kept = connections ?? new SamplerConnections();
  try {
    return await sampleWith(db, now, kept);
  } finally {
    if (!connections) await kept.close();
  }
}

async function sampleWith(db: Db, now: Date, connections: SamplerConnections): Promise<{ sampled: number; unavailable: number }> {
  const targets = await findSampledIndexes(db);
  const oldColumns = await findSampledOldColumns(db);
  const appDatabases = await findAppDatabases(db);
  await connections.keepOnly(appDatabases);
  let sampled = 0;
  let unavailable = 0;
  for (const appDatabase of appDatabases) {
    const dsn = storedDsn(appDatabase.dsnCiphertext);
    try {
      if (dsn === null) throw new Error(UNREADABLE_DSN);
      const readings = await connections.connectionFor(appDatabase, dsn).run(async (query) => {
        const indexes = [];
        for (const target of targets) indexes.push({ target, reading: await readIndexScans(appDatabase.kind, query, target) });
        const statements = [];
        for (const target of oldColumns) {
          const known = connections.statementKindsFor(appDatabase, dsn, target);
          statements.push({ target, reading: await readOldColumnStatements(appDatabase.kind, query, target, known) });
        }
        return { indexes, statements };
      });
      const rows = readings.indexes.flatMap(({ target, reading }) =>
        reading.available ? [{ environmentId: appDatabase.environmentId, tableName: target.table, indexName: target.index, sampledAt: now, idxScan: reading.idxScan }] : [],
      );
      await insertIndexScanSamples(db, rows);
      await insertStatementSamples(
        db,
        readings.statements.map(({ target, reading }) => ({
          environmentId: appDatabase.environmentId,
          tableName: target.table,
          columnName: target.oldColumn,
          sampledAt: now,
          ...(reading.available
            ? { source: reading.source, reads: reading.reads, writes: reading.writes, statsReset: reading.statsReset, evicted: reading.evicted }
            : { why: reading.why }),
        })),
      );
      await saveAppDatabaseHealth(db, appDatabase.id, { health: "ok", healthDetail: null, serverVersion: appDatabase.serverVersion, checkedAt: now });
      sampled += rows.length + readings.statements.length;
    } catch (error) {
      unavailable += 1;
      const detail = error instanceof Error ? error.message : "no answer";
      await saveAppDatabaseHealth(db, appDatabase.id, { health: "unavailable", healthDetail: detail, serverVersion: appDatabase.serverVersion, checkedAt: now });
    }
  }
  await deleteIndexScanSamplesBefore(db, new Date(now.getTime() - SAMPLE_RETENTION_MS));
  await deleteUsageSamplesBefore(db, new Date(now.getTime() - USAGE_RETENTION_MS));
  return { sampled, unavailable };
}

/**
 * The running queries naming each followed old column, and the lock waits on its table, added
 * to the minute's counts. Databases the minute sampler found unavailable are left to it.
 */
export async function sampleActivity(db: Db, now = new Date(), connections?: SamplerConnections): Promise<{ sampled: number }> {
  const kept = connections ?? new SamplerConnections();
  try {
    return await sampleActivityWith(db, now, kept);
  } finally {
    if (!connections) await kept.close();
  }
}

async function sampleActivityWith(db: Db, now: Date, connections: SamplerConnections): Promise<{ sampled: number }> {
  const oldColumns = await findSampledOldColumns(db);
  if (oldColumns.length === 0) return { sampled: 0 };
  const minute = new Date(Math.floor(now.getTime() / MINUTE_MS) * MINUTE_MS);
  let sampled = 0;
  for (const appDatabase of await findAppDatabases(db)) {
    const dsn = storedDsn(appDatabase.dsnCiphertext);
    if (dsn === null || appDatabase.health === "unavailable") continue;
    const readings = await connections.connectionFor(appDatabase, dsn).run(async (query) => {
      const found = [];
      for (const target of oldColumns) found.push({ target, reading: await readActivity(appDatabase.kind, query, target) });
      return found;
    }).catch(() => []);
    for (const { target, reading } of readings) {
      await addActivitySample(db, { environmentId: appDatabase.environmentId, table: target.table, oldColumn: target.oldColumn, minute }, reading);
      sampled += 1;
    }
  }
  return { sampled };
}

const SAMPLE_RETENTION_MS = 14 * 86_400_000;
/** The longest zero-fallback window is 90 days; its proof needs the counters from its start. */
const USAGE_RETENTION_MS = 91 * 86_400_000;
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
      // Not awaited: a large table's scan must not hold up the 5-second samples. The claim keeps it single.
      void runDivergenceScan(db, appDatabase, target, { startedBy: "rampart", pauseMs: 50 }).catch((error: unknown) => console.error("[rampart] divergence scan failed", error));
      scans += 1;
    }
  }
  return scans;
}
