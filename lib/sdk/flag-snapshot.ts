import type { FlagChange, FlagSnapshot, FlagState, FlagTarget } from "@rampart/sdk";
import { basisPointsToPercentage } from "@rampart/sdk";
import { and, asc, desc, eq, gt } from "drizzle-orm";
import { flagStates, flags } from "@/db/schema";
import type { Db } from "@/lib/db/client";
import type { Environment } from "@/lib/environments/environment-store";
import { canonicalTargets, type FlagStateRow } from "@/lib/flags/flag-view";

/** The wire state of a flag; `targets` always, `[]` when there are none. */
export function toSdkFlagState(key: string, row: FlagStateRow): FlagState & { targets: FlagTarget[] } {
  return {
    key,
    default: row.defaultValue,
    percentage: basisPointsToPercentage(row.percentageBp),
    rollout: { by: row.rolloutBy },
    contexts: row.contexts,
    targets: canonicalTargets(row.targets),
    killed: row.killed,
    version: row.version,
  };
}

function selectStates(db: Db) {
  return db
    .select({ key: flags.key, archivedAt: flags.archivedAt, state: flagStates })
    .from(flagStates)
    .innerJoin(flags, eq(flags.id, flagStates.flagId));
}

/** Every live flag of the environment; archived flags are left out. */
export async function readFlagSnapshot(db: Db, environment: Environment): Promise<FlagSnapshot> {
  const rows = await selectStates(db).where(eq(flagStates.environmentId, environment.id));
  return {
    environment: environment.key,
    cursor: rows.reduce((newest, row) => Math.max(newest, row.state.changeSeq), 0),
    flags: rows.filter((row) => !row.archivedAt).map((row) => toSdkFlagState(row.key, row.state)),
  };
}

/** Changes after a stream position, oldest first: what a reconnecting SDK missed. */
export async function readFlagChangesSince(db: Db, environmentId: number, afterSeq: number): Promise<FlagChange[]> {
  const rows = await selectStates(db)
    .where(and(eq(flagStates.environmentId, environmentId), gt(flagStates.changeSeq, afterSeq)))
    .orderBy(asc(flagStates.changeSeq));
  return rows.map(({ key, archivedAt, state }) =>
    archivedAt
      ? { type: "archived", seq: state.changeSeq, key }
      : { type: "flag", seq: state.changeSeq, flag: toSdkFlagState(key, state) },
  );
}

/** The environment's newest change position, 0 before its first change. */
export async function readNewestChangeSeq(db: Db, environmentId: number): Promise<number> {
  const [newest] = await db
    .select({ seq: flagStates.changeSeq })
    .from(flagStates)
    .where(eq(flagStates.environmentId, environmentId))
    .orderBy(desc(flagStates.changeSeq))
    .limit(1);
  return newest?.seq ?? 0;
}
