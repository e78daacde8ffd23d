import { hasRole } from "@/lib/auth/actor";
import type { ServiceContext } from "@/lib/context";
import type { Db } from "@/lib/db/client";
import { recordAuditEvent } from "@/lib/audit/audit-store";
import { requireEnvironment } from "@/lib/environments/environment-store";
import { ConflictError, ForbiddenError, ValidationError } from "@/lib/errors";
import { findRemovalTicket, requireFlag, requireFlagState } from "@/lib/flags/flag-store";
import type { FlagRow } from "@/lib/flags/flag-view";
import { lockEnvironmentsForChange } from "@/lib/propagation/flag-changes";
import { databaseRefusalDetails, readDatabaseGate, type DatabaseRefusal } from "./database-gate";
import { measurePaths } from "./legacy-path";
import { readTeardown, type TeardownInput, type TeardownResult } from "./read-teardown";
import { ticketTerms } from "./teardown-facts";
import { refuseIf, zeroFallbackRefusal } from "./teardown-gates";
import { findTeardowns, saveTeardown } from "./teardown-store";

/**
 * Stage 2: records that the legacy path read zero over the trigger window, with the counts, and
 * where an application database is connected that its columns agree (database-gate.ts).
 */
export async function confirmZeroFallback({ ctx, input }: { ctx: ServiceContext; input: TeardownInput & { overrideUnproven?: boolean } }): Promise<TeardownResult> {
  const { key, env, reason } = input;
  const now = new Date();
  const environment = await requireEnvironment(ctx.db, env);
  const { usage, refusal } = await readDatabaseGate(ctx.db, key, environment.key, now);
  const override = databaseOverride(ctx, input, refusal);
  const database = usage.status === "checked" ? { oldColumnReads: usage.window.reads, oldColumnWrites: usage.window.writes } : {};
  const changed = await ctx.db.transaction(async (tx) => {
    // The environment lock orders this against kills and ramps, so none can slip in between.
    await lockEnvironmentsForChange(tx, [environment.id]);
    const flag = await requireLiveFlag(tx, key);
    const state = await requireFlagState(tx, flag, environment, { forUpdate: true });
    const row = (await findTeardowns(tx, flag.id)).find((t) => t.environmentId === environment.id);
    if (row?.zeroFallbackConfirmedAt) return false;
    const { legacyZeroDays } = ticketTerms(await findRemovalTicket(tx, flag.id));
    const evidence = await measurePaths(tx, { environmentId: environment.id, flagId: flag.id, days: legacyZeroDays, now });
    refuseIf(zeroFallbackRefusal({ env: environment.key, state, evidence, days: legacyZeroDays }));

    await saveTeardown(tx, flag.id, environment.id, {
      zeroFallbackConfirmedAt: now,
      zeroFallbackConfirmedBy: ctx.actor.name,
      zeroFallbackEvidence: evidence,
      zeroFallbackOverrideBy: override?.by ?? null,
      zeroFallbackOverrideReason: override?.reason ?? null,
    });
    await recordAuditEvent(tx, {
      actor: ctx.actor.name,
      source: ctx.source,
      action: "teardown.zero_fallback_confirmed",
      environmentId: environment.id,
      flagId: flag.id,
      before: { stage: "ramped" },
      after: { stage: "zero_fallback_confirmed", evidence: { ...evidence, ...database }, ...(override ? { overrodeUnproven: override } : {}) },
      reason,
      requestId: ctx.requestId,
    });
    return true;
  });
  return { teardown: await readTeardown({ db: ctx.db, key, env, now }), changed };
}

/**
 * Null when the database lets stage 2 pass; the override when an admin let unproven evidence pass
 * with a reason. Throws the refusal otherwise: rows that differ are never overridden.
 */
function databaseOverride(ctx: ServiceContext, input: { reason?: string; overrideUnproven?: boolean }, refusal: DatabaseRefusal | null) {
  if (!refusal) return null;
  if (!refusal.unproven || !input.overrideUnproven) {
    const hint = refusal.unproven ? " An admin may confirm anyway with overrideUnproven and a reason." : "";
    throw new ConflictError(refusal.code, refusal.message + hint, databaseRefusalDetails(refusal));
  }
  if (!hasRole(ctx.actor, "admin")) throw new ForbiddenError("Only an admin may override unproven database evidence.", "forbidden", [{ path: "overrideUnproven", message: "needs the admin role" }]);
  if (!input.reason || input.reason.length < 10) {
    throw new ValidationError("override_reason", "Overriding unproven evidence needs a reason of at least 10 characters.", [{ path: "reason", message: "at least 10 characters to override" }]);
  }
  return { by: ctx.actor.name, reason: input.reason, refused: refusal.message };
}

async function requireLiveFlag(db: Db, key: string): Promise<FlagRow> {
  const flag = await requireFlag(db, key);
  if (flag.archivedAt) {
    throw new ConflictError("flag_archived", `Flag "${flag.key}" is archived; its earlier stages are closed.`, [
      { path: "key", message: "is archived" },
    ]);
  }
  return flag;
}
