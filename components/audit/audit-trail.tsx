import { RelativeTime } from "@/components/ui/relative-time";
import type { AuditEventView } from "@/lib/audit/audit-store";
import type { NamedAuditEvent } from "@/lib/audit-trail/list-audit-events";
import { withEnv } from "@/lib/pages/search-params";
import Link from "next/link";
import { summarizeChange, type FieldChange } from "./audit-change";

const ACTION_TONES: Record<string, string> = {
  "flag.killed": "bg-red-100 text-red-800",
  "flag.restored": "bg-emerald-100 text-emerald-800",
  "ramp.rolled_back": "bg-red-100 text-red-800",
  "ramp.completed": "bg-emerald-100 text-emerald-800",
};
const VISIBLE_CHANGES = 4;

const th = "px-3 py-2 text-left text-xs font-semibold tracking-wide text-slate-500 uppercase";
const td = "px-3 py-2 align-top";

interface AuditTrailProps {
  /** Named events show each actor by name (a token's, say), the recorded actor in a title. */
  events: (AuditEventView | NamedAuditEvent)[];
  /** The environment links keep; a column for it appears when the events span environments. */
  env: string;
  showFlag?: boolean;
  showEnvironment?: boolean;
  emptyMessage?: string;
}

export function AuditTrail({ events, env, showFlag = false, showEnvironment = false, emptyMessage = "No audit events yet." }: AuditTrailProps) {
  if (events.length === 0) {
    return <p className="rounded-lg border border-dashed border-slate-300 bg-white p-6 text-center text-sm text-slate-600">{emptyMessage}</p>;
  }
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
      <table className="min-w-full divide-y divide-slate-200 text-sm">
        <thead className="bg-slate-50">
          <tr>
            <th className={th}>When</th>
            {showFlag ? <th className={th}>Flag</th> : null}
            {showEnvironment ? <th className={th}>Env</th> : null}
            <th className={th}>Action</th>
            <th className={th}>Actor</th>
            <th className={th}>Change</th>
            <th className={th}>Reason</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {events.map((event) => (
            <tr key={event.id}>
              <td className={td}><RelativeTime iso={event.at} /></td>
              {showFlag ? (
                <td className={td}>
                  {event.flag ? (
                    <Link href={withEnv(`/flags/${event.flag}`, { env })} className="font-mono text-blue-700 hover:underline">{event.flag}</Link>
                  ) : "—"}
                </td>
              ) : null}
              {showEnvironment ? <td className={td}>{event.environment ?? <span className="text-slate-500">all</span>}</td> : null}
              <td className={td}>
                <code className={`rounded px-1.5 py-0.5 text-xs ${ACTION_TONES[event.action] ?? "bg-slate-100 text-slate-800"}`}>{event.action}</code>
              </td>
              <td className={td}>
                <ActorName event={event} />
                <span className="ml-1 rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-600">{event.source}</span>
              </td>
              <td className={td}><ChangeList changes={summarizeChange(event.before, event.after)} /></td>
              {/* Reasons are free text, often long: they wrap (anywhere, for a pasted URL) rather than being clipped. */}
              <td className={`${td} min-w-40 max-w-xs text-slate-700 whitespace-pre-wrap [overflow-wrap:anywhere]`}>
                {event.reason ?? <span className="text-slate-500">—</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ActorName({ event }: { event: AuditEventView | NamedAuditEvent }) {
  if (!("actorName" in event)) return <>{event.actor}</>;
  return (
    <span data-testid="audit-actor" title={event.actorTitle}>
      {event.actorName}
    </span>
  );
}

function ChangeList({ changes }: { changes: FieldChange[] }) {
  if (changes.length === 0) return <span className="text-slate-500">—</span>;
  const visible = changes.slice(0, VISIBLE_CHANGES);
  const hidden = changes.slice(VISIBLE_CHANGES);
  return (
    <div className="font-mono text-xs">
      {visible.map((change) => <ChangeLine key={change.field} change={change} />)}
      {hidden.length > 0 ? (
        <details>
          <summary className="cursor-pointer text-slate-500">{hidden.length} more</summary>
          {hidden.map((change) => <ChangeLine key={change.field} change={change} />)}
        </details>
      ) : null}
    </div>
  );
}

function ChangeLine({ change }: { change: FieldChange }) {
  return (
    <div className="max-w-64 truncate lg:max-w-sm" title={`${change.field}: ${change.before ?? "∅"} → ${change.after ?? "∅"}`}>
      <span className="text-slate-500">{change.field}</span>{" "}
      {change.before !== null ? <span className="text-red-700 line-through decoration-red-300">{change.before}</span> : null}
      {change.before !== null ? " → " : ""}
      <span className="text-emerald-700">{change.after ?? "∅"}</span>
    </div>
  );
}
