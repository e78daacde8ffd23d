import { readDivergentRowsEvidence, readOldColumnUsageEvidence, type DivergentRows, type Evidence, type OldColumnUsage } from "@/lib/app-db/database-evidence";
import type { Db } from "@/lib/db/client";
import type { ErrorDetail } from "@/lib/errors";

/** Why the application database keeps stage 2 shut; `unproven` ones an admin may override with a reason. */
export interface DatabaseRefusal {
  code: "divergent_rows" | "old_column_read" | "evidence_unproven";
  message: string;
  paths: string[];
  unproven: boolean;
}

/**
 * Where an application database is connected, stage 2 also needs zero reads of the old column
 * over the ticket's window and, where both columns are named, zero divergent rows in the last
 * finished scan. Reads seen or rows that differ refuse outright; evidence short of proof is
 * unproven, never zero, and one override covers all of it.
 */
export function databaseZeroFallbackRefusal(environment: string, rows: Evidence<DivergentRows>, usage: Evidence<OldColumnUsage>): DatabaseRefusal | null {
  const refusals = [oldColumnReadRefusal(environment, usage), divergentRowsRefusal(environment, rows)].filter((r): r is DatabaseRefusal => r !== null);
  const hard = refusals.find((refusal) => !refusal.unproven);
  if (hard || refusals.length <= 1) return hard ?? refusals[0] ?? null;
  return { code: "evidence_unproven", message: refusals.map((refusal) => refusal.message).join(" "), paths: refusals.flatMap((refusal) => refusal.paths), unproven: true };
}

/** The gate for the flag in the environment, from the stored evidence only: it never waits on the application database. */
export async function readDatabaseGate(db: Db, key: string, env: string, now: Date): Promise<{ usage: Evidence<OldColumnUsage>; refusal: DatabaseRefusal | null }> {
  const [rows, usage] = await Promise.all([readDivergentRowsEvidence(db, key, env), readOldColumnUsageEvidence(db, key, env, now)]);
  return { usage, refusal: databaseZeroFallbackRefusal(env, rows, usage) };
}

function oldColumnReadRefusal(environment: string, usage: Evidence<OldColumnUsage>): DatabaseRefusal | null {
  if (usage.status === "not_applicable") return null;
  const where = `${environment}'s application database`;
  if (usage.status === "unavailable") return { code: "evidence_unproven", message: `Reads of the old column in ${where} could not be read: ${usage.detail}`, paths: ["oldColumnUsage"], unproven: true };
  const reads = usage.window.reads;
  if (reads.verdict === "zero") return null;
  if (reads.verdict === "seen") {
    return { code: "old_column_read", message: `The old column is still read in ${where}: ${reads.detail} Something still takes the legacy path or bypasses the flag.`, paths: ["oldColumnUsage"], unproven: false };
  }
  return { code: "evidence_unproven", message: `Reads of the old column in ${where}: ${reads.detail}`, paths: ["oldColumnUsage"], unproven: true };
}

function divergentRowsRefusal(environment: string, rows: Evidence<DivergentRows>): DatabaseRefusal | null {
  if (rows.status === "not_applicable") return null;
  const where = `${environment}'s application database`;
  if (rows.status === "unavailable") {
    return { code: "evidence_unproven", message: `The divergent-rows scan in ${where} could not finish: ${rows.detail}`, paths: ["divergentRows"], unproven: true };
  }
  if (rows.scan !== "done") {
    const what = rows.scan === "running" ? "is still running" : "has not run yet";
    return { code: "evidence_unproven", message: `The divergent-rows scan in ${where} ${what}: there is no finished count of rows where the columns differ.`, paths: ["divergentRows"], unproven: true };
  }
  if (rows.divergent > 0) {
    return {
      code: "divergent_rows",
      message: `${rows.divergent.toLocaleString("en")} of ${rows.rowsScanned.toLocaleString("en")} rows still differ between the old and the new column in ${where} (scan finished ${rows.finishedAt}). Backfill them, scan again, then confirm.`,
      paths: ["divergentRows"],
      unproven: false,
    };
  }
  return null;
}

/** The refusal's fields as an error names them: unproven, rows that differ, or a column still read. */
export function databaseRefusalDetails(refusal: DatabaseRefusal): ErrorDetail[] {
  return refusal.paths.map((path) => ({ path, message: refusal.unproven ? "unproven" : path === "divergentRows" ? "rows differ" : "still read" }));
}
