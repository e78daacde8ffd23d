import type { Db } from "@/lib/db/client";
import { requireEnvironment } from "@/lib/environments/environment-store";
import { requireFlag } from "@/lib/flags/flag-store";
import { findRampPlan } from "./ramp-plan-store";
import { toRampPlanView, type RampPlanView } from "./ramp-plan-view";

export async function readGuardedRamp(db: Db, key: string, env: string): Promise<{ key: string; environment: string; rampPlan: RampPlanView | null }> {
  const environment = await requireEnvironment(db, env);
  const flag = await requireFlag(db, key);
  const row = await findRampPlan(db, flag.id, environment.id);
  return { key: flag.key, environment: environment.key, rampPlan: row ? toRampPlanView(row) : null };
}
