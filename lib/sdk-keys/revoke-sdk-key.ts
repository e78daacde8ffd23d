import { and, eq, isNull } from "drizzle-orm";
import { sdkKeys } from "@/db/schema";
import { recordAuditEvent } from "@/lib/audit/audit-store";
import type { ServiceContext } from "@/lib/context";
import { requireEnvironment } from "@/lib/environments/environment-store";
import { NotFoundError } from "@/lib/errors";
import { forgetSdkKeys } from "./sdk-key-cache";
import { findSdkKeyById } from "./sdk-key-store";

/**
 * Revokes: services using the key are refused on their next call to this instance, and to any
 * other within SDK_KEY_CACHE_TTL_MS. Idempotent.
 */
export async function revokeSdkKey({ ctx, input }: { ctx: ServiceContext; input: { id: number } }) {
  const result = await ctx.db.transaction(async (tx) => {
    const before = await findSdkKeyById(tx, input.id);
    if (!before) throw new NotFoundError("sdk_key_not_found", `There is no SDK key ${input.id}.`, [{ path: "id", message: "unknown SDK key" }]);
    const revoked = await tx
      .update(sdkKeys)
      .set({ revokedAt: new Date() })
      .where(and(eq(sdkKeys.id, input.id), isNull(sdkKeys.revokedAt)))
      .returning({ id: sdkKeys.id });
    if (revoked.length === 0) return { sdkKey: before, changed: false };

    const after = (await findSdkKeyById(tx, input.id)) ?? before;
    const environment = await requireEnvironment(tx, before.environment);
    await recordAuditEvent(tx, {
      actor: ctx.actor.name,
      source: ctx.source,
      action: "sdk_key.revoked",
      environmentId: environment.id,
      before,
      after,
      requestId: ctx.requestId,
    });
    return { sdkKey: after, changed: true };
  });
  // After the commit: forgotten earlier, a request meanwhile could remember the key again.
  forgetSdkKeys();
  return result;
}
