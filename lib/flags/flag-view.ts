import type { FlagState, FlagTarget } from "@rampart/sdk";
import { basisPointsToPercentage } from "@rampart/sdk";
import type { flagStates, flags, removalTickets } from "@/db/schema";

export type FlagRow = typeof flags.$inferSelect;
export type FlagStateRow = typeof flagStates.$inferSelect;
export type RemovalTicketRow = typeof removalTickets.$inferSelect;

/** What the API answers for a flag's state: the SDK's view plus who changed it and when. */
export interface FlagStateView extends Omit<FlagState, "key" | "targets"> {
  /** Values of an attribute forced on or off (test tenants), sorted by attribute, the true rule first. */
  targets: FlagTarget[];
  /** When the targets went from none to some; null while there are none. */
  targetsSince: string | null;
  /** The targets were set before the ramp began and are still there: a reminder to remove them. */
  targetsOutlivedRamp: boolean;
  /** The percentage restore brings back; set only while killed. */
  percentageBeforeKill: number | null;
  updatedAt: string;
  updatedBy: string;
}

export interface FlagView {
  key: string;
  name: string;
  description: string;
  owner: string;
  createdAt: string;
  archivedAt: string | null;
}

export interface RemovalTicketView {
  owner: string;
  /** The trigger, as data: legacy-path requests must be zero over this many days. */
  legacyZeroDays: number;
  /** Hours without any SDK evaluation before the flag may be archived. */
  quietHours: number;
  /** Days a constant served value may last before the flag is stale; null is the default. */
  staleAfterDays: number | null;
  dueDate: string;
  contraction: { table: string; oldColumn: string; newColumn: string | null; newIndex: string | null } | null;
  status: RemovalTicketRow["status"];
  link: string | null;
  createdAt: string;
  updatedAt: string;
}

export function toFlagView(row: FlagRow): FlagView {
  return {
    key: row.key,
    name: row.name,
    description: row.description,
    owner: row.owner,
    createdAt: row.createdAt.toISOString(),
    archivedAt: row.archivedAt?.toISOString() ?? null,
  };
}

export function toFlagStateView(row: FlagStateRow): FlagStateView {
  return {
    default: row.defaultValue,
    percentage: basisPointsToPercentage(row.percentageBp),
    rollout: { by: row.rolloutBy },
    contexts: row.contexts,
    targets: canonicalTargets(row.targets),
    targetsSince: row.targetsSince?.toISOString() ?? null,
    targetsOutlivedRamp: targetsOutlivedRamp(row),
    killed: row.killed,
    percentageBeforeKill:
      row.percentageBeforeKillBp === null ? null : basisPointsToPercentage(row.percentageBeforeKillBp),
    version: row.version,
    updatedAt: row.updatedAt.toISOString(),
    updatedBy: row.updatedBy,
  };
}

/** The stored rules with their keys in one order (jsonb keeps its own), for answers and comparisons. */
export function canonicalTargets(targets: FlagTarget[]): FlagTarget[] {
  return targets.map(({ attribute, value, values }) => ({ attribute, value, values }));
}

// From the row alone, so the list costs no query. The seed sets targets before the ramp, so
// "outlived" means the ramp is over (100 %, not killed) and they are still there.
function targetsOutlivedRamp(row: FlagStateRow): boolean {
  return row.targets.length > 0 && row.percentageBp === 10_000 && !row.killed;
}

export function toRemovalTicketView(row: RemovalTicketRow): RemovalTicketView {
  return {
    owner: row.owner,
    legacyZeroDays: row.legacyZeroDays,
    quietHours: row.quietHours,
    staleAfterDays: row.staleAfterDays,
    dueDate: row.dueAt.toISOString(),
    contraction:
      row.contractionTable && row.contractionOldColumn
        ? { table: row.contractionTable, oldColumn: row.contractionOldColumn, newColumn: row.contractionNewColumn, newIndex: row.contractionNewIndex }
        : null,
    status: row.status,
    link: row.link,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
