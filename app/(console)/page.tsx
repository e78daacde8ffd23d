import type { Metadata } from "next";
import Link from "next/link";
import { FlagsTable } from "@/components/flags-list/flags-table";
import { PageHeader } from "@/components/ui/page-header";
import { roleAtLeast } from "@/lib/auth/actor";
import { requireEnvironment } from "@/lib/environments/environment-store";
import { listFlags } from "@/lib/flags/read-flags";
import { readRampSummaries } from "@/lib/guard/read-guarded-ramp";
import { readMetricsSummary } from "@/lib/metrics/read-metrics-summary";
import { consolePage } from "@/lib/pages/console-page";
import { loadEnvSearchParams, withEnv } from "@/lib/pages/search-params";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Flags" };

export default consolePage({ search: loadEnvSearchParams }, async function FlagsPage({ db, user, search: { env } }) {
  const [{ flags }, ramps] = await Promise.all([listFlags({ db, env }), readRampSummaries(db, env)]);
  const environment = await requireEnvironment(db, env);
  const metrics = await readMetricsSummary(db, environment);
  const newFlagHref = withEnv("/flags/new", { env });

  return (
    <>
      <PageHeader
        title="Flags"
        subtitle={`State in ${env}. Every flag gates a schema change and carries its removal ticket.`}
        actions={
          roleAtLeast(user.role, "admin") && <Link href={newFlagHref} className="rounded bg-slate-900 px-4 py-2 text-sm font-semibold text-white hover:bg-slate-700">
            New flag
          </Link>
        }
      />
      {flags.length === 0 ? (
        <div className="rounded-lg border border-dashed border-slate-300 bg-white p-10 text-center">
          <p className="font-medium">No flags yet.</p>
          <p className="mt-1 text-sm text-slate-600">Gate your next migration behind a flag, then ramp it from 1% to 100%.</p>
          {roleAtLeast(user.role, "admin") ? <Link href={newFlagHref} className="mt-4 inline-block text-sm font-semibold text-blue-700 hover:underline">
            Create the first flag →
          </Link> : null}
        </div>
      ) : (
        <FlagsTable flags={flags} env={env} metrics={metrics} ramps={ramps} canKill={roleAtLeast(user.role, "operator")} />
      )}
    </>
  );
});
