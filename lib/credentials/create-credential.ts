import { recordAuditEvent } from "@/lib/audit/audit-store";
import type { Role } from "@/lib/auth/roles";
import type { ServiceContext } from "@/lib/context";
import type { Db } from "@/lib/db/client";
import { requireEnvironment } from "@/lib/environments/environment-store";
import { ConflictError } from "@/lib/errors";
import { findCredentialById, insertCredential, type CredentialView } from "./credential-store";
import { CREDENTIAL_KINDS, type CredentialKind, type NamedCredential } from "./kinds";
import type { CreateCredentialInput } from "./schemas";
import { displayPrefix, generateSecret, hashSecret } from "./secrets";

export type CreatedCredential<K extends CredentialKind> = NamedCredential<K, CredentialView<K>> & { secret: string };

// Token names are unique; SDK key names are not (one per service and environment), so only a
// repeated secret collides.
const alreadyExists: Record<CredentialKind, (name: string) => ConflictError> = {
  "api-token": (name) => new ConflictError("token_exists", `A token named "${name}" already exists.`, [{ path: "name", message: "is already taken" }]),
  "sdk-key": () => new ConflictError("sdk_key_exists", "That SDK key already exists.", [{ path: "secret", message: "is already registered" }]),
};

/** Issues an API token or an SDK key; the secret is in this answer only, the database keeps its hash. */
export async function createCredential<K extends CredentialKind>({
  ctx,
  kind,
  input,
  secret = generateSecret(kind),
}: {
  ctx: ServiceContext;
  kind: K;
  input: CreateCredentialInput<K>;
  /** Given only by first-run setup (RAMPART_INIT_ADMIN_TOKEN, RAMPART_INIT_SDK_KEYS). */
  secret?: string;
}): Promise<CreatedCredential<K>> {
  // Both kinds' inputs fit this shape; only a token's has a role.
  const { name, role, environment: environmentKey }: { name: string; role?: Role; environment?: string } = input;
  return ctx.db.transaction(async (tx) => {
    // An SDK key's environment is required by its schema; a token without one acts in every environment.
    const environment = environmentKey ? await requireEnvironment(tx, environmentKey, "environment") : null;
    const id = await insertCredential(tx, kind, {
      name,
      role,
      environmentId: environment?.id ?? null,
      secretHash: hashSecret(secret),
      secretPrefix: displayPrefix(secret),
      createdBy: ctx.actor.name,
    });
    if (id === undefined) throw alreadyExists[kind](name);
    const credential = await requireCredential(tx, kind, id);
    await recordAuditEvent(tx, {
      actor: ctx.actor.name,
      source: ctx.source,
      action: `${CREDENTIAL_KINDS[kind].auditPrefix}.created`,
      environmentId: environment?.id ?? null,
      after: credential,
      requestId: ctx.requestId,
    });
    return { [CREDENTIAL_KINDS[kind].one]: credential, secret } as CreatedCredential<K>;
  });
}

async function requireCredential<K extends CredentialKind>(db: Db, kind: K, id: number) {
  const credential = await findCredentialById(db, kind, id);
  if (!credential) throw new Error(`${kind} ${id} vanished inside its own transaction`);
  return credential;
}
