import type { Db } from "@/lib/db/client";
import { requireEnvironment } from "@/lib/environments/environment-store";
import { findFlagKeys, requireFlag } from "@/lib/flags/flag-store";
import type { RampPlanStatus } from "./ramp-plan-status";
import { findRampPlan, findRampPlansInEnvironment } from "./ramp-plan-store";
import { toRampPlanView, type RampPlanView } from "./ramp-plan-view";

export async function readGuardedRamp(db: Db, key: string, env: string): Promise<{ key: string; environment: string; rampPlan: RampPlanView | null }> {
  const environment = await requireEnvironment(db, env);
  const flag = await requireFlag(db, key);
  const row = await findRampPlan(db, flag.id, environment.id);
  return { key: flag.key, environment: environment.key, rampPlan: row ? toRampPlanView(row) : null };
}

export interface RampSummary {
  status: RampPlanStatus;
  /** RampPlanView's words, e.g. "25% → 50% in 4 min", "paused: not enough traffic", "killed by the guard at 25%". */
  summary: string;
}

/** The flags list's ramp column: by flag key, the plans still running, paused, or ended by a guard kill. */
export async function readRampSummaries(db: Db, env: string, now = new Date()): Promise<Record<string, RampSummary>> {
  const environment = await requireEnvironment(db, env);
  const plans = [...(await findRampPlansInEnvironment(db, environment.id)).values()].filter((row) => ["running", "paused", "rolled_back"].includes(row.status));
  const keys = await findFlagKeys(db, plans.map((row) => row.flagId));
  return Object.fromEntries(
    plans.flatMap((row) => {
      const key = keys.get(row.flagId);
      return key ? [[key, { status: row.status, summary: toRampPlanView(row, now).summary }]] : [];
    }),
  );
}
