import type { Db } from "@/lib/db/client";
import type { Environment } from "@/lib/environments/environment-store";
import { findMinuteCountsSince } from "./path-metrics-store";

const SUMMARY_MS = 60 * 60_000;
const SPARK_STEP_MS = 5 * 60_000;

export interface FlagMetricsSummary {
  requests: number;
  /** Share of the last hour's requests on the new path; null without traffic. */
  newShare: number | null;
  /** New-path error rate minus legacy-path error rate, as a fraction; null unless both paths had traffic. */
  errorRateDelta: number | null;
  /** New-path share per 5 minutes over the last hour, oldest first; null where there was no traffic. */
  newShareSparkline: (number | null)[];
}

/** The flags list's one-glance numbers for every flag in an environment, from counts only. */
export async function readMetricsSummary(db: Db, environment: Environment, now = new Date()): Promise<Record<string, FlagMetricsSummary>> {
  const end = Math.floor(now.getTime() / SPARK_STEP_MS) * SPARK_STEP_MS + SPARK_STEP_MS;
  const start = end - SUMMARY_MS;
  const rows = await findMinuteCountsSince(db, environment.id, new Date(start));
  const perFlag = new Map<string, { new: [number, number]; legacy: [number, number]; spark: [number, number][] }>();
  for (const row of rows) {
    let flag = perFlag.get(row.flagKey);
    if (!flag) {
      flag = { new: [0, 0], legacy: [0, 0], spark: Array.from({ length: SUMMARY_MS / SPARK_STEP_MS }, () => [0, 0]) };
      perFlag.set(row.flagKey, flag);
    }
    flag[row.path][0] += row.requests;
    flag[row.path][1] += row.errors;
    const slot = flag.spark[Math.floor((row.bucketStart.getTime() - start) / SPARK_STEP_MS)];
    if (slot) {
      slot[1] += row.requests;
      if (row.path === "new") slot[0] += row.requests;
    }
  }
  const summaries: Record<string, FlagMetricsSummary> = {};
  for (const [flagKey, flag] of perFlag) {
    const requests = flag.new[0] + flag.legacy[0];
    const rate = ([count, errors]: [number, number]) => (count === 0 ? null : errors / count);
    const newRate = rate(flag.new);
    const legacyRate = rate(flag.legacy);
    summaries[flagKey] = {
      requests,
      newShare: requests === 0 ? null : flag.new[0] / requests,
      errorRateDelta: newRate === null || legacyRate === null ? null : newRate - legacyRate,
      newShareSparkline: flag.spark.map(([onNew, all]) => (all === 0 ? null : onNew / all)),
    };
  }
  return summaries;
}
