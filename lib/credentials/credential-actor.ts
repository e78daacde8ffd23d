import type { Actor } from "@/lib/auth/actor";
import type { Db } from "@/lib/db/client";
import { findLiveCredentialByHash, touchCredential, type CredentialView } from "./credential-store";
import { CREDENTIAL_KINDS, type CredentialKind } from "./kinds";
import { rememberedSdkKey, rememberSdkKey } from "./sdk-key-cache";
import { hashSecret } from "./secrets";

const actorOf: { [K in CredentialKind]: (credential: CredentialView<K>) => Actor } = {
  "api-token": (token) => ({ kind: "token", name: `token:${token.name}`, role: token.role, environment: token.environment, credentialId: token.id }),
  "sdk-key": (sdkKey) => ({ kind: "sdk", name: `sdk-key:${sdkKey.name}`, role: null, environment: sdkKey.environment, credentialId: sdkKey.id }),
};

/** Who a bearer secret acts as: a live API token or SDK key; null when it is neither. */
export async function findCredentialActor(db: Db, secret: string): Promise<Actor | null> {
  const secretHash = hashSecret(secret);
  // SDK keys start rps_: look there first, so each of a fleet's batches and streams costs one
  // lookup. Secrets registered at first run may lack the prefix, hence the fallback both ways.
  const kinds: CredentialKind[] = secret.startsWith(CREDENTIAL_KINDS["sdk-key"].secretPrefix) ? ["sdk-key", "api-token"] : ["api-token", "sdk-key"];
  for (const kind of kinds) {
    const actor = kind === "sdk-key" ? await findSdkKeyActor(db, secretHash) : await findActor(db, kind, secretHash);
    if (actor) return actor;
  }
  return null;
}

async function findSdkKeyActor(db: Db, secretHash: string): Promise<Actor | null> {
  const known = rememberedSdkKey(secretHash);
  if (known) return known;
  const actor = await findActor(db, "sdk-key", secretHash);
  if (actor) rememberSdkKey(secretHash, actor);
  return actor;
}

async function findActor<K extends CredentialKind>(db: Db, kind: K, secretHash: string): Promise<Actor | null> {
  const credential = await findLiveCredentialByHash(db, kind, secretHash);
  if (!credential) return null;
  if (isStale(credential.lastUsedAt)) await touchCredential(db, kind, credential.id);
  return actorOf[kind](credential);
}

/** Last-used is kept to the minute; a fresher one needs no write. */
function isStale(lastUsedAt: string | null): boolean {
  return lastUsedAt === null || Date.now() - Date.parse(lastUsedAt) > 60_000;
}
