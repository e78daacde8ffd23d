import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { appSettings } from "@/db/schema";
import type { Db } from "@/lib/db/client";

/**
 * A setting every instance must agree on, created once: the first instance's insert wins
 * and every later or concurrent one reads the stored value back.
 */
export async function sharedSetting(db: Db, key: string, create: () => string): Promise<string> {
  await db.insert(appSettings).values({ key, value: create() }).onConflictDoNothing();
  const [row] = await db.select({ value: appSettings.value }).from(appSettings).where(eq(appSettings.key, key));
  return row.value;
}

/** Signs session cookies. RAMPART_SECRET wins; otherwise one generated per installation. */
export async function sessionSecret(db: Db): Promise<string> {
  const fromEnv = process.env.RAMPART_SECRET;
  if (fromEnv) return fromEnv;
  return sharedSetting(db, "session_secret", () => randomBytes(32).toString("base64url"));
}
