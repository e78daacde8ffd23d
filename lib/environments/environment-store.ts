import { asc, eq } from "drizzle-orm";
import { environments } from "@/db/schema";
import type { Db } from "@/lib/db/client";
import { NotFoundError } from "@/lib/errors";

export type Environment = typeof environments.$inferSelect;

export async function listEnvironments(db: Db): Promise<Environment[]> {
  return db.select().from(environments).orderBy(asc(environments.id));
}

export async function findEnvironmentByKey(db: Db, key: string): Promise<Environment | undefined> {
  const [environment] = await db.select().from(environments).where(eq(environments.key, key));
  return environment;
}

/** The environment named in a request, or a 404 that names the field it came from (`env` by default). */
export async function requireEnvironment(db: Db, key: string, field = "env"): Promise<Environment> {
  const environment = await findEnvironmentByKey(db, key);
  if (!environment) {
    throw new NotFoundError("environment_not_found", `There is no environment "${key}".`, [
      { path: field, message: `unknown environment "${key}"` },
    ]);
  }
  return environment;
}
