"use client";

import Link from "next/link";
import { ApiError } from "@/components/shell/api-client";
import { useCan } from "@/components/shell/session";
import { ApiErrorBanner } from "@/components/ui/api-error-banner";
import { formatAbsolute } from "@/components/ui/format";
import type { AppDbHealth, AppDbKind } from "@/lib/app-db/app-db-kind";
import { APP_DB_KIND_LABELS, sharedNotApplicable } from "@/lib/pages/database-evidence-view";
import { DatabaseColumns } from "./database-columns";
import { DatabaseDivergentRows } from "./database-divergent-rows";
import { DatabaseIndexUsage } from "./database-index-usage";
import { DatabaseLockWaits } from "./database-lock-waits";
import { DatabaseOldColumnUsage } from "./database-old-column-usage";
import { DATABASE_REFRESH_MS, useDatabaseEvidence, usePercentageHistory } from "./use-database-evidence";

interface DatabasePanelProps {
  flagKey: string;
  env: string;
  /** The environment's application database as Rampart stores it; null when none is connected. */
  appDatabase: { name: string; kind: AppDbKind; health: AppDbHealth } | null;
  /** What the flag serves now, for when old-column reads are wrong rather than expected. */
  percentage: number;
  killed: boolean;
}

/** The flag's evidence from the environment's own database: columns, index use, old-column use, divergent rows, lock waits. */
export function DatabasePanel({ flagKey, env, appDatabase, percentage, killed }: DatabasePanelProps) {
  const query = useDatabaseEvidence({ flagKey, env });
  const evidence = query.data;
  const percentageHistory = usePercentageHistory({ flagKey, env, enabled: evidence?.indexUsage.status === "checked" });
  const database = evidence?.appDatabase ?? appDatabase;
  const noneApply = evidence ? sharedNotApplicable(evidence) : null;

  return (
    <section aria-labelledby="database-heading" data-testid="database-panel" className="mb-10 space-y-4">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <div className="min-w-0">
          <h2 id="database-heading" className="text-lg font-semibold">Database</h2>
          <p className="text-xs text-slate-500">
            {database ? (
              <>
                <Link href="/settings/databases" className="font-medium text-blue-700 hover:underline">{database.name}</Link> ({APP_DB_KIND_LABELS[database.kind as AppDbKind] ?? database.kind}) in {env}, read-only
              </>
            ) : (
              <>No application database is connected for {env}</>
            )}
            {evidence ? <> · read {formatAbsolute(evidence.asOf)}</> : null}
          </p>
        </div>
        <p className="flex items-center gap-1.5 text-xs text-slate-500">
          <span aria-hidden="true" className={`inline-block size-2 rounded-full ${query.isError ? "bg-amber-500" : "bg-emerald-500"}`} />
          refreshes every {DATABASE_REFRESH_MS / 1000} s
        </p>
      </div>
      {!database ? <ConnectHint env={env} /> : null}

      {query.error ? <ApiErrorBanner error={query.error instanceof ApiError ? query.error : new ApiError(0, "unexpected", "Could not read the database evidence.")} /> : null}

      {noneApply ? (
        <p data-testid="database-not-applicable" className="text-sm text-slate-600">
          <span className="font-semibold">Not applicable:</span> {noneApply}
        </p>
      ) : evidence ? (
        <div className="grid gap-4 lg:grid-cols-2">
          <DatabaseColumns columns={evidence.columns} readAt={evidence.asOf} />
          <DatabaseDivergentRows flagKey={flagKey} env={env} rows={evidence.divergentRows} readAt={evidence.asOf} />
          <div className="lg:col-span-2">
            <DatabaseOldColumnUsage usage={evidence.oldColumnUsage} readAt={evidence.asOf} flag={{ percentage, killed }} />
          </div>
          <div className="lg:col-span-2">
            <DatabaseIndexUsage usage={evidence.indexUsage} readAt={evidence.asOf} percentage={percentageHistory} />
          </div>
          <div className="lg:col-span-2">
            <DatabaseLockWaits lockWaits={evidence.lockWaits} readAt={evidence.asOf} />
          </div>
        </div>
      ) : query.isPending ? (
        <p className="rounded-lg border border-slate-200 bg-white p-6 text-center text-sm text-slate-600">Reading the application database (read-only, at most 5 s)…</p>
      ) : null}
    </section>
  );
}

/** Where an environment has no application database: how an admin connects one; nothing for the others. */
export function ConnectHint({ env, className = "" }: { env: string; className?: string }) {
  if (!useCan("admin")) return null;
  return (
    <p data-testid="database-connect-hint" className={`text-sm text-slate-600 ${className}`}>
      Connect {env}&apos;s application database in{" "}
      <Link href="/settings/databases" className="font-medium text-blue-700 hover:underline">Settings → Databases</Link>{" "}
      to check this flag&apos;s columns, index use and divergent rows there.
    </p>
  );
}
