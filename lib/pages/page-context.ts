import type { SignedInUser } from "@/lib/auth/current-user";
import type { ServiceContext } from "@/lib/context";
import type { Db } from "@/lib/db/client";

/** A service context for a page's reads: the signed-in user acts, from the UI, as lib/http/authenticate.ts makes it. */
export function pageContext({ db, user }: { db: Db; user: SignedInUser }): ServiceContext {
  return { db, actor: { kind: "user", name: user.email, role: user.role, environment: null }, source: "ui" };
}
