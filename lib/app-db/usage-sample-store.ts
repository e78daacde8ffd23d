import { and, asc, eq, gte, isNotNull, isNull, lt, sql } from "drizzle-orm";
import { appActivityMinutes, flags, oldColumnStatementSamples, removalTickets } from "@/db/schema";
import type { Db } from "@/lib/db/client";
import type { OldColumnTarget } from "./checks/old-column-usage";

export type StatementSample = typeof oldColumnStatementSamples.$inferSelect;
export type ActivityMinuteRow = typeof appActivityMinutes.$inferSelect;

/** The old columns named on the removal tickets of flags not yet archived: what the sampler follows. */
export async function findSampledOldColumns(db: Db): Promise<OldColumnTarget[]> {
  const rows = await db
    .selectDistinct({ table: removalTickets.contractionTable, oldColumn: removalTickets.contractionOldColumn })
    .from(removalTickets)
    .innerJoin(flags, eq(flags.id, removalTickets.flagId))
    .where(and(isNull(flags.archivedAt), isNotNull(removalTickets.contractionTable), isNotNull(removalTickets.contractionOldColumn)));
  return rows.map((row) => ({ table: row.table!, oldColumn: row.oldColumn! }));
}

export async function insertStatementSamples(db: Db, rows: (typeof oldColumnStatementSamples.$inferInsert)[]): Promise<void> {
  if (rows.length > 0) await db.insert(oldColumnStatementSamples).values(rows).onConflictDoNothing();
}

export async function findStatementSamples(db: Db, key: { environmentId: number; table: string; oldColumn: string }, since: Date): Promise<StatementSample[]> {
  return db
    .select()
    .from(oldColumnStatementSamples)
    .where(
      and(
        eq(oldColumnStatementSamples.environmentId, key.environmentId),
        eq(oldColumnStatementSamples.tableName, key.table),
        eq(oldColumnStatementSamples.columnName, key.oldColumn),
        gte(oldColumnStatementSamples.sampledAt, since),
      ),
    )
    .orderBy(asc(oldColumnStatementSamples.sampledAt));
}

/** Adds one 5-second sample to its minute; a second leader after a takeover adds to the same row. */
export async function addActivitySample(
  db: Db,
  key: { environmentId: number; table: string; oldColumn: string; minute: Date },
  sample: { reads: number; writes: number; lockWaiting: number | null },
): Promise<void> {
  const waiting = sample.lockWaiting === null ? null : sample.lockWaiting > 0 ? 1 : 0;
  await db
    .insert(appActivityMinutes)
    .values({
      environmentId: key.environmentId,
      tableName: key.table,
      columnName: key.oldColumn,
      minute: key.minute,
      samples: 1,
      reads: sample.reads,
      writes: sample.writes,
      lockWaitingSamples: waiting,
      maxLockWaiting: sample.lockWaiting,
    })
    .onConflictDoUpdate({
      target: [appActivityMinutes.environmentId, appActivityMinutes.tableName, appActivityMinutes.columnName, appActivityMinutes.minute],
      set: {
        samples: sql`${appActivityMinutes.samples} + 1`,
        reads: sql`${appActivityMinutes.reads} + excluded.reads`,
        writes: sql`${appActivityMinutes.writes} + excluded.writes`,
        lockWaitingSamples: sql`case when excluded.lock_waiting_samples is null then ${appActivityMinutes.lockWaitingSamples} else coalesce(${appActivityMinutes.lockWaitingSamples}, 0) + excluded.lock_waiting_samples end`,
        maxLockWaiting: sql`greatest(${appActivityMinutes.maxLockWaiting}, excluded.max_lock_waiting)`,
      },
    });
}

export async function findActivityMinutes(db: Db, key: { environmentId: number; table: string; oldColumn: string }, since: Date): Promise<ActivityMinuteRow[]> {
  return db
    .select()
    .from(appActivityMinutes)
    .where(
      and(
        eq(appActivityMinutes.environmentId, key.environmentId),
        eq(appActivityMinutes.tableName, key.table),
        eq(appActivityMinutes.columnName, key.oldColumn),
        gte(appActivityMinutes.minute, since),
      ),
    )
    .orderBy(asc(appActivityMinutes.minute));
}

