import { and, asc, count, eq, ne } from "drizzle-orm";
import { users } from "@/db/schema";
import type { Role } from "@/lib/auth/roles";
import type { Db } from "@/lib/db/client";
import { NotFoundError } from "@/lib/errors";

export interface UserView {
  id: string;
  email: string;
  name: string;
  role: Role;
  disabled: boolean;
  createdAt: string;
}

export function toUserView(user: typeof users.$inferSelect): UserView {
  const { id, email, name, role, disabled, createdAt } = user;
  return { id, email, name, role, disabled, createdAt: createdAt.toISOString() };
}

export async function listUsers(db: Db): Promise<UserView[]> {
  return (await db.select().from(users).orderBy(asc(users.email))).map(toUserView);
}

export async function requireUser(db: Db, id: string): Promise<typeof users.$inferSelect> {
  const [user] = await db.select().from(users).where(eq(users.id, id));
  if (!user) throw new NotFoundError("user_not_found", `There is no user "${id}".`, [{ path: "id", message: "unknown user" }]);
  return user;
}

export async function findUserByEmail(db: Db, email: string) {
  const [user] = await db.select().from(users).where(eq(users.email, email));
  return user;
}

export async function countUsers(db: Db): Promise<number> {
  const [row] = await db.select({ n: count() }).from(users);
  return row.n;
}

/**
 * Enabled admins other than this user: the ones left if this one stops being an admin.
 * Locks them, so two admins demoting each other at once cannot both succeed.
 */
export async function countOtherActiveAdmins(db: Db, userId: string): Promise<number> {
  const admins = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.role, "admin"), eq(users.disabled, false), ne(users.id, userId)))
    .for("update");
  return admins.length;
}
