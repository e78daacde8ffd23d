import type { AppDbKind } from "../app-db-kind";
import type { ReadOnlyQuery } from "../read-only-session";
import { splitTableName } from "./table-name";

export type IndexScanReading = { available: true; idxScan: number } | { available: false; why: string };

/** The index's cumulative scan count now, or why the server cannot say. */
export async function readIndexScans(kind: AppDbKind, query: ReadOnlyQuery, target: { table: string; index: string }): Promise<IndexScanReading> {
  const { schema, table } = splitTableName(target.table);
  if (kind === "postgresql") {
    const rows = await query(
      "select idx_scan from pg_stat_user_indexes where indexrelname = $1 and relname = $2 and schemaname = coalesce($3, current_schema())",
      [target.index, table, schema],
    );
    if (rows.length === 0) return { available: false, why: `There is no index ${target.index} on ${target.table}.` };
    return { available: true, idxScan: Number(rows[0]!.idx_scan) };
  }
  const [settings] = await query("select @@performance_schema as on_");
  if (Number(settings?.on_) !== 1) {
    return { available: false, why: "performance_schema is off on this server: MySQL and MariaDB count index use only there (performance_schema = ON in my.cnf, then a restart)." };
  }
  const rows = await query(
    "select count_read from performance_schema.table_io_waits_summary_by_index_usage where object_schema = coalesce(?, database()) and object_name = ? and index_name = ?",
    [schema, table, target.index],
  );
  if (rows.length === 0) return { available: false, why: `There is no index ${target.index} on ${target.table}.` };
  return { available: true, idxScan: Number(rows[0]!.count_read) };
}

export interface IndexScanRate {
  at: string;
  /** Scans per minute since the sample before; null where the counter was reset in between. */
  perMinute: number | null;
  reset: boolean;
}

/** Rates between consecutive samples; a counter that went down was reset, which is shown, never a negative rate. */
export function indexScanRates(samples: readonly { sampledAt: Date; idxScan: number }[]): IndexScanRate[] {
  const rates: IndexScanRate[] = [];
  for (let i = 1; i < samples.length; i++) {
    const before = samples[i - 1]!;
    const after = samples[i]!;
    const minutes = (after.sampledAt.getTime() - before.sampledAt.getTime()) / 60_000;
    const reset = after.idxScan < before.idxScan;
    rates.push({ at: after.sampledAt.toISOString(), perMinute: reset || minutes <= 0 ? null : Math.round(((after.idxScan - before.idxScan) / minutes) * 10) / 10, reset });
  }
  return rates;
}