export async function deleteUsageSamplesBefore(db: Db, before: Date): Promise<void> {
  await db.delete(oldColumnStatementSamples).where(lt(oldColumnStatementSamples.sampledAt, before));
  await db.delete(appActivityMinutes).where(lt(appActivityMinutes.minute, before));
}

/**
 * What the statement samples from `from` to `to` add up to, counted from the last sample at or
 * before `from` (the counters are cumulative), with lag() so a long window is summed in the database.
 */
export interface StatementWindowSummary {
  samples: number;
  firstAt: Date | null;
  lastAt: Date | null;
  reads: number;
  writes: number;
  /** Intervals whose counts are unknown: a reset, an eviction, a counter going down, or a sample without a reading. */
  breaks: number;
  firstBreakAt: Date | null;
  /** The newest reason a sample had no reading, if any had none. */
  why: string | null;
}

export async function summarizeStatementSamples(db: Db, key: { environmentId: number; table: string; oldColumn: string }, from: Date, to: Date): Promise<StatementWindowSummary> {
  const s = oldColumnStatementSamples;
  const result = await db.execute(sql`
    with ordered as (
      select sampled_at, reads, writes, why,
             lag(reads) over w as prev_reads, lag(writes) over w as prev_writes,
             lag(stats_reset) over w as prev_reset, stats_reset,
             lag(evicted) over w as prev_evicted, evicted,
             row_number() over w as n
        from ${s}
       where ${s.environmentId} = ${key.environmentId} and ${s.tableName} = ${key.table} and ${s.columnName} = ${key.oldColumn}
         and ${s.sampledAt} >= coalesce((select max(b.sampled_at) from ${s} b
                                          where b.environment_id = ${key.environmentId} and b.table_name = ${key.table} and b.column_name = ${key.oldColumn}
                                            and b.sampled_at <= ${from.toISOString()}), ${from.toISOString()})
         and ${s.sampledAt} <= ${to.toISOString()}
      window w as (order by sampled_at)
    ), paired as (
      select *, n > 1 and (reads is null or prev_reads is null or reads < prev_reads or writes < prev_writes
                            or stats_reset is distinct from prev_reset or coalesce(evicted, 0) > coalesce(prev_evicted, 0)) as broken
        from ordered
    )
    select count(*)::int as samples, min(sampled_at) as first_at, max(sampled_at) as last_at,
           coalesce(sum(reads - prev_reads) filter (where n > 1 and not broken), 0)::bigint as reads,
           coalesce(sum(writes - prev_writes) filter (where n > 1 and not broken), 0)::bigint as writes,
           (count(*) filter (where broken))::int as breaks,
           min(sampled_at) filter (where broken) as first_break_at,
           (array_agg(why order by sampled_at desc) filter (where why is not null))[1] as why
      from paired`);
  const row = (result as unknown as { rows: Record<string, unknown>[] }).rows[0] ?? {};
  const date = (value: unknown) => (value === null || value === undefined ? null : new Date(value as string));
  return {
    samples: Number(row.samples ?? 0),
    firstAt: date(row.first_at),
    lastAt: date(row.last_at),
    reads: Number(row.reads ?? 0),
    writes: Number(row.writes ?? 0),
    breaks: Number(row.breaks ?? 0),
    firstBreakAt: date(row.first_break_at),
    why: (row.why as string | null) ?? null,
  };
}

/** Running-query samples naming the old column from `from` to `to`. */
export async function sumActivity(db: Db, key: { environmentId: number; table: string; oldColumn: string }, from: Date, to: Date): Promise<{ samples: number; reads: number; writes: number }> {
  const a = appActivityMinutes;
  const [row] = await db
    .select({ samples: sql<number>`coalesce(sum(${a.samples}), 0)::int`, reads: sql<number>`coalesce(sum(${a.reads}), 0)::int`, writes: sql<number>`coalesce(sum(${a.writes}), 0)::int` })
    .from(a)
    .where(and(eq(a.environmentId, key.environmentId), eq(a.tableName, key.table), eq(a.columnName, key.oldColumn), gte(a.minute, from), lt(a.minute, to)));
  return { samples: Number(row?.samples ?? 0), reads: Number(row?.reads ?? 0), writes: Number(row?.writes ?? 0) };
}
