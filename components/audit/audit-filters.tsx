import Link from "next/link";
import { FormField } from "@/components/ui/form-field";
import { SelectField } from "@/components/ui/select-field";

export interface AuditFilterValues {
  env: string;
  flag: string | null;
  actor: string | null;
  action: string | null;
  from: string | null;
  to: string | null;
}

interface AuditFiltersProps {
  values: AuditFilterValues;
  environments: { key: string; name: string }[];
  actions: string[];
  /** Field → message, from the same schema the API validates with. */
  errors: Record<string, string>;
}

/** A plain GET form: the filters live in the URL, so a link reproduces what an on-call engineer saw. */
export function AuditFilters({ values, environments, actions, errors }: AuditFiltersProps) {
  return (
    <form method="get" action="/audit" aria-label="Filter audit events" className="mb-4 rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-3">
        <SelectField name="env" label="Environment" defaultValue={values.env} error={errors.env}>
          {environments.map((environment) => (
            <option key={environment.key} value={environment.key}>{environment.name}</option>
          ))}
          {environments.some((environment) => environment.key === values.env) ? null : <option value={values.env}>{values.env}</option>}
        </SelectField>
        <FormField name="flag" label="Flag" defaultValue={values.flag ?? ""} placeholder="flag key" error={errors.flag} className="font-mono" />
        <FormField name="actor" label="Actor" defaultValue={values.actor ?? ""} placeholder="email or token name, or part of one" error={errors.actor} />
        <SelectField name="action" label="Action" defaultValue={values.action ?? ""} error={errors.action}>
          <option value="">Any action</option>
          {actions.map((action) => <option key={action} value={action}>{action}</option>)}
          {values.action && !actions.includes(values.action) ? <option value={values.action}>{values.action}</option> : null}
        </SelectField>
        <FormField name="from" label="From (UTC)" type="datetime-local" defaultValue={values.from ?? ""} error={errors.from} />
        <FormField name="to" label="To (UTC)" type="datetime-local" defaultValue={values.to ?? ""} error={errors.to} />
      </div>
      <div className="mt-3 flex items-center gap-4">
        <button type="submit" className="rounded bg-slate-900 px-4 py-1.5 text-sm font-semibold text-white hover:bg-slate-700">Apply filters</button>
        <Link href={`/audit?env=${encodeURIComponent(values.env)}`} className="text-sm text-blue-700 hover:underline">Clear filters</Link>
      </div>
    </form>
  );
}
