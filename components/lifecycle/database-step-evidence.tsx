"use client";

import { useQuery } from "@tanstack/react-query";
import { databaseEvidenceQuery } from "@/components/flag/database-queries";
import type { DatabaseEvidence } from "@/components/flag/flag-api";
import { columnsVerdictText, divergentRowsAlarm, divergentRowsText, usageVerdictText } from "@/lib/pages/database-evidence-view";

/**
 * The Database panel's read, from the query cache only: the panel fetches and polls it, the
 * teardown steps show its numbers without a second session on the application database.
 */
function useCachedDatabaseEvidence(flagKey: string, env: string): DatabaseEvidence | undefined {
  return useQuery({ ...databaseEvidenceQuery({ key: flagKey, env }), enabled: false }).data;
}

/** Stage 2's database numbers: the last divergent-rows scan and the old column's reads over the window. */
export function ZeroFallbackDatabaseEvidence({ flagKey, env }: { flagKey: string; env: string }) {
  const evidence = useCachedDatabaseEvidence(flagKey, env);
  if (!evidence?.appDatabase) return null;
  const { divergentRows: rows, oldColumnUsage: usage } = evidence;
  const alarm = rows.status === "checked" && divergentRowsAlarm(rows);
  return (
    <ul aria-label={`In ${evidence.appDatabase.name}`} data-testid="zero-fallback-database" className="mt-2 space-y-0.5 text-xs text-slate-700">
      {rows.status !== "not_applicable" ? (
        <li className={alarm ? "font-semibold text-red-800" : undefined}>
          Divergent rows: {rows.status === "checked" ? divergentRowsText(rows) : `unavailable (${rows.detail})`}
        </li>
      ) : null}
      {usage.status === "checked" ? <li>{usageVerdictText("reads", usage.window.reads, `${usage.table}.${usage.column}`)}</li> : null}
      {usage.status === "unavailable" ? <li>Old-column reads: unavailable ({usage.detail})</li> : null}
    </ul>
  );
}

/** Stage 4's database answer: whether the old column is still there, as the database says now. */
export function ContractionDatabaseEvidence({ flagKey, env }: { flagKey: string; env: string }) {
  const evidence = useCachedDatabaseEvidence(flagKey, env);
  if (!evidence?.appDatabase || evidence.columns.status === "not_applicable") return null;
  return (
    <p data-testid="schema-contracted-database" className="mt-2 text-xs text-slate-700">
      In {evidence.appDatabase.name} now: {evidence.columns.status === "checked" ? columnsVerdictText(evidence.columns) : `unavailable (${evidence.columns.detail})`}
    </p>
  );
}
