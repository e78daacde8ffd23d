import type { Metadata } from "next";
import Link from "next/link";
import { AuditTrail } from "@/components/audit/audit-trail";
import { PageHeader } from "@/components/ui/page-header";
import { listAuditEvents } from "@/lib/audit-trail/list-audit-events";
import { auditQuerySchema } from "@/lib/audit-trail/schemas";
import { consolePage } from "@/lib/pages/console-page";
import { auditHref, loadAuditSearchParams } from "@/lib/pages/search-params";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Audit" };

const PAGE_SIZE = 50;

export default consolePage({ search: loadAuditSearchParams }, async function AuditPage({ db, search: { env, flag, cursor } }) {
  const query = auditQuerySchema.safeParse({ env, flag: flag ?? undefined, cursor: cursor ?? undefined, limit: PAGE_SIZE });
  if (!query.success) {
    return (
      <>
        <PageHeader title="Audit" />
        <p role="alert" className="rounded border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-800">
          Invalid filter: {query.error.issues.map((issue) => `${issue.path.join(".")} ${issue.message}`).join("; ")}.{" "}
          <Link href={auditHref("/audit", { env })} className="font-semibold underline">Show all events</Link>
        </p>
      </>
    );
  }
  const { events, nextCursor } = await listAuditEvents({ db, query: query.data });

  return (
    <>
      <PageHeader
        title="Audit"
        subtitle={
          <>
            Every change in {env}
            {flag ? <> to <span className="font-mono">{flag}</span></> : null}, newest first.
            {flag ? <> <Link href={auditHref("/audit", { env })} className="text-blue-700 hover:underline">Show all flags</Link></> : null}
          </>
        }
      />
      <AuditTrail events={events} env={env} showFlag={!flag} />
      <nav aria-label="Audit pages" className="mt-4 flex justify-between text-sm">
        {cursor ? <Link href={auditHref("/audit", { env, flag })} className="text-blue-700 hover:underline">← Newest events</Link> : <span />}
        {nextCursor ? (
          <Link href={auditHref("/audit", { env, flag, cursor: nextCursor })} className="font-semibold text-blue-700 hover:underline">
            Older events →
          </Link>
        ) : null}
      </nav>
    </>
  );
});
