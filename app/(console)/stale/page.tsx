import type { Metadata } from "next";
import { staleFlagsApi } from "@/components/flag/flag-api";
import { StaleFlagsTable, type StaleFlagRow } from "@/components/lifecycle/stale-flags-table";
import { PageHeader } from "@/components/ui/page-header";
import { describeStaleReason, listStaleFlags, NOT_EVALUATED_DAYS } from "@/lib/lifecycle/stale-flags";
import { DEFAULT_STALE_AFTER_DAYS } from "@/lib/flags/ticket-defaults";
import { consolePage } from "@/lib/pages/console-page";
import { loadStaleSearchParams, staleSortOrder } from "@/lib/pages/search-params";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Stale flags" };

export default consolePage({ search: loadStaleSearchParams }, async function StaleFlagsPage({ db, search }) {
  const { env, sort } = search;
  const order = staleSortOrder(sort, search.order);
  const stale = await listStaleFlags({ db, env, sort, order });
  // Worded here, with the rules, so the table and the CSV export say the same thing.
  const staleFlags: StaleFlagRow[] = stale.flags.map((flag) => ({
    ...flag,
    reasons: flag.reasons.map((reason) => ({ kind: reason.kind, text: sentence(describeStaleReason(reason)) })),
  }));

  return (
    <>
      <PageHeader
        title="Stale flags"
        subtitle={
          `Flags in ${env} that outlived their rollout: a served value (0%, 100% or killed) constant for longer than its threshold ` +
          `(${DEFAULT_STALE_AFTER_DAYS} days unless the ticket sets its own), a removal ticket past due, no SDK evaluation for ` +
          `${NOT_EVALUATED_DAYS} days while not archived, or a ramp held past its trigger window whose teardown never finished.`
        }
        actions={
          staleFlags.length > 0 ? (
            <a
              href={staleFlagsApi.csvHref({ env, sort, order })}
              download
              className="rounded border border-slate-300 bg-white px-4 py-2 text-sm font-semibold text-slate-800 hover:bg-slate-50"
            >
              Export CSV
            </a>
          ) : null
        }
      />
      {staleFlags.length === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 bg-white p-10 text-center text-sm text-slate-600">
          Nothing stale in {env}: every flag is either still moving, torn down, or inside its removal plan.
        </p>
      ) : (
        <StaleFlagsTable staleFlags={staleFlags} env={env} sort={sort} order={order} />
      )}
    </>
  );
});

function sentence(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
