import type { DivergentRows, Evidence } from "@/lib/app-db/database-evidence";

/** Why the application database keeps stage 2 shut; `unproven` ones an admin may override with a reason. */
export interface DatabaseRefusal {
  code: "divergent_rows" | "evidence_unproven";
  message: string;
  path: string;
  unproven: boolean;
}

/**
 * Where an application database is connected and the contraction names both columns, stage 2
 * also needs the last completed divergent-rows scan to have found none. Rows that differ refuse
 * outright; no finished scan, or a database that cannot be read, is unproven, never zero.
 */
export function databaseZeroFallbackRefusal(environment: string, rows: Evidence<DivergentRows>): DatabaseRefusal | null {
  if (rows.status === "not_applicable") return null;
  const where = `${environment}'s application database`;
  if (rows.status === "unavailable") {
    return { code: "evidence_unproven", message: `The divergent-rows scan in ${where} could not finish: ${rows.detail}`, path: "divergentRows", unproven: true };
  }
  if (rows.scan !== "done") {
    const what = rows.scan === "running" ? "is still running" : "has not run yet";
    return { code: "evidence_unproven", message: `The divergent-rows scan in ${where} ${what}: there is no finished count of rows where the columns differ.`, path: "divergentRows", unproven: true };
  }
  if (rows.divergent > 0) {
    return {
      code: "divergent_rows",
      message: `${rows.divergent.toLocaleString("en")} of ${rows.rowsScanned.toLocaleString("en")} rows still differ between the old and the new column in ${where} (scan finished ${rows.finishedAt}). Backfill them, scan again, then confirm.`,
      path: "divergentRows",
      unproven: false,
    };
  }
  return null;
}
