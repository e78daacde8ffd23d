export type Role = "viewer" | "operator" | "admin";

const roleRank: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

/** Whoever performs an action; its name is what audit events record. */
export interface Actor {
  kind: "anonymous" | "user" | "token" | "controller";
  name: string;
  role: Role;
}

export function hasRole(actor: Actor, required: Role): boolean {
  return roleRank[actor.role] >= roleRank[required];
}

/** Until sign-in lands (issue 3) every caller acts as this admin-level anonymous actor. */
export const anonymousActor: Actor = { kind: "anonymous", name: "anonymous", role: "admin" };
