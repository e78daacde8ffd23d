import { isDeepStrictEqual } from "node:util";
import { and, eq, sql } from "drizzle-orm";
import { flagStates } from "@/db/schema";
import type { ServiceContext } from "@/lib/context";
import type { Db } from "@/lib/db/client";
import { recordAuditEvent } from "@/lib/audit/audit-store";
import { requireEnvironment } from "@/lib/environments/environment-store";
import { ConflictError } from "@/lib/errors";
import { lockEnvironmentsForChange, nextChangeSeq, notifyFlagChange } from "@/lib/propagation/flag-changes";
import { requireFlag, requireFlagState } from "./flag-store";
import { toFlagStateView, type FlagStateRow, type FlagStateView } from "./flag-view";

export type FlagStateChange = Partial<
  Pick<
    FlagStateRow,
    "defaultValue" | "percentageBp" | "rolloutBy" | "contexts" | "targets" | "targetsSince" | "killed" | "percentageBeforeKillBp"
  >
>;

export interface ChangeFlagStateRequest {
  key: string;
  env: string;
  action: string;
  reason?: string;
  /** The version the caller last saw (If-Match); a different current version answers 409. */
  expectedVersion?: number;
  /** Returns the columns to change, or null when the request changes nothing; `now` is the change's time. */
  decide: (current: FlagStateRow, now: Date) => FlagStateChange | null;
}

export interface FlagStateResult {
  key: string;
  environment: string;
  state: FlagStateView;
  changed: boolean;
}

/** What a flag-state change tells the hooks that follow it. */
export interface FlagStateChanged {
  flagId: number;
  environmentId: number;
  before: FlagStateRow;
  after: FlagStateRow;
  action: string;
  reason?: string;
  now: Date;
}

export type FlagStateHook = (tx: Db, ctx: ServiceContext, change: FlagStateChanged) => Promise<void>;

const hooks = new Map<string, FlagStateHook>();

/**
 * Runs `hook` inside every flag-state change's transaction, after its audit event, so what it
 * writes commits or rolls back with the change. Named, so registering twice runs it once.
 */
export function onFlagStateChange(name: string, hook: FlagStateHook): void {
  hooks.set(name, hook);
}

/**
 * The one way a flag's state changes: lock the row, check the version, apply the change,
 * bump the version and write the audit event, all in one transaction. A no-op writes nothing.
 */
export async function changeFlagState(ctx: ServiceContext, request: ChangeFlagStateRequest): Promise<FlagStateResult> {
  const environment = await requireEnvironment(ctx.db, request.env);

  return ctx.db.transaction(async (tx) => {
    await lockEnvironmentsForChange(tx, [environment.id]);
    const flag = await requireFlag(tx, request.key);
    if (flag.archivedAt) {
      throw new ConflictError("flag_archived", `Flag "${flag.key}" is archived; its state can no longer change.`, [
        { path: "key", message: "is archived" },
      ]);
    }
    const current = await requireFlagState(tx, flag, environment, { forUpdate: true });
    if (request.expectedVersion !== undefined && request.expectedVersion !== current.version) {
      throw new ConflictError(
        "version_conflict",
        `Flag "${flag.key}" in ${environment.key} is at version ${current.version}, not ${request.expectedVersion}. Reload and try again.`,
        [{ path: "If-Match", message: `current version is ${current.version}` }],
      );
    }

    const now = new Date();
    const change = request.decide(current, now);
    if (!change || !differs(current, change)) {
      return { key: flag.key, environment: environment.key, state: toFlagStateView(current), changed: false };
    }

    // Target edits are scaffolding: what the flag serves everyone else has not changed.
    const servesDifferently = Object.keys(change).some((field) => field !== "targets" && field !== "targetsSince");
    const [next] = await tx
      .update(flagStates)
      .set({
        ...change,
        ...(servesDifferently ? { servedSince: now } : {}),
        version: sql`${flagStates.version} + 1`,
        changeSeq: nextChangeSeq,
        updatedAt: now,
        updatedBy: ctx.actor.name,
      })
      .where(and(eq(flagStates.flagId, flag.id), eq(flagStates.environmentId, environment.id)))
      .returning();
    const before = toFlagStateView(current);
    const after = toFlagStateView(next);
    await recordAuditEvent(tx, {
      actor: ctx.actor.name,
      source: ctx.source,
      action: request.action,
      environmentId: environment.id,
      flagId: flag.id,
      before,
      after,
      reason: request.reason,
      requestId: ctx.requestId,
    });
    const changed: FlagStateChanged = {
      flagId: flag.id,
      environmentId: environment.id,
      before: current,
      after: next,
      action: request.action,
      reason: request.reason,
      now,
    };
    for (const hook of hooks.values()) await hook(tx, ctx, changed);
    await notifyFlagChange(tx, environment.key);
    return { key: flag.key, environment: environment.key, state: after, changed: true };
  });
}

// Structural, not JSON text: jsonb hands objects back with its own key order.
function differs(current: FlagStateRow, change: FlagStateChange): boolean {
  return (Object.keys(change) as (keyof FlagStateChange)[]).some((column) => !isDeepStrictEqual(current[column], change[column]));
}
