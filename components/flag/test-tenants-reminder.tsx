import { formatAbsolute } from "@/components/ui/format";

/** Targets are for checking a write before the ramp; left in place, they hide tenants from the comparison for good. */
export function TestTenantsReminder({ since }: { since: string | null }) {
  return (
    <div data-testid="test-tenants-reminder" role="status" className="rounded-lg border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-950">
      <p>
        <span className="font-semibold">Test tenants are scaffolding:</span> the ramp is at 100% and this flag still has the targets
        set {since ? `on ${formatAbsolute(since)}` : "before it"}. Remove them.{" "}
        <a href="#test-tenants" className="whitespace-nowrap font-semibold text-amber-900 underline hover:text-amber-700">
          Test tenants →
        </a>
      </p>
    </div>
  );
}
