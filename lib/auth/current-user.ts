import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { getAuth } from "./auth";
import type { Role } from "./roles";

// The Next adapter for pages: who is signed in, from the session cookie.

export interface SignedInUser {
  email: string;
  name: string;
  role: Role;
}

export async function currentUser(): Promise<SignedInUser | null> {
  const session = await (await getAuth()).api.getSession({ headers: await headers() });
  if (!session || session.user.disabled) return null;
  return { email: session.user.email, name: session.user.name, role: session.user.role as Role };
}

/** The signed-in user, or a redirect to sign-in that comes back to this page. */
export async function requireUser(): Promise<SignedInUser> {
  const user = await currentUser();
  if (!user) {
    const path = (await headers()).get("x-rampart-path");
    redirect(path && path !== "/" ? `/sign-in?next=${encodeURIComponent(path)}` : "/sign-in");
  }
  return user;
}

