import type { AppDbKind } from "../app-db-kind";
import type { ReadOnlyQuery } from "../read-only-session";
import { OWN_STATEMENT_MARK } from "./old-column-usage";
import { splitTableName } from "./table-name";

export interface DivergenceTarget {
  table: string;
  oldColumn: string;
  newColumn: string;
}

export interface DivergenceProgress {
  rowsScanned: number;
  divergent: number;
  /** The last primary key scanned; the next batch starts after it. */
  lastKey: string | null;
  done: boolean;
}

export const DIVERGENCE_BATCH_ROWS = 1_000;

/**
 * The table's single-column primary key, which the scan walks in order; null when it has none or
 * a composite one (the scan then cannot run in batches and says so).
 */
export async function primaryKeyColumn(kind: AppDbKind, query: ReadOnlyQuery, table: string): Promise<string | null> {
  const { schema, table: name } = splitTableName(table);
  const rows =
    kind === "postgresql"
      ? await query(
          `select a.attname as name from pg_index i
             join pg_class c on c.oid = i.indrelid join pg_namespace n on n.oid = c.relnamespace
             join pg_attribute a on a.attrelid = c.oid and a.attnum = any(i.indkey)
            where i.indisprimary and c.relname = $1 and n.nspname = coalesce($2, current_schema())`,
          [name, schema],
        )
      : await query(
          "select column_name as name from information_schema.key_column_usage where constraint_name = 'PRIMARY' and table_schema = coalesce(?, database()) and table_name = ?",
          [schema, name],
        );
  return rows.length === 1 ? String(rows[0]!.name) : null;
}

/**
 * One batch of the seed's check, `old IS DISTINCT FROM new` (`NOT (old <=> new)` on MySQL), over
 * the next DIVERGENCE_BATCH_ROWS rows by primary key: never the whole table in one statement.
 */
export async function scanDivergenceBatch(kind: AppDbKind, query: ReadOnlyQuery, target: DivergenceTarget, primaryKey: string, after: string | null, batchRows = DIVERGENCE_BATCH_ROWS): Promise<{ rows: number; divergent: number; lastKey: string | null }> {
  const q = identifierQuoter(kind);
  const table = splitTableName(target.table);
  const from = table.schema ? `${q(table.schema)}.${q(table.table)}` : q(table.table);
  const [pk, oldColumn, newColumn] = [q(primaryKey), q(target.oldColumn), q(target.newColumn)];
  const sql =
    kind === "postgresql"
      ? `select count(*) as rows, 1 as ${OWN_STATEMENT_MARK}, count(*) filter (where ${oldColumn} is distinct from ${newColumn}) as divergent, max(${pk})::text as last_key
           from (select ${pk}, ${oldColumn}, ${newColumn} from ${from} where $1::boolean or ${pk} > $2 order by ${pk} limit ${batchRows}) batch`
      : `select count(*) as \`rows\`, 1 as ${OWN_STATEMENT_MARK}, coalesce(sum(not (${oldColumn} <=> ${newColumn})), 0) as divergent, cast(max(${pk}) as char) as last_key
           from (select ${pk}, ${oldColumn}, ${newColumn} from ${from} where ? is null or ${pk} > ? order by ${pk} limit ${batchRows}) batch`;
  // PostgreSQL types $2 as the key's own type (bigint, uuid, text…); the flag says "from the start".
  const [row] = await query(sql, kind === "postgresql" ? [after === null, after] : [after, after]);
  return { rows: Number(row!.rows), divergent: Number(row!.divergent), lastKey: row!.last_key === null ? after : String(row!.last_key) };
}

/** Identifiers come from the ticket's validated names; quoted all the same, so a reserved word still works. */
function identifierQuoter(kind: AppDbKind): (name: string) => string {
  return kind === "postgresql" ? (name) => `"${name.replace(/"/g, '""')}"` : (name) => `\`${name.replace(/`/g, "``")}\``;
}
