import type { AppDatabaseRow } from "./app-database-store";
import type { StatementKinds } from "./checks/old-column-usage";
import { keepConnection, type KeptConnection } from "./read-only-session";

interface Kept {
  /** The stored DSN this connection was opened with: a changed one opens a new connection. */
  dsnCiphertext: string;
  connection: KeptConnection;
  /** Per old column, what each pg_stat_statements queryid is to it (read, write or neither). */
  statementKinds: Map<string, StatementKinds>;
}

/**
 * The sampler's connections, one kept per application database between its 5-second samples:
 * a new connection per sample cost the database more than the sample (docs/benchmarks.md).
 */
export class SamplerConnections {
  private readonly kept = new Map<number, Kept>();

  connectionFor(appDatabase: Pick<AppDatabaseRow, "id" | "kind" | "dsnCiphertext">, dsn: string): KeptConnection {
    return this.entry(appDatabase, dsn).connection;
  }

  statementKindsFor(appDatabase: Pick<AppDatabaseRow, "id" | "kind" | "dsnCiphertext">, dsn: string, target: { table: string; oldColumn: string }): StatementKinds {
    const { statementKinds } = this.entry(appDatabase, dsn);
    const key = `${target.table}\u0000${target.oldColumn}`;
    let kinds = statementKinds.get(key);
    if (!kinds) statementKinds.set(key, (kinds = new Map()));
    return kinds;
  }

  /** Closes the connections of databases no longer connected (removed, or their DSN replaced). */
  async keepOnly(appDatabases: Pick<AppDatabaseRow, "id" | "dsnCiphertext">[]): Promise<void> {
    const current = new Map(appDatabases.map((row) => [row.id, row.dsnCiphertext]));
    for (const [id, kept] of this.kept) {
      if (current.get(id) === kept.dsnCiphertext) continue;
      this.kept.delete(id);
      await kept.connection.close();
    }
  }

  async close(): Promise<void> {
    await this.keepOnly([]);
  }

  private entry(appDatabase: Pick<AppDatabaseRow, "id" | "kind" | "dsnCiphertext">, dsn: string): Kept {
    const found = this.kept.get(appDatabase.id);
    if (found && found.dsnCiphertext === appDatabase.dsnCiphertext) return found;
    if (found) void found.connection.close();
    const kept = { dsnCiphertext: appDatabase.dsnCiphertext, connection: keepConnection(appDatabase.kind, dsn), statementKinds: new Map() };
    this.kept.set(appDatabase.id, kept);
    return kept;
  }
}
