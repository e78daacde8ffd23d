import { roles, type Role } from "@/lib/auth/roles";

/** Query keys for the settings pages; mutations invalidate through these, never ad-hoc arrays. */
export const adminQueries = {
  all: () => ["admin"] as const,
  users: () => ["admin", "users"] as const,
  apiTokens: () => ["admin", "api-tokens"] as const,
  sdkKeys: () => ["admin", "sdk-keys"] as const,
  appDatabases: () => ["admin", "app-databases"] as const,
  environments: () => ["admin", "environments"] as const,
  notificationDestinations: () => ["admin", "notification-destinations"] as const,
  deliveries: (destinationId: number) => ["admin", "notification-destinations", destinationId, "deliveries"] as const,
};

/** A role select's value; anything unexpected falls to the least privilege. */
export function toRole(value: string): Role {
  return roles.find((role) => role === value) ?? "viewer";
}
