import type { ApiError } from "@/components/shell/api-client";

/** The API refused the If-Match version: someone changed the flag since this page loaded. */
export function isVersionConflict(error: ApiError): boolean {
  return error.code === "version_conflict" || error.status === 412;
}

/** Shown under the error once the page has loaded the current state again; what was typed stays. */
export function VersionConflictNote() {
  return (
    <p role="status" data-testid="version-conflict-note" className="text-sm font-medium text-slate-800">
      Someone changed this flag since the page loaded. The current state is loaded now: check it and submit again.
    </p>
  );
}
