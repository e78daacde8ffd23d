import { sdkKeys } from "@/db/schema";
import { recordAuditEvent } from "@/lib/audit/audit-store";
import { displayPrefix, generateSecret, hashSecret } from "@/lib/auth/credentials";
import type { ServiceContext } from "@/lib/context";
import { requireEnvironment } from "@/lib/environments/environment-store";
import { ConflictError } from "@/lib/errors";
import type { CreateSdkKeyInput } from "@/lib/tokens/schemas";
import { findSdkKeyById } from "./sdk-key-store";

/** Issues an SDK key for one environment; the secret is in this answer only. */
export async function createSdkKey({
  ctx,
  input,
  secret = generateSecret("sdk_key"),
}: {
  ctx: ServiceContext;
  input: CreateSdkKeyInput;
  /** Given only by first-run setup (RAMPART_INIT_SDK_KEYS). */
  secret?: string;
}) {
  return ctx.db.transaction(async (tx) => {
    const environment = await requireEnvironment(tx, input.environment, "environment");
    const [row] = await tx
      .insert(sdkKeys)
      .values({
        name: input.name,
        environmentId: environment.id,
        secretHash: hashSecret(secret),
        secretPrefix: displayPrefix(secret),
        createdBy: ctx.actor.name,
      })
      .onConflictDoNothing()
      .returning({ id: sdkKeys.id });
    if (!row) throw new ConflictError("sdk_key_exists", "That SDK key already exists.", [{ path: "secret", message: "is already registered" }]);
    const sdkKey = await findSdkKeyById(tx, row.id);
    await recordAuditEvent(tx, {
      actor: ctx.actor.name,
      source: ctx.source,
      action: "sdk_key.created",
      environmentId: environment.id,
      after: sdkKey,
      requestId: ctx.requestId,
    });
    return { sdkKey: sdkKey!, secret };
  });
}
