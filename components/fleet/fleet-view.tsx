"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useQueryState } from "nuqs";
import type { ReactNode } from "react";
import { InstanceDropsChart } from "@/components/charts/instance-drops-chart";
import { formatCount } from "@/components/charts/path-chart-data";
import { ApiError } from "@/components/shell/api-client";
import { ApiErrorBanner } from "@/components/ui/api-error-banner";
import { RelativeTime } from "@/components/ui/relative-time";
import { FLEET_WINDOW_OPTIONS, fleetPageSearchParams } from "@/lib/pages/fleet-search-params";
import { describeDrops, formatShare, windowPhrase } from "./fleet-format";
import { fleetHealthQuery, type FleetHealth } from "./fleet-queries";

/** SDKs send a batch every ~10 s; polling at that pace shows each one as it lands. */
const REFRESH_MS = 10_000;
/** Bars in the chart: the worst droppers; the table lists the rest. */
const CHARTED_INSTANCES = 10;

const th = "px-4 py-2 text-left text-xs font-semibold tracking-wide text-slate-500 uppercase";
const td = "px-4 py-2.5";

/** Which SDK instances report to this environment and which dropped samples, refreshed live. */
export function FleetView({ env, initialFleet }: { env: string; initialFleet: FleetHealth }) {
  const [fleetWindow, setFleetWindow] = useQueryState("window", fleetPageSearchParams.window);
  const initialMatches = initialFleet.environment === env && initialFleet.window === fleetWindow;
  const query = useQuery({
    ...fleetHealthQuery({ env, window: fleetWindow }),
    initialData: initialMatches ? initialFleet : undefined,
    staleTime: REFRESH_MS,
    refetchInterval: REFRESH_MS,
    placeholderData: keepPreviousData,
  });
  const fleet = query.data;

  return (
    <section aria-label="SDK fleet" className="space-y-6">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <p className="flex items-center gap-1.5 text-xs text-slate-500">
          <span aria-hidden="true" className={`inline-block size-2 rounded-full ${query.isError ? "bg-amber-500" : "bg-emerald-500"}`} />
          {env} · live, refreshes every {REFRESH_MS / 1000} s
        </p>
        <div role="group" aria-label="Time window" className="inline-flex overflow-hidden rounded-lg border border-slate-300 bg-white text-sm shadow-sm">
          {FLEET_WINDOW_OPTIONS.map((option) => (
            <button
              key={option}
              type="button"
              aria-pressed={option === fleetWindow}
              onClick={() => void setFleetWindow(option)}
              className={`px-3 py-1.5 font-medium tabular-nums not-first:border-l not-first:border-slate-300 ${
                option === fleetWindow ? "bg-slate-900 text-white" : "text-slate-700 hover:bg-slate-50"
              }`}
            >
              {option}
            </button>
          ))}
        </div>
      </div>

      {query.error ? (
        <ApiErrorBanner error={query.error instanceof ApiError ? query.error : new ApiError(0, "unexpected", "Could not load the fleet.")} />
      ) : null}

      {fleet ? (
        <div className={`space-y-6 transition-opacity ${query.isPlaceholderData ? "opacity-60" : ""}`} aria-busy={query.isPlaceholderData}>
          <FleetSummary fleet={fleet} />
          {fleet.totals.instances === 0 ? (
            <p className="rounded-lg border border-dashed border-slate-300 bg-white p-10 text-center text-sm text-slate-600">
              No SDK instance reported to {fleet.environment} in {windowPhrase(fleet.window)}. An instance sends a batch about every 10 s while
              it has gated traffic, so an idle service does not show here.
            </p>
          ) : (
            <>
              {fleet.totals.droppingInstances > 0 ? (
                <InstanceDropsChart
                  windowLabel={windowPhrase(fleet.window)}
                  instances={fleet.instances
                    .filter((instance) => instance.dropped > 0)
                    .slice(0, CHARTED_INSTANCES)
                    .map((instance) => ({ ...instance, share: formatShare(instance.droppedShare) }))}
                />
              ) : null}
              <InstancesTable fleet={fleet} />
            </>
          )}
        </div>
      ) : (
        <p className="rounded-lg border border-slate-200 bg-white p-6 text-center text-sm text-slate-600">Loading the fleet…</p>
      )}

      <p className="text-xs text-slate-500">
        An instance that cannot deliver a batch (Rampart down, a refused batch, a full buffer) drops its samples and reports how many in its next
        batch that gets through, so the flag charts undercount by the dropped share. An instance that never got through is not listed until it does.
      </p>
    </section>
  );
}

