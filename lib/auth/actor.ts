import type { Role } from "./roles";

export type { Role };

const roleRank: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

/** Whoever performs an action; its name is what audit events record. */
export interface Actor {
  kind: "user" | "token" | "sdk" | "controller";
  name: string;
  /** SDK keys carry no role: they reach only the SDK endpoints. */
  role: Role | null;
  /** The one environment a token or SDK key is limited to; null for every environment. */
  environment: string | null;
  /** A token's or SDK key's own id, so what it opened (an SDK stream) can end when it is revoked. */
  credentialId?: number;
}

export function roleAtLeast(role: Role | null, required: Role): boolean {
  return role !== null && roleRank[role] >= roleRank[required];
}

export function hasRole(actor: Actor, required: Role): boolean {
  return roleAtLeast(actor.role, required);
}

/** `environment` null means the request acts across every environment. */
export function canActIn(actor: Actor, environment: string | null): boolean {
  return actor.environment === null || actor.environment === environment;
}
