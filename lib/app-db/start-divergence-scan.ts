import type { ServiceContext } from "@/lib/context";
import { recordAuditEvent } from "@/lib/audit/audit-store";
import { requireEnvironment } from "@/lib/environments/environment-store";
import { ConflictError } from "@/lib/errors";
import { findRemovalTicket, requireFlag } from "@/lib/flags/flag-store";
import { findAppDatabaseForEnvironment } from "./app-database-store";
import { claimDivergenceScan, runDivergenceScan, type DivergenceScanRow } from "./divergence-scan";

/**
 * Starts the divergent-rows scan of the flag's contraction in `env` and answers at once; the scan
 * runs on in this instance and its progress shows in the database evidence. One at a time per columns.
 */
export async function startDivergenceScan({ ctx, key, env }: { ctx: ServiceContext; key: string; env: string }): Promise<DivergenceScanRow> {
  const environment = await requireEnvironment(ctx.db, env);
  const flag = await requireFlag(ctx.db, key);
  const appDatabase = await findAppDatabaseForEnvironment(ctx.db, environment.id);
  if (!appDatabase) throw new ConflictError("no_app_database", `No application database is connected for ${environment.key}.`, [{ path: "env", message: "has no application database" }]);
  const ticket = await findRemovalTicket(ctx.db, flag.id);
  if (!ticket?.contractionTable || !ticket.contractionOldColumn || !ticket.contractionNewColumn) {
    throw new ConflictError("no_contraction", `The removal ticket of "${flag.key}" names no table with an old and a new column to compare.`, [
      { path: "contraction", message: "needs table, oldColumn and newColumn" },
    ]);
  }
  const target = { table: ticket.contractionTable, oldColumn: ticket.contractionOldColumn, newColumn: ticket.contractionNewColumn };
  const scan = await ctx.db.transaction(async (tx) => {
    const claimed = await claimDivergenceScan(tx, environment.id, target, ctx.actor.name);
    if (!claimed) throw new ConflictError("scan_in_progress", `A scan of ${target.table}.${target.oldColumn} against ${target.newColumn} is already running in ${environment.key}.`, [{ path: "env", message: "a scan is running" }]);
    await recordAuditEvent(tx, {
      actor: ctx.actor.name,
      source: ctx.source,
      action: "evidence.divergence_scan_started",
      environmentId: environment.id,
      flagId: flag.id,
      after: target,
      requestId: ctx.requestId,
    });
    return claimed;
  });
  void runDivergenceScan(ctx.db, appDatabase, target, { startedBy: ctx.actor.name, pauseMs: 50 }).catch((error: unknown) => console.error("[rampart] evidence: a divergent-rows scan failed", error));
  return scan;
}
