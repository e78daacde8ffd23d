import { createHash, randomBytes } from "node:crypto";
import { CREDENTIAL_KINDS, type CredentialKind } from "./kinds";

// API tokens and SDK keys are 192-bit random secrets, so a fast hash is enough to keep
// them out of a leaked database; only the hash and a short prefix for display are stored.

export function generateSecret(kind: CredentialKind): string {
  return CREDENTIAL_KINDS[kind].secretPrefix + randomBytes(24).toString("base64url");
}

export function hashSecret(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

/** What lists show so a person can tell secrets apart without seeing them. */
export function displayPrefix(secret: string): string {
  return `${secret.slice(0, 8)}…`;
}
