import { formatAbsolute, formatPercentage } from "@/components/ui/format";
import { KilledBadge } from "@/components/ui/killed-badge";
import { RelativeTime } from "@/components/ui/relative-time";
import type { ActorName } from "@/lib/audit-trail/actor-names";
import type { FlagStateView } from "@/lib/flags/flag-view";

/** `updatedBy`: the actor's human name (a token's name, not `token:…`); the recorded actor otherwise. */
export function FlagStateCard({ state, env, updatedBy }: { state: FlagStateView; env: string; updatedBy?: ActorName }) {
  const pins = Object.entries(state.contexts);
  return (
    <section className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
      <div className="flex items-center justify-between gap-2">
        <h2 className="text-lg font-semibold">State in {env}</h2>
        {state.killed ? <KilledBadge /> : null}
      </div>
      <div className="mt-3 flex items-baseline gap-2">
        <span data-testid="flag-percentage" className={`font-mono text-5xl font-bold tabular-nums ${state.killed ? "text-red-700" : ""}`}>
          {formatPercentage(state.percentage)}
        </span>
        <span className="text-sm text-slate-500">on the new path</span>
      </div>
      {state.killed && state.percentageBeforeKill !== null ? (
        <p className="mt-1 text-sm text-red-800">Was {formatPercentage(state.percentageBeforeKill)} before the kill.</p>
      ) : null}
      <dl className="mt-4 grid grid-cols-[auto_1fr] gap-x-6 gap-y-2 text-sm">
        <dt className="text-slate-500">Default</dt>
        <dd>{state.default ? "on (new path)" : "off (legacy path)"} <span className="text-slate-500">for contexts without {state.rollout.by}</span></dd>
        <dt className="text-slate-500">Rollout by</dt>
        <dd className="font-mono">{state.rollout.by}</dd>
        <dt className="text-slate-500">Context pins</dt>
        <dd>
          {pins.length === 0 ? (
            <span className="text-slate-500">none</span>
          ) : (
            <ul className="flex flex-wrap gap-1.5">
              {pins.map(([kind, pinned]) => (
                <li key={kind} className="rounded bg-slate-100 px-2 py-0.5 font-mono text-xs">
                  {kind} → {pinned ? "new" : "legacy"}
                </li>
              ))}
            </ul>
          )}
        </dd>
        <dt className="text-slate-500">Version</dt>
        <dd className="font-mono">{state.version}</dd>
        <dt className="text-slate-500">Updated</dt>
        <dd>
          <RelativeTime iso={state.updatedAt} /> by <span title={updatedBy?.title ?? state.updatedBy}>{updatedBy?.name ?? state.updatedBy}</span>
          <span className="ml-1 text-xs text-slate-500">({formatAbsolute(state.updatedAt)})</span>
        </dd>
      </dl>
    </section>
  );
}
