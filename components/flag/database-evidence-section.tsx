import type { ReactNode } from "react";
import { formatAbsolute } from "@/components/ui/format";
import { RelativeTime } from "@/components/ui/relative-time";
import type { Evidence } from "@/lib/app-db/database-evidence";

interface EvidenceSectionProps<T> {
  /** Names the section's heading and test id: `database-${id}`. */
  id: string;
  title: string;
  evidence: Evidence<T>;
  /** When the panel read the database: the as-of of an unavailable or not-applicable answer. */
  readAt: string;
  /** When the checked evidence was sampled; null when nothing has been yet. */
  asOf: (checked: T) => string | null;
  caveat: (checked: T) => string;
  /** Shown under any answer but "not applicable", e.g. a button that checks again. */
  actions?: ReactNode;
  children: (checked: T) => ReactNode;
}

/** One check of the Database panel: its title and as-of time, then its numbers and caveat, or why there are none. */
export function EvidenceSection<T>({ id, title, evidence, readAt, asOf, caveat, actions, children }: EvidenceSectionProps<T>) {
  const headingId = `database-${id}-heading`;
  const checked = evidence.status === "checked" ? (evidence as T & { status: "checked" }) : null;
  const at = checked ? asOf(checked) : readAt;
  return (
    <section aria-labelledby={headingId} data-testid={`database-${id}`} data-status={evidence.status} className="min-w-0 rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <div className="mb-2 flex flex-wrap items-baseline justify-between gap-x-4 gap-y-1">
        <h3 id={headingId} className="font-semibold text-slate-900">{title}</h3>
        <p className="text-xs text-slate-500">
          {at ? (
            <>
              as of {formatAbsolute(at)} (<RelativeTime iso={at} />)
            </>
          ) : (
            "not sampled yet"
          )}
        </p>
      </div>
      {checked ? (
        <>
          {children(checked)}
          <p className="mt-3 text-xs text-slate-600">
            <span className="font-semibold">Caveat:</span> {caveat(checked)}
          </p>
        </>
      ) : evidence.status === "unavailable" ? (
        <p role="status" className="rounded border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900">
          <span className="font-semibold">Unavailable:</span> {evidence.detail}
        </p>
      ) : (
        <p className="text-sm text-slate-600">
          <span className="font-semibold">Not applicable:</span> {evidence.status === "not_applicable" ? evidence.detail : null}
        </p>
      )}
      {actions && evidence.status !== "not_applicable" ? actions : null}
    </section>
  );
}
