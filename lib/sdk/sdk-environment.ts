import type { ServiceContext } from "@/lib/context";
import type { Db } from "@/lib/db/client";
import { requireEnvironment, type Environment } from "@/lib/environments/environment-store";

// Environments are never renamed or removed, so one found stays valid: a fleet's every batch and
// stream would otherwise read the same row again.
const known = new WeakMap<Db, Map<string, Environment>>();

/** The SDK key's environment: SDK routes never take one from the request. */
export async function requireSdkEnvironment(ctx: ServiceContext): Promise<Environment> {
  if (ctx.actor.kind !== "sdk" || !ctx.actor.environment) throw new Error("SDK routes need an SDK key actor");
  let byKey = known.get(ctx.db);
  if (!byKey) known.set(ctx.db, (byKey = new Map()));
  const cached = byKey.get(ctx.actor.environment);
  if (cached) return cached;
  const environment = await requireEnvironment(ctx.db, ctx.actor.environment);
  byKey.set(environment.key, environment);
  return environment;
}
