import { z } from "zod";
import { environments, flagStates, flags } from "@/db/schema";
import { recordAuditEvent } from "@/lib/audit/audit-store";
import type { ServiceContext } from "@/lib/context";
import { ConflictError } from "@/lib/errors";
import { environmentKeySchema } from "./schemas";

export const createEnvironmentInputSchema = z.strictObject({
  key: environmentKeySchema,
  name: z.string().trim().min(1).max(100),
});
export type CreateEnvironmentInput = z.infer<typeof createEnvironmentInputSchema>;

/** Adds an environment; every existing flag starts there off, at 0%. */
export async function createEnvironment({ ctx, input }: { ctx: ServiceContext; input: CreateEnvironmentInput }) {
  return ctx.db.transaction(async (tx) => {
    const [environment] = await tx.insert(environments).values(input).onConflictDoNothing().returning();
    if (!environment) {
      throw new ConflictError("environment_exists", `An environment "${input.key}" already exists.`, [
        { path: "key", message: "is already taken" },
      ]);
    }
    const existing = await tx.select({ id: flags.id }).from(flags);
    if (existing.length > 0) {
      await tx
        .insert(flagStates)
        .values(existing.map((flag) => ({ flagId: flag.id, environmentId: environment.id, updatedBy: ctx.actor.name })));
    }
    const view = { key: environment.key, name: environment.name };
    await recordAuditEvent(tx, {
      actor: ctx.actor.name,
      source: ctx.source,
      action: "environment.created",
      environmentId: environment.id,
      after: view,
      requestId: ctx.requestId,
    });
    return { environment: view };
  });
}
