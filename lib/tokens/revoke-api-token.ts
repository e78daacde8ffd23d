import { and, eq, isNull } from "drizzle-orm";
import { apiTokens } from "@/db/schema";
import { recordAuditEvent } from "@/lib/audit/audit-store";
import type { ServiceContext } from "@/lib/context";
import { NotFoundError } from "@/lib/errors";
import { findApiTokenById } from "./api-token-store";

/** Revokes at once: the next request with the token is refused. Revoking twice changes nothing. */
export async function revokeApiToken({ ctx, input }: { ctx: ServiceContext; input: { id: number } }) {
  return ctx.db.transaction(async (tx) => {
    const before = await findApiTokenById(tx, input.id);
    if (!before) throw new NotFoundError("token_not_found", `There is no API token ${input.id}.`, [{ path: "id", message: "unknown token" }]);
    const revoked = await tx
      .update(apiTokens)
      .set({ revokedAt: new Date() })
      .where(and(eq(apiTokens.id, input.id), isNull(apiTokens.revokedAt)))
      .returning({ id: apiTokens.id });
    if (revoked.length === 0) return { token: before, changed: false };

    const after = (await findApiTokenById(tx, input.id)) ?? before;
    await recordAuditEvent(tx, { actor: ctx.actor.name, source: ctx.source, action: "api_token.revoked", before, after, requestId: ctx.requestId });
    return { token: after, changed: true };
  });
}
