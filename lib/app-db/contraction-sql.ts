import type { AppDbKind } from "./app-db-kind";
import type { ColumnFacts } from "./checks/columns-check";

/** One step of stage 4: words, and the statement to run where there is one. Rampart shows them, never runs them. */
export interface ContractionStep {
  say: string;
  sql: string | null;
}

/**
 * The exact statements that contract the schema. A NOT NULL old column goes in the seed's order:
 * drop the constraint (new rows may leave it empty), stop the writes, verify they stopped, then drop.
 */
export function contractionSteps(kind: AppDbKind | null, contraction: { table: string; oldColumn: string }, old: ColumnFacts | null): ContractionStep[] {
  const { table, oldColumn } = contraction;
  // MySQL 8 has no DROP COLUMN IF EXISTS; MariaDB and PostgreSQL do.
  const drop = kind === "mysql" ? `ALTER TABLE ${table} DROP COLUMN ${oldColumn};` : `ALTER TABLE ${table} DROP COLUMN IF EXISTS ${oldColumn};`;
  if (!old?.present || old.nullable !== false) {
    return [{ say: `Drop ${table}.${oldColumn} once nothing reads or writes it.`, sql: drop }];
  }
  const dropNotNull = kind === "mysql" ? `ALTER TABLE ${table} MODIFY ${oldColumn} ${old.type ?? "<its type>"} NULL;` : `ALTER TABLE ${table} ALTER COLUMN ${oldColumn} DROP NOT NULL;`;
  return [
    { say: `${table}.${oldColumn} is NOT NULL: drop the constraint first, so code that no longer writes it can still insert rows.`, sql: dropNotNull },
    { say: `Stop writing ${oldColumn}: deploy the code without the dual-write.`, sql: null },
    { say: `Verify the writes stopped: old-column writes read zero on the Database panel.`, sql: null },
    { say: `Drop the column.`, sql: drop },
  ];
}
