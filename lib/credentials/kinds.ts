// API tokens and SDK keys are one thing in two kinds: a named secret, shown once, stored as a
// hash, revocable. A token acts with a role in one environment or all of them; an SDK key only
// reads and reports for its one environment. Plain data, so client components may import it.

export type CredentialKind = "api-token" | "sdk-key";

interface CredentialKindSpec {
  /** What a generated secret starts with, so authentication knows which kind to look up first. */
  secretPrefix: string;
  /** Audit actions are `<auditPrefix>.created` and `<auditPrefix>.revoked`. */
  auditPrefix: string;
  /** Where the API lists, creates (POST) and revokes (`<path>/<id>/revoke`) this kind. */
  path: string;
  /** The names API bodies give one credential (`{ token, secret }`) and a list (`{ tokens }`). */
  one: string;
  many: string;
}

export const CREDENTIAL_KINDS = {
  "api-token": { secretPrefix: "rpt_", auditPrefix: "api_token", path: "/api/tokens", one: "token", many: "tokens" },
  "sdk-key": { secretPrefix: "rps_", auditPrefix: "sdk_key", path: "/api/sdk-keys", one: "sdkKey", many: "sdkKeys" },
} as const satisfies Record<CredentialKind, CredentialKindSpec>;

/** A body naming one credential of kind K the way the API does: `{ token: … }` or `{ sdkKey: … }`. */
export type NamedCredential<K extends CredentialKind, V> = { [F in (typeof CREDENTIAL_KINDS)[K]["one"]]: V };
