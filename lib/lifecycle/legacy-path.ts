import type { Db } from "@/lib/db/client";
import { findHourCounts } from "@/lib/metrics/path-metrics-store";
import type { PathCountsEvidence } from "./path-counts-evidence";

const DAY_MS = 24 * 60 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;

/**
 * New- and legacy-path requests over the last `days` days. Every legacy request counts,
 * whatever sent it there (pinned, targeted, unkeyed, fallback, killed, rollout). The window starts on
 * the hour before, so it is never shorter than asked.
 */
export async function measurePaths(
  db: Db,
  { environmentId, flagId, days, now }: { environmentId: number; flagId: number; days: number; now: Date },
): Promise<PathCountsEvidence> {
  const from = new Date(Math.floor((now.getTime() - days * DAY_MS) / HOUR_MS) * HOUR_MS);
  const rows = await findHourCounts(db, { environmentId, flagId, from, to: now });
  const evidence: PathCountsEvidence = { from: from.toISOString(), to: now.toISOString(), legacyRequests: 0, newRequests: 0, legacyByReason: {} };
  for (const row of rows) {
    if (row.path === "new") {
      evidence.newRequests += row.requests;
      continue;
    }
    evidence.legacyRequests += row.requests;
    for (const [reason, n] of Object.entries(row.reasons)) {
      evidence.legacyByReason[reason] = (evidence.legacyByReason[reason] ?? 0) + n;
    }
  }
  return evidence;
}
