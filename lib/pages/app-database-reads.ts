import type { AppDatabaseSummary } from "@/lib/app-db/app-databases";
import { findAppDatabaseForEnvironment } from "@/lib/app-db/app-database-store";
import type { Db } from "@/lib/db/client";
import { requireEnvironment } from "@/lib/environments/environment-store";

// What pages read of the application databases from Rampart's own store: never a session on one.

/** The environment's application database as everyone may see it; null when none is connected. */
export async function findEnvironmentAppDatabase(db: Db, env: string): Promise<Pick<AppDatabaseSummary, "name" | "kind" | "health"> | null> {
  const environment = await requireEnvironment(db, env);
  const row = await findAppDatabaseForEnvironment(db, environment.id);
  return row ? { name: row.name, kind: row.kind, health: row.health } : null;
}

