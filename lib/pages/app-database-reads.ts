import { listAppDatabases, type AppDatabaseSummary, type AppDatabaseView } from "@/lib/app-db/app-databases";
import { findAppDatabaseForEnvironment } from "@/lib/app-db/app-database-store";
import type { SignedInUser } from "@/lib/auth/current-user";
import type { Db } from "@/lib/db/client";
import { requireEnvironment } from "@/lib/environments/environment-store";

// What pages read of the application databases from Rampart's own store: never a session on one.

/** The environment's application database as everyone may see it; null when none is connected. */
export async function findEnvironmentAppDatabase(db: Db, env: string): Promise<Pick<AppDatabaseSummary, "name" | "kind" | "health"> | null> {
  const environment = await requireEnvironment(db, env);
  const row = await findAppDatabaseForEnvironment(db, environment.id);
  return row ? { name: row.name, kind: row.kind, health: row.health } : null;
}

/** The settings page's list, as the API answers the signed-in user: admins see the test details too. */
export async function listAppDatabasesFor(db: Db, user: SignedInUser): Promise<(AppDatabaseSummary | AppDatabaseView)[]> {
  return listAppDatabases({ db, actor: { kind: "user", name: user.email, role: user.role, environment: null }, source: "ui" });
}
