import type { Db } from "@/lib/db/client";
import { readDatabaseEvidence } from "@/lib/app-db/database-evidence";
import type { ColumnsCheck } from "@/lib/app-db/checks/columns-check";
import { ConflictError } from "@/lib/errors";

/** How stage 4 was established in an environment: seen in its application database, or a person's word. */
export type ContractionProof = { verified: true; columns: ColumnsCheck; asOf: string } | { verified: false; why: string };

/**
 * Where the environment has an application database and the ticket names the column, Rampart
 * checks the column is gone itself and refuses the stage while it is not, or cannot tell. Only
 * without a connection does a person's confirmation stand, and it is kept as unverified.
 */
export async function proveContraction(db: Db, key: string, env: string): Promise<ContractionProof> {
  const evidence = await readDatabaseEvidence(db, key, env);
  const { columns } = evidence;
  if (columns.status === "not_applicable") return { verified: false, why: columns.detail };
  if (columns.status === "unavailable") {
    throw new ConflictError(
      "evidence_unavailable",
      `Rampart cannot read ${env}'s application database to verify the drop: ${columns.detail}. Try again once it answers, or remove the connection to confirm by hand.`,
      [{ path: "env", message: "application database unavailable" }],
    );
  }
  const column = `${columns.table}.${columns.old.name}`;
  if (columns.verdict === "table_missing") {
    throw new ConflictError("schema_not_contracted", `${columns.table} is not in ${env}'s application database (${evidence.appDatabase!.name}): check the connection names the application's database.`, [
      { path: "contraction.table", message: "not found in the application database" },
    ]);
  }
  if (columns.old.present) {
    throw new ConflictError("schema_not_contracted", `${column} is still in ${env}'s application database (as of ${evidence.asOf}). Run the contraction SQL first; Rampart shows it and never runs it.`, [
      { path: "contraction.oldColumn", message: "is still present" },
    ]);
  }
  return { verified: true, columns, asOf: evidence.asOf };
}
