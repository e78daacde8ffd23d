import { mkdirSync } from "node:fs";
import path from "node:path";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import * as schema from "@/db/schema";
import { migrateDatabase } from "./migrate";

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
export type DbDriver = "pglite" | "postgres";

export interface DbConnection {
  db: Db;
  driver: DbDriver;
  close(): Promise<void>;
}

// Next loads modules several times per process; two PGlite instances on one
// directory each see only their own rows, so the connection lives on globalThis.
const holder = globalThis as typeof globalThis & { __rampartDb?: Promise<DbConnection> };

/** The process-wide database, migrated before first use. */
export async function getDb(): Promise<Db> {
  return (await getConnection()).db;
}

export function getConnection(): Promise<DbConnection> {
  holder.__rampartDb ??= openConnection().catch((error: unknown) => {
    holder.__rampartDb = undefined;
    throw error;
  });
  return holder.__rampartDb;
}

/** Closes the process-wide connection; the next getDb() opens a new one. */
export async function closeDb(): Promise<void> {
  const pending = holder.__rampartDb;
  holder.__rampartDb = undefined;
  if (pending) await (await pending).close();
}

/** `$RAMPART_DATA_DIR/pglite`, `.data/pglite` by default; `memory://…` keeps nothing on disk. */
export function pgliteDataDir(): string {
  const dataDir = process.env.RAMPART_DATA_DIR || path.join(process.cwd(), ".data");
  if (dataDir.startsWith("memory://")) return dataDir;
  return path.resolve(dataDir, "pglite");
}

async function openConnection(): Promise<DbConnection> {
  const url = process.env.DATABASE_URL;
  if (url) {
    await migrateDatabase({ driver: "postgres", url });
    const [{ Pool }, { drizzle }] = await Promise.all([import("pg"), import("drizzle-orm/node-postgres")]);
    const pool = new Pool({ connectionString: url, max: Number(process.env.RAMPART_DB_POOL_MAX ?? 10) });
    return { db: drizzle({ client: pool, schema }), driver: "postgres", close: () => pool.end() };
  }

  const dataDir = pgliteDataDir();
  if (!dataDir.startsWith("memory://")) mkdirSync(dataDir, { recursive: true });
  const [{ PGlite }, { drizzle }] = await Promise.all([
    import("@electric-sql/pglite"),
    import("drizzle-orm/pglite"),
  ]);
  const client = await PGlite.create(dataDir);
  const db = drizzle({ client, schema });
  await migrateDatabase({ driver: "pglite", db });
  return { db, driver: "pglite", close: () => client.close() };
}
