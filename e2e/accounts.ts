import path from "node:path";
import type { Role } from "@/lib/auth/roles";

// The e2e server registers this admin token at start-up (RAMPART_INIT_ADMIN_TOKEN);
// auth.setup.ts uses it to create one user per role and saves each one's session.
export const E2E_ADMIN_TOKEN = "rpt_e2e-admin-token-0123456789abcdef";

export const e2eUsers: Record<Role, { email: string; password: string }> = {
  viewer: { email: "e2e-viewer@rampart.test", password: "viewer-password-1" },
  operator: { email: "e2e-operator@rampart.test", password: "operator-password-1" },
  admin: { email: "e2e-admin@rampart.test", password: "admin-password-1" },
};

export function storageStateFor(role: Role): string {
  return path.join(import.meta.dirname, "..", "test-results", ".auth", `${role}.json`);
}
