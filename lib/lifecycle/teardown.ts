import { basisPointsToPercentage } from "@rampart/sdk";
import type { PathCountsEvidence, RemovalTicketStatus } from "@/db/schema";
import type { ServiceContext } from "@/lib/context";
import type { Db } from "@/lib/db/client";
import { recordAuditEvent } from "@/lib/audit/audit-store";
import { listEnvironments, requireEnvironment, type Environment } from "@/lib/environments/environment-store";
import { ConflictError } from "@/lib/errors";
import { findFlagStates, findRemovalTicket, requireFlag, requireFlagState, saveFlagArchived, saveRemovalTicket } from "@/lib/flags/flag-store";
import { toRemovalTicketView, type FlagRow, type FlagStateRow, type RemovalTicketRow } from "@/lib/flags/flag-view";
import { lockEnvironmentsForChange, notifyFlagChange } from "@/lib/propagation/flag-changes";
import { measurePaths } from "./legacy-path";
import { DEFAULT_LEGACY_ZERO_DAYS, DEFAULT_QUIET_HOURS } from "./ticket-defaults";
import {
  archiveRefusal,
  contractRefusal,
  isRamped,
  rampRefusal,
  zeroFallbackRefusal,
  type EnvironmentEvaluation,
  type Refusal,
  type TeardownStage,
} from "./teardown-gates";
import { findTeardowns, saveTeardown, type TeardownRow } from "./teardown-store";

export interface TeardownView {
  key: string;
  environment: string;
  /** How many of the four stages hold, in order: 0 while ramping, 4 once the old column is gone. */
  completed: number;
  stage: TeardownStage;
  legacyZeroDays: number;
  quietHours: number;
  ticketStatus: RemovalTicketStatus | null;
  ramped: { done: boolean; since: string | null; percentage: number; killed: boolean; blockedBy: Refusal | null };
  zeroFallback: {
    done: boolean;
    confirmedAt: string | null;
    confirmedBy: string | null;
    /** As confirmed when done; otherwise the current trigger window. */
    evidence: PathCountsEvidence;
    blockedBy: Refusal | null;
  };
  flagRemoved: {
    done: boolean;
    archivedAt: string | null;
    environments: { environment: string; lastEvaluatedAt: string | null; zeroFallbackConfirmed: boolean }[];
    /** Environments where an SDK evaluated the flag after it was archived: code that now gets its fallback. */
    evaluatedSinceArchive: string[];
    blockedBy: Refusal | null;
  };
  schemaContracted: {
    done: boolean;
    confirmedAt: string | null;
    confirmedBy: string | null;
    contraction: { table: string; oldColumn: string; newColumn: string | null } | null;
    /** Environments whose old column is not confirmed dropped yet; the ticket closes when none are left. */
    pendingEnvironments: string[];
    blockedBy: Refusal | null;
  };
  /** The last time a kill or a percentage drop took the flag off 100% after it was ramped. */
  movedBack: { at: string; from: TeardownStage; action: string; by: string } | null;
}

export interface TeardownAction {
  ctx: ServiceContext;
  key: string;
  /** The environment acted in; archiving acts in all of them and answers with this one's view. */
  env: string;
  reason?: string;
  now?: Date;
}

export interface TeardownResult {
  teardown: TeardownView;
  changed: boolean;
}

const STAGES: TeardownStage[] = ["ramping", "ramped", "zero_fallback_confirmed", "flag_removed", "schema_contracted"];

