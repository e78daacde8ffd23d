"use client";

import { createContext, useContext, type ReactNode } from "react";
import type { Role } from "@/lib/auth/roles";
import { roleAtLeast } from "@/lib/auth/actor";
import type { SignedInUser } from "@/lib/auth/current-user";

const SessionContext = createContext<SignedInUser | null>(null);

export function SessionProvider({ user, children }: { user: SignedInUser; children: ReactNode }) {
  return <SessionContext.Provider value={user}>{children}</SessionContext.Provider>;
}

export function useSignedInUser(): SignedInUser {
  const user = useContext(SessionContext);
  if (!user) throw new Error("useSignedInUser needs a SessionProvider");
  return user;
}

/** Whether the signed-in user may use a control; the API refuses the others either way. */
export function useCan(role: Role): boolean {
  return roleAtLeast(useSignedInUser().role, role);
}

/** Renders its children only for users with the role. */
export function RoleGate({ role, children }: { role: Role; children: ReactNode }) {
  return useCan(role) ? <>{children}</> : null;
}
