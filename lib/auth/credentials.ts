import { createHash, randomBytes } from "node:crypto";

// API tokens and SDK keys are 192-bit random secrets, so a fast hash is enough to keep
// them out of a leaked database; only the hash and a short prefix for display are stored.

export type CredentialKind = "api_token" | "sdk_key";

const PREFIX: Record<CredentialKind, string> = { api_token: "rpt_", sdk_key: "rps_" };

export function generateSecret(kind: CredentialKind): string {
  return PREFIX[kind] + randomBytes(24).toString("base64url");
}

export function hashSecret(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

/** What lists show so a person can tell secrets apart without seeing them. */
export function displayPrefix(secret: string): string {
  return `${secret.slice(0, 8)}…`;
}

/** `Authorization: Bearer <secret>` → the secret; anything else → null. */
export function bearerSecret(request: Request): string | null {
  const header = request.headers.get("authorization");
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return match ? match[1] : null;
}

interface CredentialDates {
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

/** Timestamps as ISO strings, the way the API answers them. */
export function serializeDates<R extends CredentialDates>(row: R) {
  return {
    ...row,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}