/** Where one flag stands in its teardown in one environment, with the evidence for every gate. */
export async function readTeardown({ db, key, env, now = new Date() }: { db: Db; key: string; env: string; now?: Date }): Promise<TeardownView> {
  const environment = await requireEnvironment(db, env);
  const flag = await requireFlag(db, key);
  const facts = await gatherFacts(db, flag);
  const state = facts.states.find((s) => s.environmentId === environment.id) ?? (await requireFlagState(db, flag, environment));
  const row = facts.teardowns.get(environment.id);
  const ticket = ticketTerms(facts.ticket);
  const evidence =
    row?.zeroFallbackConfirmedAt && row.zeroFallbackEvidence
      ? row.zeroFallbackEvidence
      : await measurePaths(db, { environmentId: environment.id, flagId: flag.id, days: ticket.legacyZeroDays, now });
  const archived = flag.archivedAt !== null;
  const rampedState = { percentageBp: state.percentageBp, killed: state.killed };

  // Archiving proved stages 1 and 2 wherever the flag was evaluated; elsewhere there was nothing to prove.
  const done = [
    archived || isRamped(rampedState),
    archived || row?.zeroFallbackConfirmedAt != null,
    archived,
    row?.schemaContractedAt != null,
  ];
  const completed = done.findIndex((d) => !d) === -1 ? 4 : done.findIndex((d) => !d);
  return {
    key: flag.key,
    environment: environment.key,
    completed,
    stage: STAGES[completed],
    legacyZeroDays: ticket.legacyZeroDays,
    quietHours: ticket.quietHours,
    ticketStatus: facts.ticket?.status ?? null,
    ramped: {
      done: done[0],
      since: row?.rampedAt?.toISOString() ?? null,
      percentage: basisPointsToPercentage(state.percentageBp),
      killed: state.killed,
      blockedBy: archived ? null : rampRefusal(environment.key, rampedState),
    },
    zeroFallback: {
      done: done[1],
      confirmedAt: row?.zeroFallbackConfirmedAt?.toISOString() ?? null,
      confirmedBy: row?.zeroFallbackConfirmedBy ?? null,
      evidence,
      blockedBy: done[1] || archived ? null : zeroFallbackRefusal({ env: environment.key, state: rampedState, evidence, days: ticket.legacyZeroDays }),
    },
    flagRemoved: {
      done: archived,
      archivedAt: flag.archivedAt?.toISOString() ?? null,
      environments: facts.evaluations.map((e) => ({
        environment: e.environment,
        lastEvaluatedAt: e.lastEvaluatedAt?.toISOString() ?? null,
        zeroFallbackConfirmed: e.zeroFallbackConfirmed,
      })),
      evaluatedSinceArchive: facts.evaluations
        .filter((e) => flag.archivedAt && e.lastEvaluatedAt && e.lastEvaluatedAt > flag.archivedAt)
        .map((e) => e.environment),
      blockedBy: archived ? null : archiveRefusal({ environments: facts.evaluations, quietHours: ticket.quietHours, now }),
    },
    schemaContracted: {
      done: done[3],
      confirmedAt: row?.schemaContractedAt?.toISOString() ?? null,
      confirmedBy: row?.schemaContractedBy ?? null,
      contraction: contractionOf(facts.ticket),
      pendingEnvironments: facts.environments
        .filter((e) => !facts.teardowns.get(e.id)?.schemaContractedAt)
        .map((e) => e.key),
      blockedBy: done[3] ? null : contractRefusal({ archived }),
    },
    movedBack:
      row?.movedBackAt && row.movedBackFrom && row.movedBackAction && row.movedBackBy
        ? { at: row.movedBackAt.toISOString(), from: row.movedBackFrom as TeardownStage, action: row.movedBackAction, by: row.movedBackBy }
        : null,
  };
}

