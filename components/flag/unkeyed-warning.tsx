import { formatCount } from "@/components/charts/path-chart-data";

/** Unkeyed evaluations get the default instead of a stable bucket, so a ramp does not move them. */
export function UnkeyedWarning({ count, rolloutBy }: { count: number; rolloutBy: string }) {
  return (
    <div data-testid="unkeyed-warning" role="status" className="rounded-lg border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-950">
      <p className="font-semibold">
        {formatCount(count)} {count === 1 ? "evaluation" : "evaluations"} without a bucket key: pin these contexts
      </p>
      <p className="mt-1 text-amber-900">
        Their context has no <code className="font-mono">{rolloutBy}</code>, so they get the flag&apos;s default whatever the percentage. If
        they come from one kind of caller, pin that kind in the flag state, e.g.{" "}
        <code className="rounded bg-amber-100 px-1 font-mono">{"contexts: { batch_processor: false }"}</code>.
      </p>
    </div>
  );
}
