import { formatCount } from "@/components/charts/path-chart-data";
import type { FlagMetrics } from "./flag-api";

/** Test tenants' requests, said apart: they are forced, so the new-vs-legacy numbers above leave them out. */
export function TargetedTraffic({ targeted }: { targeted: FlagMetrics["targeted"] }) {
  return (
    <p data-testid="targeted-traffic" className="rounded-lg border border-slate-200 bg-slate-50 px-4 py-2 text-sm text-slate-700">
      <span className="font-semibold text-slate-900">
        {formatCount(targeted.requests)} {targeted.requests === 1 ? "request" : "requests"} from{" "}
        {targeted.values === null ? "test tenants no longer targeted" : `${formatCount(targeted.values)} targeted ${targeted.values === 1 ? "tenant" : "tenants"}`}
      </span>
      {targeted.errors > 0 ? ` (${formatCount(targeted.errors)} failed)` : null}: forced by the test tenants, so not part of the new-vs-legacy
      comparison.
    </p>
  );
}
