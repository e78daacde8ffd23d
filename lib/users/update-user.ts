import { eq } from "drizzle-orm";
import { sessions, users } from "@/db/schema";
import { recordAuditEvent } from "@/lib/audit/audit-store";
import type { ServiceContext } from "@/lib/context";
import { ConflictError } from "@/lib/errors";
import type { UpdateUserInput } from "./schemas";
import { countOtherActiveAdmins, requireUser, toUserView } from "./user-store";

/** Changes a user's role or disables them; disabling ends their sessions in the same transaction. */
export async function updateUser({ ctx, input }: { ctx: ServiceContext; input: UpdateUserInput & { id: string } }) {
  return ctx.db.transaction(async (tx) => {
    const current = await requireUser(tx, input.id);
    const role = input.role ?? current.role;
    const disabled = input.disabled ?? current.disabled;
    const before = toUserView(current);
    if (role === current.role && disabled === current.disabled) return { user: before, changed: false };

    const staysActiveAdmin = role === "admin" && !disabled;
    if (current.role === "admin" && !current.disabled && !staysActiveAdmin && (await countOtherActiveAdmins(tx, current.id)) === 0) {
      throw new ConflictError("last_admin", "This is the last enabled admin; make someone else an admin first.", [
        { path: input.role !== undefined ? "role" : "disabled", message: "would leave Rampart without an admin" },
      ]);
    }

    const [updated] = await tx.update(users).set({ role, disabled, updatedAt: new Date() }).where(eq(users.id, current.id)).returning();
    if (disabled) await tx.delete(sessions).where(eq(sessions.userId, current.id));
    const after = toUserView(updated);
    await recordAuditEvent(tx, {
      actor: ctx.actor.name,
      source: ctx.source,
      action: "user.updated",
      before,
      after,
      requestId: ctx.requestId,
    });
    return { user: after, changed: true };
  });
}
