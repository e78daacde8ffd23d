import { and, desc, eq, inArray, isNotNull, isNull, lt, or, sql } from "drizzle-orm";
import { apiTokens, environments, sdkKeys } from "@/db/schema";
import type { Role } from "@/lib/auth/roles";
import type { Db } from "@/lib/db/client";
import type { CredentialKind } from "./kinds";

/** What API tokens and SDK keys have in common, as the API answers them. */
export interface CommonCredentialView {
  id: number;
  name: string;
  prefix: string;
  createdBy: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface ApiTokenView extends CommonCredentialView {
  role: Role;
  /** The one environment the token may act in; null for every environment. */
  environment: string | null;
}

export interface SdkKeyView extends CommonCredentialView {
  environment: string;
}

interface CredentialViews {
  "api-token": ApiTokenView;
  "sdk-key": SdkKeyView;
}
export type CredentialView<K extends CredentialKind = CredentialKind> = CredentialViews[K];

const TABLES = { "api-token": apiTokens, "sdk-key": sdkKeys } as const;

function selectCredentials(db: Db, kind: CredentialKind) {
  const table = TABLES[kind];
  return (
    db
      .select({
        id: table.id,
        name: table.name,
        ...(kind === "api-token" ? { role: apiTokens.role } : {}),
        environment: environments.key,
        prefix: table.secretPrefix,
        createdBy: table.createdBy,
        createdAt: table.createdAt,
        lastUsedAt: table.lastUsedAt,
        revokedAt: table.revokedAt,
      })
      .from(table)
      // An SDK key's environment is never null, so the left join finds one for every key.
      .leftJoin(environments, eq(environments.id, table.environmentId))
  );
}

/** Timestamps as ISO strings, the way the API answers them. */
function toView<K extends CredentialKind>(row: { createdAt: Date; lastUsedAt: Date | null; revokedAt: Date | null }): CredentialView<K> {
  return {
    ...row,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  } as CredentialView<K>;
}

export async function listCredentials<K extends CredentialKind>(db: Db, kind: K): Promise<CredentialView<K>[]> {
  return (await selectCredentials(db, kind).orderBy(desc(TABLES[kind].id))).map((row) => toView<K>(row));
}

export async function findCredentialById<K extends CredentialKind>(db: Db, kind: K, id: number): Promise<CredentialView<K> | undefined> {
  const [row] = await selectCredentials(db, kind).where(eq(TABLES[kind].id, id));
  return row && toView<K>(row);
}

/** The live (not revoked) credential with this secret hash. */
export async function findLiveCredentialByHash<K extends CredentialKind>(db: Db, kind: K, secretHash: string): Promise<CredentialView<K> | undefined> {
  const table = TABLES[kind];
  const [row] = await selectCredentials(db, kind).where(and(eq(table.secretHash, secretHash), isNull(table.revokedAt)));
  return row && toView<K>(row);
}

/** Whether a credential of this kind, live or revoked, was ever registered with this secret hash. */
export async function isSecretHashRegistered(db: Db, kind: CredentialKind, secretHash: string): Promise<boolean> {
  const table = TABLES[kind];
  const rows = await db.select({ id: table.id }).from(table).where(eq(table.secretHash, secretHash));
  return rows.length > 0;
}

export interface NewCredential {
  name: string;
  /** API tokens only. */
  role?: Role;
  /** Required of an SDK key; null gives a token every environment. */
  environmentId: number | null;
  secretHash: string;
  secretPrefix: string;
  createdBy: string;
}

/** The new credential's id, or undefined when its name or secret is already taken. */
export async function insertCredential(db: Db, kind: CredentialKind, values: NewCredential): Promise<number | undefined> {
  const table = TABLES[kind];
  const [row] = await db.insert(table).values(values).onConflictDoNothing().returning({ id: table.id });
  return row?.id;
}

/** Whether this call revoked it: false when it was revoked already. */
export async function markCredentialRevoked(db: Db, kind: CredentialKind, id: number): Promise<boolean> {
  const table = TABLES[kind];
  const revoked = await db
    .update(table)
    .set({ revokedAt: new Date() })
    .where(and(eq(table.id, id), isNull(table.revokedAt)))
    .returning({ id: table.id });
  return revoked.length > 0;
}

/** Which of these credentials are revoked now. */
export async function findRevokedCredentialIds(db: Db, kind: CredentialKind, ids: number[]): Promise<number[]> {
  if (ids.length === 0) return [];
  const table = TABLES[kind];
  const rows = await db.select({ id: table.id }).from(table).where(and(inArray(table.id, ids), isNotNull(table.revokedAt)));
  return rows.map((row) => row.id);
}

/** Last-used is kept to the minute, so a busy credential costs one write a minute, not one a request. */
export async function touchCredential(db: Db, kind: CredentialKind, id: number): Promise<void> {
  const table = TABLES[kind];
  await db
    .update(table)
    .set({ lastUsedAt: new Date() })
    .where(and(eq(table.id, id), or(isNull(table.lastUsedAt), lt(table.lastUsedAt, sql`now() - interval '1 minute'`))));
}
