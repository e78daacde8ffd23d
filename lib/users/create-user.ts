import { randomBytes, randomUUID } from "node:crypto";
import { hashPassword } from "better-auth/crypto";
import { accounts, users } from "@/db/schema";
import { recordAuditEvent } from "@/lib/audit/audit-store";
import type { ServiceContext } from "@/lib/context";
import { ConflictError } from "@/lib/errors";
import type { CreateUserInput } from "./schemas";
import { toUserView, type UserView } from "./user-store";

/**
 * Creates a user who signs in with email and password. The password is hashed by
 * better-auth's own hasher, so its sign-in accepts it; a generated one is answered once.
 */
export async function createUser({ ctx, input }: { ctx: ServiceContext; input: CreateUserInput }) {
  const password = input.password ?? randomBytes(12).toString("base64url");
  const passwordHash = await hashPassword(password);

  return ctx.db.transaction(async (tx) => {
    const id = randomUUID();
    const [user] = await tx
      .insert(users)
      .values({ id, email: input.email, name: input.name ?? input.email.split("@")[0], role: input.role })
      .onConflictDoNothing({ target: users.email })
      .returning();
    if (!user) {
      throw new ConflictError("user_exists", `A user with email ${input.email} already exists.`, [
        { path: "email", message: "is already taken" },
      ]);
    }
    await tx.insert(accounts).values({ id: randomUUID(), accountId: id, providerId: "credential", userId: id, password: passwordHash });
    const view: UserView = toUserView(user);
    await recordAuditEvent(tx, {
      actor: ctx.actor.name,
      source: ctx.source,
      action: "user.created",
      after: view,
      requestId: ctx.requestId,
    });
    return { user: view, initialPassword: input.password ? null : password };
  });
}
