import { hasRole } from "@/lib/auth/actor";
import type { ServiceContext } from "@/lib/context";
import { usesEmbeddedDatabase } from "@/lib/db/client";
import { recordAuditEvent } from "@/lib/audit/audit-store";
import { requireEnvironment } from "@/lib/environments/environment-store";
import { ConflictError, NotFoundError } from "@/lib/errors";
import type { AppDbHealth, AppDbKind } from "./app-db-kind";
import { deleteAppDatabase, findAppDatabase, findAppDatabases, insertAppDatabase, saveAppDatabaseHealth, type AppDatabaseRow } from "./app-database-store";
import { encryptSecret } from "@/lib/secrets/secret-cipher";
import { withReadOnlySession, type SessionLimits } from "./read-only-session";
import type { AddAppDatabaseInput } from "./schemas";
import { loadSecretKey } from "@/lib/secrets/secret-key";
import { storedDsn, UNREADABLE_DSN } from "./stored-dsn";

/** What everyone may see of an application database: that it exists, what it is, whether it answers. */
export interface AppDatabaseSummary {
  id: number;
  environment: string;
  name: string;
  kind: AppDbKind;
  health: AppDbHealth;
  checkedAt: string | null;
}

/** What admins see besides; never the DSN. */
export interface AppDatabaseView extends AppDatabaseSummary {
  healthDetail: string | null;
  serverVersion: string | null;
  createdAt: string;
  createdBy: string;
}

export async function listAppDatabases(ctx: ServiceContext): Promise<(AppDatabaseSummary | AppDatabaseView)[]> {
  const rows = await findAppDatabases(ctx.db);
  const admin = hasRole(ctx.actor, "admin");
  return rows.map((row) => (admin ? toView(row, row.environment) : toSummary(row, row.environment)));
}

/** One application database per environment; its DSN encrypted before it is stored. */
export async function addAppDatabase({ ctx, env, input }: { ctx: ServiceContext; env: string; input: AddAppDatabaseInput }): Promise<AppDatabaseView> {
  const environment = await requireEnvironment(ctx.db, env);
  const key = loadSecretKey({ embedded: usesEmbeddedDatabase() });
  return ctx.db.transaction(async (tx) => {
    const row = await insertAppDatabase(tx, {
      environmentId: environment.id,
      name: input.name,
      kind: input.kind,
      dsnCiphertext: encryptSecret(key, input.dsn),
      createdBy: ctx.actor.name,
    });
    if (!row) {
      throw new ConflictError("app_database_exists", `The ${environment.key} environment already has an application database; remove it first.`, [
        { path: "env", message: "already has an application database" },
      ]);
    }
    await recordAuditEvent(tx, {
      actor: ctx.actor.name,
      source: ctx.source,
      action: "app_database.added",
      environmentId: environment.id,
      after: { name: row.name, kind: row.kind },
      requestId: ctx.requestId,
    });
    return toView(row, environment.key);
  });
}

export async function removeAppDatabase({ ctx, id }: { ctx: ServiceContext; id: number }): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const row = await deleteAppDatabase(tx, id);
    if (!row) throw notFound(id);
    await recordAuditEvent(tx, {
      actor: ctx.actor.name,
      source: ctx.source,
      action: "app_database.removed",
      environmentId: row.environmentId,
      before: { name: row.name, kind: row.kind },
      requestId: ctx.requestId,
    });
  });
}

/** Connects read-only, asks the server's version, and records whether it answered. Never throws for a database that does not. */
export async function testAppDatabase({ ctx, id, limits }: { ctx: ServiceContext; id: number; limits?: SessionLimits }): Promise<AppDatabaseView> {
  const row = await findAppDatabase(ctx.db, id);
  if (!row) throw notFound(id);
  const dsn = storedDsn(row.dsnCiphertext);
  const checkedAt = new Date();
  const session = dsn === null ? Promise.reject(new Error(UNREADABLE_DSN)) : withReadOnlySession(row.kind, dsn, async (query) => String((await query("select version() as version"))[0]?.version ?? ""), limits);
  const result = await session.then(
    (serverVersion) => ({ health: "ok" as const, healthDetail: null, serverVersion }),
    (error: unknown) => ({ health: "unavailable" as const, healthDetail: error instanceof Error ? error.message : "no answer", serverVersion: row.serverVersion }),
  );
  const saved = await saveAppDatabaseHealth(ctx.db, id, { ...result, checkedAt });
  if (!saved) throw notFound(id);
  return toView(saved, row.environment);
}

function toSummary(row: AppDatabaseRow, environment: string): AppDatabaseSummary {
  return { id: row.id, environment, name: row.name, kind: row.kind, health: row.health, checkedAt: row.checkedAt?.toISOString() ?? null };
}

function toView(row: AppDatabaseRow, environment: string): AppDatabaseView {
  return {
    ...toSummary(row, environment),
    healthDetail: row.healthDetail,
    serverVersion: row.serverVersion,
    createdAt: row.createdAt.toISOString(),
    createdBy: row.createdBy,
  };
}

function notFound(id: number): NotFoundError {
  return new NotFoundError("app_database_not_found", `There is no application database ${id}.`, [{ path: "id", message: `unknown application database ${id}` }]);
}
