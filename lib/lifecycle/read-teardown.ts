import { findAppDatabaseForEnvironment } from "@/lib/app-db/app-database-store";
import { contractionSteps, type ContractionStep } from "@/lib/app-db/contraction-sql";
import { basisPointsToPercentage } from "@rampart/sdk";
import type { PathCountsEvidence } from "./path-counts-evidence";
import type { RemovalTicketStatus } from "./removal-ticket-status";
import type { Db } from "@/lib/db/client";
import { requireEnvironment } from "@/lib/environments/environment-store";
import { requireFlag, requireFlagState } from "@/lib/flags/flag-store";
import { databaseRefusalDetails, readDatabaseGate } from "./database-gate";
import { measurePaths } from "./legacy-path";
import { contractionOf, gatherFacts, ticketTerms } from "./teardown-facts";
import { archiveRefusal, contractRefusal, isRamped, rampRefusal, zeroFallbackRefusal, type Refusal, type TeardownStage } from "./teardown-gates";

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
    /** An admin let unproven application-database evidence pass: who and why. */
    override: { by: string; reason: string } | null;
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
    /** True when Rampart saw the old column gone in the application database; false when a person's word; null before. */
    verified: boolean | null;
    contraction: { table: string; oldColumn: string; newColumn: string | null; newIndex: string | null } | null;
    /** The statements to run in this environment, in order (the Database panel knows NOT NULL from the live columns). */
    statements: ContractionStep[];
    /** Environments whose old column is not confirmed dropped yet; the ticket closes when none are left. */
    pendingEnvironments: string[];
    blockedBy: Refusal | null;
  };
  /** The last time a kill or a percentage drop took the flag off 100% after it was ramped. */
  movedBack: { at: string; from: TeardownStage; action: string; by: string } | null;
}

/** What every teardown action takes. */
export interface TeardownInput {
  key: string;
  /** The environment acted in; archiving acts in all of them and answers with this one's view. */
  env: string;
  reason?: string;
}

/** What every teardown action answers: the view after it, and whether it wrote anything. */
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
  const contraction = contractionOf(facts.ticket);
  const appDbKind = (await findAppDatabaseForEnvironment(db, environment.id))?.kind ?? null;
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
      override: row?.zeroFallbackOverrideBy ? { by: row.zeroFallbackOverrideBy, reason: row.zeroFallbackOverrideReason ?? "" } : null,
      blockedBy: done[1] || archived ? null : (zeroFallbackRefusal({ env: environment.key, state: rampedState, evidence, days: ticket.legacyZeroDays }) ?? (appDbKind ? await databaseBlock(db, flag.key, environment.key, now) : null)),
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
      verified: row?.schemaContractedAt ? (row.schemaContractedVerified ?? false) : null,
      contraction,
      statements: contraction ? contractionSteps(appDbKind, contraction, null) : [],
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

/**
 * Rows that differ, or an old column still read, shut stage 2 outright, so its button says so
 * before anyone presses it. Unproven evidence is left to the confirm, where an admin may override it.
 */
async function databaseBlock(db: Db, key: string, env: string, now: Date): Promise<Refusal | null> {
  const { refusal } = await readDatabaseGate(db, key, env, now);
  return refusal && !refusal.unproven ? { code: refusal.code, message: refusal.message, details: databaseRefusalDetails(refusal) } : null;
}
