import type { ColumnFacts, ColumnsCheck } from "@/lib/app-db/checks/columns-check";
import type { Evidence } from "@/lib/app-db/database-evidence";
import { columnFactsText, columnsVerdictText } from "@/lib/pages/database-evidence-view";
import { EvidenceSection } from "./database-evidence-section";

/** Stage 4's evidence: the old and the new column, there or gone, with their types, as the database has them now. */
export function DatabaseColumns({ columns, readAt }: { columns: Evidence<ColumnsCheck>; readAt: string }) {
  return (
    <EvidenceSection id="columns" title="Columns" evidence={columns} readAt={readAt} asOf={() => readAt} caveat={(check) => check.caveat}>
      {(check) => (
        <>
          <p data-testid="columns-verdict" data-verdict={check.verdict} className="text-sm font-medium text-slate-900">{columnsVerdictText(check)}</p>
          <div className="mt-2 overflow-x-auto">
            <table className="w-full text-sm">
              <caption className="sr-only">The contraction&apos;s columns in {check.table}</caption>
              <thead>
                <tr className="text-left text-xs text-slate-500">
                  <th scope="col" className="py-1 pr-3 font-semibold">Column</th>
                  <th scope="col" className="py-1 pr-3 font-semibold">Role</th>
                  <th scope="col" className="py-1 font-semibold">Type</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                <ColumnRow facts={check.old} role="old, dropped last" />
                {check.new ? <ColumnRow facts={check.new} role="new" /> : null}
              </tbody>
            </table>
          </div>
        </>
      )}
    </EvidenceSection>
  );
}

function ColumnRow({ facts, role }: { facts: ColumnFacts; role: string }) {
  return (
    <tr data-testid="database-column" data-present={facts.present}>
      <th scope="row" className="py-1.5 pr-3 text-left font-mono font-medium break-all">{facts.name}</th>
      <td className="py-1.5 pr-3 text-slate-600">{role}</td>
      <td className={`py-1.5 font-mono text-xs ${facts.present ? "text-slate-900" : "text-slate-500"}`}>{columnFactsText(facts)}</td>
    </tr>
  );
}