/** Stage 2: records that the legacy path read zero over the trigger window, with the counts. */
export async function confirmZeroFallback({ ctx, key, env, reason, now = new Date() }: TeardownAction): Promise<TeardownResult> {
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

/**
 * Stage 3: takes the flag out of the flag service. Every environment's state moves in the
 * change stream so SDKs drop it; the ticket moves to flag_removed. Idempotent.
 */
export async function archiveFlag({ ctx, key, env, reason, now = new Date() }: TeardownAction): Promise<TeardownResult> {
  const changed = await ctx.db.transaction(async (tx) => {
    const environments = await listEnvironments(tx);
    await lockEnvironmentsForChange(tx, environments.map((e) => e.id));
    const flag = await requireFlag(tx, key);
    if (flag.archivedAt) return false;
    const facts = await gatherFacts(tx, flag);
    refuseIf(archiveRefusal({ environments: facts.evaluations, quietHours: ticketTerms(facts.ticket).quietHours, now }));

    await saveFlagArchived(tx, flag.id, now);
    if (facts.ticket?.status === "open") await saveRemovalTicket(tx, facts.ticket.id, { status: "flag_removed", updatedAt: now });
    await recordAuditEvent(tx, {
      actor: ctx.actor.name,
      source: ctx.source,
      action: "flag.archived",
      flagId: flag.id,
      before: { archivedAt: null, ticketStatus: facts.ticket?.status ?? null },
      after: {
        archivedAt: now.toISOString(),
        ticketStatus: facts.ticket ? "flag_removed" : null,
        lastEvaluated: Object.fromEntries(facts.evaluations.map((e) => [e.environment, e.lastEvaluatedAt?.toISOString() ?? null])),
      },
      reason,
      requestId: ctx.requestId,
    });
    for (const environment of environments) await notifyFlagChange(tx, environment.key);
    return true;
  });
  return { teardown: await readTeardown({ db: ctx.db, key, env, now }), changed };
}

/** Stage 4: an operator confirms the old column is dropped here; the ticket closes once it is gone everywhere. */
export async function confirmSchemaContracted({ ctx, key, env, reason, now = new Date() }: TeardownAction): Promise<TeardownResult> {
  const environment = await requireEnvironment(ctx.db, env);
  const changed = await ctx.db.transaction(async (tx) => {
    const flag = await requireFlag(tx, key);
    // Locked so two environments confirmed at once cannot both miss closing the ticket.
    const ticket = await findRemovalTicket(tx, flag.id, { forUpdate: true });
    refuseIf(contractRefusal({ archived: flag.archivedAt !== null }));
    const teardowns = await findTeardowns(tx, flag.id);
    if (teardowns.find((t) => t.environmentId === environment.id)?.schemaContractedAt) return false;

    await saveTeardown(tx, flag.id, environment.id, { schemaContractedAt: now, schemaContractedBy: ctx.actor.name });
    const contracted = new Set([environment.id, ...teardowns.filter((t) => t.schemaContractedAt).map((t) => t.environmentId)]);
    const everywhere = (await listEnvironments(tx)).every((e) => contracted.has(e.id));
    const ticketStatus = ticket && everywhere ? "done" : (ticket?.status ?? null);
    if (ticket && ticketStatus !== ticket.status) {
      await saveRemovalTicket(tx, ticket.id, { status: "done", updatedAt: now });
    }
    await recordAuditEvent(tx, {
      actor: ctx.actor.name,
      source: ctx.source,
      action: "teardown.schema_contracted",
      environmentId: environment.id,
      flagId: flag.id,
      before: { stage: "flag_removed", ticketStatus: ticket?.status ?? null },
      after: { stage: "schema_contracted", contraction: contractionOf(ticket), ticketStatus },
      reason,
      requestId: ctx.requestId,
    });
    return true;
  });
  return { teardown: await readTeardown({ db: ctx.db, key, env, now }), changed };
}

/**
 * Called by every flag-state change, in its transaction: reaching 100% starts the ramp's
 * hold; a kill or a drop after that undoes stages 1 and 2 and says so in the audit log.
 */
export async function followRamp(
  tx: Db,
  ctx: ServiceContext,
  change: { flagId: number; environmentId: number; before: FlagStateRow; after: FlagStateRow; action: string; reason?: string; now: Date },
): Promise<void> {
  const wasRamped = isRamped(change.before);
  if (wasRamped === isRamped(change.after)) return;
  if (!wasRamped) {
    await saveTeardown(tx, change.flagId, change.environmentId, { rampedAt: change.now });
    return;
  }
  const row = (await findTeardowns(tx, change.flagId)).find((t) => t.environmentId === change.environmentId);
  const from: TeardownStage = row?.zeroFallbackConfirmedAt ? "zero_fallback_confirmed" : "ramped";
  await saveTeardown(tx, change.flagId, change.environmentId, {
    rampedAt: null,
    zeroFallbackConfirmedAt: null,
    zeroFallbackConfirmedBy: null,
    zeroFallbackEvidence: null,
    movedBackAt: change.now,
    movedBackFrom: from,
    movedBackBy: ctx.actor.name,
    movedBackAction: change.action,
  });
  await recordAuditEvent(tx, {
    actor: ctx.actor.name,
    source: ctx.source,
    action: "teardown.moved_back",
    environmentId: change.environmentId,
    flagId: change.flagId,
    before: { stage: from },
    after: { stage: "ramping", percentage: basisPointsToPercentage(change.after.percentageBp), killed: change.after.killed, by: change.action },
    reason: change.reason,
    requestId: ctx.requestId,
  });
}

interface TeardownFacts {
  environments: Environment[];
  states: FlagStateRow[];
  teardowns: Map<number, TeardownRow>;
  ticket: RemovalTicketRow | undefined;
  evaluations: EnvironmentEvaluation[];
}

async function gatherFacts(db: Db, flag: FlagRow): Promise<TeardownFacts> {
  const [environments, states, teardowns, ticket] = await Promise.all([
    listEnvironments(db),
    findFlagStates(db, flag.id),
    findTeardowns(db, flag.id),
    findRemovalTicket(db, flag.id),
  ]);
  const byEnvironment = new Map(teardowns.map((t) => [t.environmentId, t]));
  const evaluations = environments.map((environment) => ({
    environment: environment.key,
    lastEvaluatedAt: states.find((s) => s.environmentId === environment.id)?.lastEvaluatedAt ?? null,
    zeroFallbackConfirmed: byEnvironment.get(environment.id)?.zeroFallbackConfirmedAt != null,
  }));
  return { environments, states, teardowns: byEnvironment, ticket, evaluations };
}

function ticketTerms(ticket: RemovalTicketRow | undefined) {
  return {
    legacyZeroDays: ticket?.legacyZeroDays ?? DEFAULT_LEGACY_ZERO_DAYS,
    quietHours: ticket?.quietHours ?? DEFAULT_QUIET_HOURS,
  };
}

function contractionOf(ticket: RemovalTicketRow | undefined) {
  return ticket ? toRemovalTicketView(ticket).contraction : null;
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

function refuseIf(refusal: Refusal | null): void {
  if (refusal) throw new ConflictError(refusal.code, refusal.message, refusal.details);
}
