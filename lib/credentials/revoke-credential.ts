import { recordAuditEvent } from "@/lib/audit/audit-store";
import type { ServiceContext } from "@/lib/context";
import { requireEnvironment } from "@/lib/environments/environment-store";
import { NotFoundError } from "@/lib/errors";
import { findCredentialById, markCredentialRevoked, type CredentialView } from "./credential-store";
import { CREDENTIAL_KINDS, type CredentialKind, type NamedCredential } from "./kinds";
import { forgetSdkKeys } from "./sdk-key-cache";

export type RevokedCredential<K extends CredentialKind> = NamedCredential<K, CredentialView<K>> & { changed: boolean };

const notFound: Record<CredentialKind, (id: number) => NotFoundError> = {
  "api-token": (id) => new NotFoundError("token_not_found", `There is no API token ${id}.`, [{ path: "id", message: "unknown token" }]),
  "sdk-key": (id) => new NotFoundError("sdk_key_not_found", `There is no SDK key ${id}.`, [{ path: "id", message: "unknown SDK key" }]),
};

/**
 * Revokes at once: the next request with an API token is refused; services using an SDK key are
 * refused on their next call to this instance, and to any other within SDK_KEY_CACHE_TTL_MS.
 * Revoking twice changes nothing.
 */
export async function revokeCredential<K extends CredentialKind>({
  ctx,
  kind,
  input,
}: {
  ctx: ServiceContext;
  kind: K;
  input: { id: number };
}): Promise<RevokedCredential<K>> {
  const { credential, changed } = await ctx.db.transaction(async (tx) => {
    const before = await findCredentialById(tx, kind, input.id);
    if (!before) throw notFound[kind](input.id);
    if (!(await markCredentialRevoked(tx, kind, input.id))) return { credential: before, changed: false };

    const after = (await findCredentialById(tx, kind, input.id)) ?? before;
    // An SDK key's revocation is filed under its environment; a token's never was, scoped or not.
    const environmentId = kind === "sdk-key" && before.environment ? (await requireEnvironment(tx, before.environment)).id : null;
    await recordAuditEvent(tx, {
      actor: ctx.actor.name,
      source: ctx.source,
      action: `${CREDENTIAL_KINDS[kind].auditPrefix}.revoked`,
      environmentId,
      before,
      after,
      requestId: ctx.requestId,
    });
    return { credential: after, changed: true };
  });
  // After the commit: forgotten earlier, a request meanwhile could remember the key again.
  if (kind === "sdk-key") forgetSdkKeys();
  return { [CREDENTIAL_KINDS[kind].one]: credential, changed } as RevokedCredential<K>;
}
