"use client";

import { useRef, type ReactNode } from "react";
import { formatPercentage } from "@/components/ui/format";
import { KillSwitch } from "./kill-switch";

interface IncidentBarProps {
  flagKey: string;
  env: string;
  percentage: number;
  killed: boolean;
  /** The percentage a restore brings back. */
  restorePercentage: number;
  archived: boolean;
  /** Operators and admins get the kill switch; viewers see the state only. */
  canOperate: boolean;
  /** Headline deltas (new vs legacy path, now); nothing is shown when absent. */
  deltas?: ReactNode;
}

/**
 * What on-call needs first, on every screen size: which flag, where, its state, and the kill
 * switch. Sticky, and the first thing after the header, so it is one skip link away.
 */
export function IncidentBar({ flagKey, env, percentage, killed, restorePercentage, archived, canOperate, deltas }: IncidentBarProps) {
  const stateRef = useRef<HTMLParagraphElement>(null);
  const stateLabel = archived ? "Archived" : killed ? "Killed" : formatPercentage(percentage);
  return (
    <section
      id="incident-bar"
      tabIndex={-1}
      aria-label={`${flagKey} in ${env}`}
      data-testid="incident-bar"
      className="sticky top-0 z-30 -mx-6 -mt-8 mb-6 border-b border-slate-200 bg-white/95 px-6 py-2 shadow-sm backdrop-blur focus:outline-none"
    >
      <div className="flex flex-wrap items-center gap-x-3 gap-y-2">
        <div className="flex min-w-0 flex-1 items-center gap-2">
          <span title={flagKey} className="min-w-0 truncate font-mono text-sm font-semibold">
            {flagKey}
          </span>
          <span className="shrink-0 rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-700">{env}</span>
          <p
            ref={stateRef}
            tabIndex={-1}
            data-testid="incident-state"
            aria-label={`State in ${env}: ${killed ? `killed, was ${formatPercentage(restorePercentage)}` : stateLabel}`}
            className={`shrink-0 rounded px-2 py-0.5 font-mono text-sm font-bold tabular-nums uppercase focus:outline-2 focus:outline-offset-2 focus:outline-slate-900 ${
              killed ? "bg-red-600 text-white" : archived ? "bg-slate-200 text-slate-700" : "bg-indigo-50 text-indigo-900"
            }`}
          >
            {stateLabel}
          </p>
        </div>
        {deltas ? <div className="min-w-0 text-sm">{deltas}</div> : null}
        {canOperate && !archived ? (
          <KillSwitch flagKey={flagKey} env={env} killed={killed} restorePercentage={restorePercentage} onDone={() => stateRef.current?.focus()} />
        ) : !archived ? (
          <span className="text-xs text-slate-500">View only</span>
        ) : null}
      </div>
    </section>
  );
}
