import type { Metadata } from "next";
import Link from "next/link";
import { AuditFilters } from "@/components/audit/audit-filters";
import { AuditTrail } from "@/components/audit/audit-trail";
import { PageHeader } from "@/components/ui/page-header";
import { listAuditActions, listAuditEvents } from "@/lib/audit-trail/list-audit-events";
import { auditQuerySchema } from "@/lib/audit-trail/schemas";
import { listEnvironments } from "@/lib/environments/environment-store";
import { consolePage } from "@/lib/pages/console-page";
import { auditHref, loadAuditSearchParams } from "@/lib/pages/search-params";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Audit" };

const PAGE_SIZE = 50;

export default consolePage({ search: loadAuditSearchParams }, async function AuditPage({ db, search }) {
  // The filter form submits empty fields too; an empty filter means no filter.
  const filters = {
    env: search.env,
    flag: search.flag || null,
    actor: search.actor?.trim() || null,
    action: search.action || null,
    from: search.from || null,
    to: search.to || null,
  };
  const cursor = search.cursor || null;
  const [environments, actions] = await Promise.all([listEnvironments(db), listAuditActions({ db })]);
  const query = auditQuerySchema.safeParse({
    ...Object.fromEntries(Object.entries(filters).filter(([, value]) => value !== null)),
    cursor: cursor ?? undefined,
    limit: PAGE_SIZE,
  });
  const errors = query.success ? {} : Object.fromEntries(query.error.issues.map((issue) => [String(issue.path[0]), issue.message]));
  const filterForm = (
    <AuditFilters values={filters} environments={environments.map(({ key, name }) => ({ key, name }))} actions={actions} errors={errors} />
  );

  if (!query.success) {
    return (
      <>
        <PageHeader title="Audit" />
        {filterForm}
        <p role="alert" className="rounded border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-800">
          Invalid filter: {query.error.issues.map((issue) => `${issue.path.join(".")} ${issue.message}`).join("; ")}.{" "}
          <Link href={auditHref("/audit", { env: filters.env })} className="font-semibold underline">Show all events</Link>
        </p>
      </>
    );
  }
  const { events, nextCursor } = await listAuditEvents({ db, query: query.data });
  const filtered = filters.flag || filters.actor || filters.action || filters.from || filters.to;

  return (
    <>
      <PageHeader
        title="Audit"
        subtitle={
          <>
            Every change in {filters.env}
            {filters.flag ? <> to <span className="font-mono">{filters.flag}</span></> : null}
            {filtered ? " that matches the filters" : ""}, newest first.
          </>
        }
      />
      {filterForm}
      <AuditTrail events={events} env={filters.env} showFlag={!filters.flag} emptyMessage={filtered ? "No audit events match these filters." : undefined} />
      <nav aria-label="Audit pages" className="mt-4 flex justify-between text-sm">
        {cursor ? <Link href={auditHref("/audit", filters)} className="text-blue-700 hover:underline">← Newest events</Link> : <span />}
        {nextCursor ? (
          <Link href={auditHref("/audit", { ...filters, cursor: nextCursor })} className="font-semibold text-blue-700 hover:underline">
            Older events →
          </Link>
        ) : null}
      </nav>
    </>
  );
});
