import { and, desc, eq, isNull, lt, or, sql } from "drizzle-orm";
import { apiTokens, environments } from "@/db/schema";
import type { Role } from "@/lib/auth/roles";
import { serializeDates } from "@/lib/auth/credentials";
import type { Db } from "@/lib/db/client";

export interface ApiTokenView {
  id: number;
  name: string;
  role: Role;
  /** The one environment the token may act in; null for every environment. */
  environment: string | null;
  prefix: string;
  createdBy: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

function selectTokens(db: Db) {
  return db
    .select({
      id: apiTokens.id,
      name: apiTokens.name,
      role: apiTokens.role,
      environment: environments.key,
      prefix: apiTokens.secretPrefix,
      createdBy: apiTokens.createdBy,
      createdAt: apiTokens.createdAt,
      lastUsedAt: apiTokens.lastUsedAt,
      revokedAt: apiTokens.revokedAt,
    })
    .from(apiTokens)
    .leftJoin(environments, eq(environments.id, apiTokens.environmentId));
}

export async function listApiTokens(db: Db): Promise<ApiTokenView[]> {
  return (await selectTokens(db).orderBy(desc(apiTokens.id))).map(serializeDates);
}

export async function findApiTokenById(db: Db, id: number): Promise<ApiTokenView | undefined> {
  const [row] = await selectTokens(db).where(eq(apiTokens.id, id));
  return row && serializeDates(row);
}

/** The live (not revoked) token with this secret hash. */
export async function findLiveApiTokenByHash(db: Db, secretHash: string): Promise<ApiTokenView | undefined> {
  const [row] = await selectTokens(db).where(and(eq(apiTokens.secretHash, secretHash), isNull(apiTokens.revokedAt)));
  return row && serializeDates(row);
}

/** Last-used is kept to the minute, so a busy token costs one write a minute, not one a request. */
export async function touchApiToken(db: Db, id: number): Promise<void> {
  await db
    .update(apiTokens)
    .set({ lastUsedAt: new Date() })
    .where(and(eq(apiTokens.id, id), or(isNull(apiTokens.lastUsedAt), lt(apiTokens.lastUsedAt, sql`now() - interval '1 minute'`))));
}