function FleetSummary({ fleet }: { fleet: FleetHealth }) {
  const { totals } = fleet;
  const dropping = totals.droppingInstances > 0;
  return (
    <>
      <dl className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <Stat testId="fleet-instances" label="Instances reporting" value={formatCount(totals.instances)} />
        <Stat
          testId="fleet-dropping-instances"
          label="Instances that dropped samples"
          value={formatCount(totals.droppingInstances)}
          tone={dropping ? "bad" : "good"}
        />
        <Stat
          testId="fleet-dropped"
          label="Samples dropped"
          value={formatCount(totals.dropped)}
          detail={`${formatShare(totals.droppedShare)} of samples`}
          tone={dropping ? "bad" : undefined}
        />
        <Stat testId="fleet-samples" label="Samples delivered" value={formatCount(totals.samples)} detail={`in ${formatCount(totals.batches)} batches`} />
      </dl>
      {totals.instances === 0 ? null : dropping ? (
        <p data-testid="fleet-headline" role="status" className="rounded-lg border border-red-300 bg-red-50 px-4 py-3 text-sm text-red-900">
          <span className="font-semibold">{describeDrops(totals, fleet.window)}.</span> Flag metrics in {fleet.environment} undercount by that share.
        </p>
      ) : (
        <p data-testid="fleet-headline" role="status" className="rounded-lg border border-emerald-300 bg-emerald-50 px-4 py-3 text-sm text-emerald-900">
          No instance dropped samples in {windowPhrase(fleet.window)}: the flag metrics in {fleet.environment} count every sample.
        </p>
      )}
      <p data-testid="fleet-control-plane" className="text-xs text-slate-500">
        The control-plane instance that answered has {formatCount(fleet.controlPlane.queued + fleet.controlPlane.writing)} batches waiting to be
        written and refused {formatCount(fleet.controlPlane.shed)} with 429 (overloaded) since it started; SDKs send those again after Retry-After.
      </p>
    </>
  );
}

function Stat({ testId, label, value, detail, tone }: { testId: string; label: string; value: ReactNode; detail?: string; tone?: "good" | "bad" }) {
  const valueColor = tone === "bad" ? "text-red-700" : tone === "good" ? "text-emerald-700" : "text-slate-900";
  return (
    <div data-testid={testId} className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <dt className="text-xs font-semibold tracking-wide text-slate-500 uppercase">{label}</dt>
      <dd className={`mt-1 font-mono text-2xl font-semibold tabular-nums ${valueColor}`}>{value}</dd>
      {detail ? <dd className="text-xs text-slate-500">{detail}</dd> : null}
    </div>
  );
}

function InstancesTable({ fleet }: { fleet: FleetHealth }) {
  return (
    <div>
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
        <table data-testid="fleet-instances-table" className="min-w-full divide-y divide-slate-200 text-sm">
          <caption className="sr-only">SDK instances in {fleet.environment}, those that dropped samples first</caption>
          <thead className="bg-slate-50">
            <tr>
              <th className={th}>Instance</th>
              <th className={th}>Last seen</th>
              <th className={`${th} text-right`}>Batches</th>
              <th className={`${th} text-right`}>Samples</th>
              <th className={`${th} text-right`}>Dropped</th>
              <th className={`${th} text-right`}>Dropped %</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {fleet.instances.map((instance) => {
              const dropped = instance.dropped > 0;
              return (
                <tr key={instance.instanceId} data-testid="fleet-instance-row" className={dropped ? "bg-red-50/60" : "hover:bg-slate-50"}>
                  <td className={`${td} font-mono break-all text-slate-900`}>{instance.instanceId}</td>
                  <td className={`${td} text-slate-700`}>
                    <RelativeTime iso={instance.lastSeen} />
                  </td>
                  <td className={`${td} text-right font-mono tabular-nums`}>{formatCount(instance.batches)}</td>
                  <td className={`${td} text-right font-mono tabular-nums`}>{formatCount(instance.samples)}</td>
                  <td className={`${td} text-right font-mono tabular-nums ${dropped ? "font-semibold text-red-700" : "text-slate-500"}`}>
                    {formatCount(instance.dropped)}
                  </td>
                  <td className={`${td} text-right font-mono tabular-nums ${dropped ? "font-semibold text-red-700" : "text-slate-500"}`}>
                    {formatShare(instance.droppedShare)}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {fleet.truncated ? (
        <p className="mt-2 text-xs text-slate-500">
          Showing the {formatCount(fleet.instances.length)} instances with the most drops of {formatCount(fleet.totals.instances)} reporting.
        </p>
      ) : null}
    </div>
  );
}
