import type { Metadata } from "next";
import Link from "next/link";
import { Fragment } from "react";
import { AuditTrail } from "@/components/audit/audit-trail";
import { ConnectHint, DatabasePanel } from "@/components/flag/database-panel";
import { FlagMetricsView } from "@/components/flag/flag-metrics-view";
import { FlagStateCard } from "@/components/flag/flag-state-card";
import { GuardedRampPanel } from "@/components/flag/guarded-ramp-panel";
import { HeadlineNow } from "@/components/flag/headline-now";
import { IncidentBar } from "@/components/flag/incident-bar";
import { PercentageForm } from "@/components/flag/percentage-form";
import { TestTenants } from "@/components/flag/test-tenants";
import { TestTenantsReminder } from "@/components/flag/test-tenants-reminder";
import { RemovalTicketCard } from "@/components/lifecycle/removal-ticket-card";
import { TeardownDetails } from "@/components/lifecycle/teardown-details";
import { nameActors } from "@/lib/audit-trail/actor-names";
import { listAuditEvents } from "@/lib/audit-trail/list-audit-events";
import { roleAtLeast } from "@/lib/auth/actor";
import { getFlag } from "@/lib/flags/read-flags";
import { readGuardedRamp } from "@/lib/guard/read-guarded-ramp";
import { flagKeyParams } from "@/lib/http/route-params";
import { readTeardown } from "@/lib/lifecycle/read-teardown";
import { readFlagMetrics } from "@/lib/metrics/read-flag-metrics";
import { findEnvironmentAppDatabase } from "@/lib/pages/app-database-reads";
import { consolePage } from "@/lib/pages/console-page";
import { flagPageStage } from "@/lib/pages/flag-page-stage";
import { auditHref, loadFlagPageSearchParams, withEnv } from "@/lib/pages/search-params";

export const dynamic = "force-dynamic";

const AUDIT_TRAIL_LIMIT = 20;

export async function generateMetadata({ params }: { params: Promise<{ key: string }> }): Promise<Metadata> {
  return { title: (await params).key };
}

export default consolePage({ params: flagKeyParams, search: loadFlagPageSearchParams }, async function FlagPage({ db, user, params: { key }, search: { env, window } }) {
  const [{ flag, state, removalTicket }, audit, metrics, teardown, guardedRamp, appDatabase] = await Promise.all([
    getFlag({ db, key, env }),
    listAuditEvents({ db, query: { flag: key, limit: AUDIT_TRAIL_LIMIT } }),
    readFlagMetrics({ db, key, env, window }),
    readTeardown({ db, key, env }),
    readGuardedRamp(db, key, env),
    findEnvironmentAppDatabase(db, env),
  ]);
  const canOperate = roleAtLeast(user.role, "operator");
  const updatedBy = (await nameActors(db, [state.updatedBy])).get(state.updatedBy);
  const archived = flag.archivedAt !== null;
  const stage = flagPageStage({ archived, killed: state.killed, percentage: state.percentage });

  const teardownSection = <TeardownDetails flagKey={flag.key} env={env} initialTeardown={teardown} open={stage !== "ramping"} />;
  // While ramping the ramp form sits right under the state: it is what the metrics are for.
  const controls = (
    <div className="mb-10 grid gap-6 lg:grid-cols-[minmax(0,1fr)_22rem]">
      <FlagMetricsView flagKey={flag.key} env={env} rolloutBy={state.rollout.by} initialMetrics={metrics} />
      <div className="space-y-6">
        {archived ? (
          <p data-testid="archived-note" className="rounded-lg border border-slate-300 bg-slate-100 p-5 text-sm text-slate-700">
            <span className="font-semibold">Archived:</span> SDKs no longer receive this flag.
          </p>
        ) : !canOperate ? (
          <p className="rounded-lg border border-slate-200 bg-white p-5 text-sm text-slate-600">
            You are signed in as a viewer: the kill switch and the ramp are for operators and admins.
          </p>
        ) : null}
        <FlagStateCard state={state} env={env} updatedBy={updatedBy} />
        {canOperate && !archived ? (
          <PercentageForm
            key={`ramp-${state.version}`}
            flagKey={flag.key}
            env={env}
            percentage={state.percentage}
            version={state.version}
            killed={state.killed}
            metricsWindow={metrics.window}
          />
        ) : null}
        {!archived || guardedRamp.rampPlan ? (
          <GuardedRampPanel
            flagKey={flag.key}
            env={env}
            initialRamp={guardedRamp}
            percentage={state.percentage}
            killed={state.killed}
            canOperate={canOperate && !archived}
          />
        ) : null}
        <TestTenants
          flagKey={flag.key}
          env={env}
          targets={state.targets}
          targetsSince={state.targetsSince}
          version={state.version}
          rolloutBy={state.rollout.by}
          archived={archived}
        />
        <RemovalTicketCard flagKey={flag.key} env={env} removalTicket={removalTicket} />
      </div>
    </div>
  );
  // The evidence itself is fetched by the browser: reading it waits on the application database.
  const database =
    appDatabase || removalTicket?.contraction ? (
      <DatabasePanel flagKey={flag.key} env={env} appDatabase={appDatabase} percentage={state.percentage} killed={state.killed} />
    ) : (
      <ConnectHint env={env} className="mb-10" />
    );
  const history = (
    <section className="mb-10">
      <div className="mb-3 flex items-baseline justify-between">
        <h2 className="text-lg font-semibold">Audit trail <span className="text-sm font-normal text-slate-500">all environments, newest first</span></h2>
        <Link href={auditHref("/audit", { env, flag: flag.key })} className="text-sm text-blue-700 hover:underline">
          Audit log for {env} →
        </Link>
      </div>
      <AuditTrail events={audit.events} env={env} showEnvironment />
    </section>
  );
  const sections = { controls, database, teardown: teardownSection, history };
  // Keyed by name, so a flag reaching 100% while the page is open moves its sections, not remounts them.
  const order = {
    ramping: ["controls", "database", "teardown", "history"],
    ramped: ["teardown", "database", "controls", "history"],
    archived: ["teardown", "database", "history", "controls"],
  } as const;

  return (
    <>
      <IncidentBar
        flagKey={flag.key}
        env={env}
        percentage={state.percentage}
        killed={state.killed}
        restorePercentage={state.percentageBeforeKill ?? state.percentage}
        archived={archived}
        canOperate={canOperate}
        deltas={archived ? undefined : <HeadlineNow flagKey={flag.key} env={env} window={metrics.window} />}
      />
      <Link href={withEnv("/", { env })} className="text-sm text-blue-700 hover:underline">← Flags</Link>
      <div className="mt-2 mb-6">
        <h1 className="font-mono text-2xl font-semibold tracking-tight break-all">{flag.key}</h1>
        {flag.name !== flag.key ? <p className="text-lg text-slate-800">{flag.name}</p> : null}
        <p className="mt-1 text-sm text-slate-600">
          Owner <span className="font-medium text-slate-900">{flag.owner}</span>
          {flag.archivedAt ? <span className="ml-2 rounded bg-slate-200 px-1.5 py-0.5 text-xs">archived</span> : null}
        </p>
        {flag.description ? <p className="mt-2 max-w-3xl text-sm whitespace-pre-line text-slate-700">{flag.description}</p> : null}
      </div>
      {state.targetsOutlivedRamp ? <div className="mb-6"><TestTenantsReminder since={state.targetsSince} /></div> : null}
      {order[stage].map((name) => (
        <Fragment key={name}>{sections[name]}</Fragment>
      ))}
    </>
  );
});
