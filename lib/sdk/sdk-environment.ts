import type { ServiceContext } from "@/lib/context";
import { requireEnvironment } from "@/lib/environments/environment-store";

/** The SDK key's environment: SDK routes never take one from the request. */
export async function requireSdkEnvironment(ctx: ServiceContext) {
  if (ctx.actor.kind !== "sdk" || !ctx.actor.environment) throw new Error("SDK routes need an SDK key actor");
  return requireEnvironment(ctx.db, ctx.actor.environment);
}
