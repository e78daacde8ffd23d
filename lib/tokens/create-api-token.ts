import { apiTokens } from "@/db/schema";
import { recordAuditEvent } from "@/lib/audit/audit-store";
import { displayPrefix, generateSecret, hashSecret } from "@/lib/auth/credentials";
import type { ServiceContext } from "@/lib/context";
import type { Db } from "@/lib/db/client";
import { requireEnvironment } from "@/lib/environments/environment-store";
import { ConflictError } from "@/lib/errors";
import { findApiTokenById } from "./api-token-store";
import type { CreateApiTokenInput } from "./schemas";

/** Issues a token; the secret is in this answer only, the database keeps its hash. */
export async function createApiToken({
  ctx,
  input,
  secret = generateSecret("api_token"),
}: {
  ctx: ServiceContext;
  input: CreateApiTokenInput;
  /** Given only by first-run setup (RAMPART_INIT_ADMIN_TOKEN). */
  secret?: string;
}) {
  return ctx.db.transaction(async (tx) => {
    const environment = input.environment ? await requireEnvironment(tx, input.environment, "environment") : null;
    const [row] = await tx
      .insert(apiTokens)
      .values({
        name: input.name,
        role: input.role,
        environmentId: environment?.id ?? null,
        secretHash: hashSecret(secret),
        secretPrefix: displayPrefix(secret),
        createdBy: ctx.actor.name,
      })
      .onConflictDoNothing()
      .returning({ id: apiTokens.id });
    if (!row) {
      throw new ConflictError("token_exists", `A token named "${input.name}" already exists.`, [
        { path: "name", message: "is already taken" },
      ]);
    }
    const token = await requireToken(tx, row.id);
    await recordAuditEvent(tx, {
      actor: ctx.actor.name,
      source: ctx.source,
      action: "api_token.created",
      environmentId: environment?.id ?? null,
      after: token,
      requestId: ctx.requestId,
    });
    return { token, secret };
  });
}

async function requireToken(db: Db, id: number) {
  const token = await findApiTokenById(db, id);
  if (!token) throw new Error(`api token ${id} vanished inside its own transaction`);
  return token;
}
