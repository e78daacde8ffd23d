import type { ServiceContext } from "@/lib/context";
import type { Db } from "@/lib/db/client";
import { recordAuditEvent } from "@/lib/audit/audit-store";
import { requireEnvironment } from "@/lib/environments/environment-store";
import { ConflictError } from "@/lib/errors";
import { findRemovalTicket, requireFlag, requireFlagState } from "@/lib/flags/flag-store";
import type { FlagRow } from "@/lib/flags/flag-view";
import { lockEnvironmentsForChange } from "@/lib/propagation/flag-changes";
import { measurePaths } from "./legacy-path";
import { readTeardown, type TeardownInput, type TeardownResult } from "./read-teardown";
import { ticketTerms } from "./teardown-facts";
import { refuseIf, zeroFallbackRefusal } from "./teardown-gates";
import { findTeardowns, saveTeardown } from "./teardown-store";

/** Stage 2: records that the legacy path read zero over the trigger window, with the counts. */
export async function confirmZeroFallback({ ctx, input }: { ctx: ServiceContext; input: TeardownInput }): Promise<TeardownResult> {
  const { key, env, reason } = input;
  const now = new Date();
  const environment = await requireEnvironment(ctx.db, env);
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
    });
    await recordAuditEvent(tx, {
      actor: ctx.actor.name,
      source: ctx.source,
      action: "teardown.zero_fallback_confirmed",
      environmentId: environment.id,
      flagId: flag.id,
      before: { stage: "ramped" },
      after: { stage: "zero_fallback_confirmed", evidence },
      reason,
      requestId: ctx.requestId,
    });
    return true;
  });
  return { teardown: await readTeardown({ db: ctx.db, key, env, now }), changed };
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
