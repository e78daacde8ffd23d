import type { AppDbKind } from "../app-db-kind";
import type { ReadOnlyQuery } from "../read-only-session";
import { splitTableName } from "./table-name";

export interface Contraction {
  /** `orders` or `public.orders`. */
  table: string;
  oldColumn: string;
  newColumn: string | null;
}

export interface ColumnFacts {
  name: string;
  present: boolean;
  type: string | null;
  nullable: boolean | null;
}

/**
 * `expanded`: old and new both there (the migration's middle). `contracted`: the old column is
 * gone and the new one is there. `not_migrated`: the new column is missing. `table_missing`:
 * no such table, or none the role can see.
 */
export type ColumnsVerdict = "expanded" | "contracted" | "not_migrated" | "table_missing";

export interface ColumnsCheck {
  verdict: ColumnsVerdict;
  table: string;
  old: ColumnFacts;
  new: ColumnFacts | null;
  caveat: string;
}

/** Where the contraction's table and columns stand in the application database. */
export async function checkColumns(kind: AppDbKind, query: ReadOnlyQuery, contraction: Contraction): Promise<ColumnsCheck> {
  const { schema, table } = splitTableName(contraction.table);
  const rows = kind === "postgresql" ? await postgresColumns(query, schema, table) : await mysqlColumns(query, schema, table);
  const caveat =
    kind === "postgresql"
      ? "Read from pg_attribute, which every role can read: a column the role may not select is still seen, and a dropped one is gone."
      : "Read from information_schema, which lists only columns the role has some privilege on: grant SELECT on the table.";
  const facts = (name: string): ColumnFacts => {
    const row = rows.columns.get(name);
    return row ? { name, present: true, type: row.type, nullable: row.nullable } : { name, present: false, type: null, nullable: null };
  };
  const old = facts(contraction.oldColumn);
  const next = contraction.newColumn ? facts(contraction.newColumn) : null;
  const verdict: ColumnsVerdict = !rows.tableFound
    ? "table_missing"
    : next && !next.present
      ? "not_migrated"
      : old.present
        ? "expanded"
        : "contracted";
  return { verdict, table: contraction.table, old, new: next, caveat };
}

interface TableColumns {
  tableFound: boolean;
  columns: Map<string, { type: string; nullable: boolean }>;
}

async function postgresColumns(query: ReadOnlyQuery, schema: string | null, table: string): Promise<TableColumns> {
  // Dropped columns stay in pg_attribute renamed "........pg.dropped.N........": attisdropped keeps them out.
  const rows = await query(
    `select c.oid is not null as found, a.attname as name, format_type(a.atttypid, a.atttypmod) as type, not a.attnotnull as nullable
       from pg_class c
       join pg_namespace n on n.oid = c.relnamespace
       left join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
      where c.relname = $1 and c.relkind in ('r', 'p') and n.nspname = coalesce($2, current_schema())`,
    [table, schema],
  );
  return {
    tableFound: rows.length > 0,
    columns: new Map(rows.filter((row) => row.name !== null).map((row) => [String(row.name), { type: String(row.type), nullable: Boolean(row.nullable) }])),
  };
}

async function mysqlColumns(query: ReadOnlyQuery, schema: string | null, table: string): Promise<TableColumns> {
  const tables = await query("select 1 from information_schema.tables where table_schema = coalesce(?, database()) and table_name = ?", [schema, table]);
  const rows = await query(
    "select column_name as name, column_type as type, is_nullable = 'YES' as nullable from information_schema.columns where table_schema = coalesce(?, database()) and table_name = ?",
    [schema, table],
  );
  return {
    tableFound: tables.length > 0,
    columns: new Map(rows.map((row) => [String(row.name), { type: String(row.type), nullable: Number(row.nullable) === 1 }])),
  };
}
