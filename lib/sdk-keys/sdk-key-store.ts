import { and, desc, eq, isNull, lt, or, sql } from "drizzle-orm";
import { environments, sdkKeys } from "@/db/schema";
import type { Db } from "@/lib/db/client";
import { serializeDates } from "@/lib/auth/credentials";

export interface SdkKeyView {
  id: number;
  name: string;
  environment: string;
  prefix: string;
  createdBy: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

function selectKeys(db: Db) {
  return db
    .select({
      id: sdkKeys.id,
      name: sdkKeys.name,
      environment: environments.key,
      prefix: sdkKeys.secretPrefix,
      createdBy: sdkKeys.createdBy,
      createdAt: sdkKeys.createdAt,
      lastUsedAt: sdkKeys.lastUsedAt,
      revokedAt: sdkKeys.revokedAt,
    })
    .from(sdkKeys)
    .innerJoin(environments, eq(environments.id, sdkKeys.environmentId));
}

export async function listSdkKeys(db: Db): Promise<SdkKeyView[]> {
  return (await selectKeys(db).orderBy(desc(sdkKeys.id))).map(serializeDates);
}

export async function findSdkKeyById(db: Db, id: number): Promise<SdkKeyView | undefined> {
  const [row] = await selectKeys(db).where(eq(sdkKeys.id, id));
  return row && serializeDates(row);
}

/** The live (not revoked) key with this secret hash. */
export async function findLiveSdkKeyByHash(db: Db, secretHash: string): Promise<SdkKeyView | undefined> {
  const [row] = await selectKeys(db).where(and(eq(sdkKeys.secretHash, secretHash), isNull(sdkKeys.revokedAt)));
  return row && serializeDates(row);
}

/** Last-used is kept to the minute: one write a minute per key, not one per request. */
export async function touchSdkKey(db: Db, id: number): Promise<void> {
  await db
    .update(sdkKeys)
    .set({ lastUsedAt: new Date() })
    .where(and(eq(sdkKeys.id, id), or(isNull(sdkKeys.lastUsedAt), lt(sdkKeys.lastUsedAt, sql`now() - interval '1 minute'`))));
}
