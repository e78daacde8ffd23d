import type { Db } from "@/lib/db/client";
import { requireEnvironment } from "@/lib/environments/environment-store";
import { findRemovalTicket, requireFlag } from "@/lib/flags/flag-store";
import { findAppDatabaseForEnvironment } from "./app-database-store";
import { checkColumns, type ColumnsCheck, type Contraction } from "./checks/columns-check";
import { withReadOnlySession } from "./read-only-session";
import { storedDsn, UNREADABLE_DSN } from "./stored-dsn";

/** A check's result, or why there is none: never a guess. */
export type Evidence<T> = ({ status: "checked" } & T) | { status: "unavailable"; detail: string } | { status: "not_applicable"; detail: string };

export interface DatabaseEvidence {
  key: string;
  environment: string;
  appDatabase: { name: string; kind: string } | null;
  contraction: Contraction | null;
  asOf: string;
  columns: Evidence<ColumnsCheck>;
}

/** What the environment's application database says about the flag's contraction, read now, read-only. */
export async function readDatabaseEvidence(db: Db, key: string, env: string, now = new Date()): Promise<DatabaseEvidence> {
  const environment = await requireEnvironment(db, env);
  const flag = await requireFlag(db, key);
  const ticket = await findRemovalTicket(db, flag.id);
  const contraction: Contraction | null =
    ticket?.contractionTable && ticket.contractionOldColumn
      ? { table: ticket.contractionTable, oldColumn: ticket.contractionOldColumn, newColumn: ticket.contractionNewColumn }
      : null;
  const appDatabase = await findAppDatabaseForEnvironment(db, environment.id);
  const base = { key: flag.key, environment: environment.key, appDatabase: appDatabase ? { name: appDatabase.name, kind: appDatabase.kind } : null, contraction, asOf: now.toISOString() };
  if (!appDatabase) return { ...base, columns: { status: "not_applicable", detail: `No application database is connected for ${environment.key}.` } };
  if (!contraction) return { ...base, columns: { status: "not_applicable", detail: "The removal ticket names no table and old column to contract." } };

  const dsn = storedDsn(appDatabase.dsnCiphertext);
  if (dsn === null) return { ...base, columns: { status: "unavailable", detail: UNREADABLE_DSN } };
  const columns = await withReadOnlySession(appDatabase.kind, dsn, (query) => checkColumns(appDatabase.kind, query, contraction)).then(
    (check): Evidence<ColumnsCheck> => ({ status: "checked", ...check }),
    (error: unknown): Evidence<ColumnsCheck> => ({ status: "unavailable", detail: error instanceof Error ? error.message : "no answer" }),
  );
  return { ...base, columns };
}
