import type { Actor } from "@/lib/auth/actor";
import type { Db } from "@/lib/db/client";
import { ConflictError } from "@/lib/errors";
import { confirmSchemaContracted } from "./confirm-schema-contracted";
import { findUnverifiedContractions } from "./teardown-store";

/** Who stage 4 says verified it when Rampart saw the column gone by itself. */
export const CONTRACTION_WATCH_ACTOR: Actor = { kind: "controller", name: "rampart", role: "operator", environment: null };

/**
 * Stage 4, verified by Rampart itself every hour: where a removed flag's old column is gone from
 * an environment's application database, the stage is recorded as verified, audited. A column
 * still there, or a database that does not answer, is left for the next hour.
 */
export async function verifyPendingContractions(db: Db): Promise<{ verified: number; pending: number }> {
  let verified = 0;
  let pending = 0;
  for (const { key, env } of await findUnverifiedContractions(db)) {
    try {
      const { changed } = await confirmSchemaContracted({
        ctx: { db, actor: CONTRACTION_WATCH_ACTOR, source: "controller" },
        input: { key, env, reason: "Rampart's hourly check found the old column gone from the application database." },
      });
      if (changed) verified += 1;
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      pending += 1;
    }
  }
  return { verified, pending };
}
