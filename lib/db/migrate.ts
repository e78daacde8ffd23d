import path from "node:path";
import type { PgliteDatabase } from "drizzle-orm/pglite";
import type * as schema from "@/db/schema";

export const migrationsFolder = path.join(process.cwd(), "db", "migrations");

// Any fixed 64-bit number; every Rampart instance on one database takes the same one.
const MIGRATION_LOCK_ID = 7_204_316_001;

type MigrateTarget =
  | { driver: "postgres"; url: string }
  | { driver: "pglite"; db: PgliteDatabase<typeof schema> };

/**
 * Applies db/migrations. On PostgreSQL it holds a session advisory lock on its own
 * connection, so instances starting together wait for each other instead of racing.
 */
export async function migrateDatabase(target: MigrateTarget): Promise<void> {
  if (target.driver === "pglite") {
    const { migrate } = await import("drizzle-orm/pglite/migrator");
    await migrate(target.db, { migrationsFolder });
    return;
  }

  const [{ Client }, { drizzle }, { migrate }] = await Promise.all([
    import("pg"),
    import("drizzle-orm/node-postgres"),
    import("drizzle-orm/node-postgres/migrator"),
  ]);
  const client = new Client({ connectionString: target.url });
  await client.connect();
  try {
    await client.query("select pg_advisory_lock($1)", [MIGRATION_LOCK_ID]);
    try {
      await migrate(drizzle({ client }), { migrationsFolder });
    } finally {
      await client.query("select pg_advisory_unlock($1)", [MIGRATION_LOCK_ID]);
    }
  } finally {
    await client.end();
  }
}
