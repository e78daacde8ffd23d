import type { Role } from "@/db/schema";

/** Query keys for the settings pages; mutations invalidate through these, never ad-hoc arrays. */
export const adminQueries = {
  all: () => ["admin"] as const,
  users: () => ["admin", "users"] as const,
  apiTokens: () => ["admin", "api-tokens"] as const,
  sdkKeys: () => ["admin", "sdk-keys"] as const,
};

// Mirrors `roles` in db/schema, which a client bundle should not import for one array.
export const ROLE_OPTIONS: readonly Role[] = ["viewer", "operator", "admin"];

/** A role select's value; anything unexpected falls to the least privilege. */
export function toRole(value: string): Role {
  return ROLE_OPTIONS.find((role) => role === value) ?? "viewer";
}
