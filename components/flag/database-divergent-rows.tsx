"use client";

import { useCan } from "@/components/shell/session";
import { ApiErrorBanner } from "@/components/ui/api-error-banner";
import { formatAbsolute } from "@/components/ui/format";
import type { DivergentRows, Evidence } from "@/lib/app-db/database-evidence";
import { divergentRowsAlarm, divergentRowsText } from "@/lib/pages/database-evidence-view";
import { EvidenceSection } from "./database-evidence-section";
import { useStartDivergenceScan } from "./use-database-evidence";

interface DatabaseDivergentRowsProps {
  flagKey: string;
  env: string;
  rows: Evidence<DivergentRows>;
  readAt: string;
}

/** The seed's `old IS DISTINCT FROM new` count: the last result, a running scan's progress, and Scan now for operators. */
export function DatabaseDivergentRows({ flagKey, env, rows, readAt }: DatabaseDivergentRowsProps) {
  const canScan = useCan("operator");
  const scan = useStartDivergenceScan({ flagKey, env });
  const running = rows.status === "checked" && rows.scan === "running";
  const actions = canScan ? (
    <div className="mt-3 space-y-2">
      <button
        type="button"
        data-testid="scan-now"
        disabled={running || scan.isPending}
        onClick={() => scan.mutate()}
        className="rounded border border-slate-300 bg-white px-3 py-1.5 text-sm font-semibold text-slate-900 hover:bg-slate-50 disabled:cursor-not-allowed disabled:text-slate-500"
      >
        {running ? "Scanning…" : scan.isPending ? "Starting…" : "Scan now"}
      </button>
      {scan.error ? <ApiErrorBanner error={scan.error} /> : null}
    </div>
  ) : null;
  return (
    <EvidenceSection
      id="divergent-rows"
      title="Divergent rows"
      evidence={rows}
      readAt={readAt}
      asOf={(checked) => checked.finishedAt ?? checked.startedAt}
      caveat={(checked) => checked.caveat}
      actions={actions}
    >
      {(checked) => {
        const alarm = divergentRowsAlarm(checked);
        return (
          <>
            {checked.scan !== "none" ? (
              <div className="flex flex-wrap items-end gap-x-5 gap-y-1">
                <div>
                  <span data-testid="divergent-count" data-problem={alarm || undefined} className={`font-mono text-3xl font-bold tabular-nums ${alarm ? "text-red-700" : "text-slate-900"}`}>
                    {checked.divergent.toLocaleString("en")}
                  </span>
                  <div className="text-xs text-slate-500">{running ? "differing so far" : "rows differ"}</div>
                </div>
                <div>
                  <span data-testid="rows-scanned" className="font-mono text-lg tabular-nums">{checked.rowsScanned.toLocaleString("en")}</span>
                  <div className="text-xs text-slate-500">rows scanned</div>
                </div>
              </div>
            ) : null}
            <p role="status" data-testid="divergent-rows-text" data-scan={checked.scan} className={`mt-2 text-sm ${alarm ? "font-medium text-red-800" : "text-slate-800"}`}>
              {divergentRowsText(checked)}
              {checked.scan === "done" && checked.finishedAt ? ` Finished ${formatAbsolute(checked.finishedAt)}.` : null}
              {running && checked.startedAt ? ` Started ${formatAbsolute(checked.startedAt)}.` : null}
            </p>
          </>
        );
      }}
    </EvidenceSection>
  );
}
