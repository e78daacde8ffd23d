"use client";

import { parseAsString, useQueryStates } from "nuqs";
import { DEFAULT_ENVIRONMENT } from "@/lib/environments/default-environment";
import { envSearchParams } from "@/lib/pages/search-params";

export interface EnvironmentOption {
  key: string;
  name: string;
}

export function EnvironmentSwitcher({ environments }: { environments: EnvironmentOption[] }) {
  // An audit cursor points into one environment's history, so a switch starts from the newest page.
  const [{ env }, setParams] = useQueryStates({ env: envSearchParams.env, cursor: parseAsString });
  const isProduction = env === DEFAULT_ENVIRONMENT;
  return (
    <label className="flex items-center gap-2 text-sm text-slate-600">
      <span className="max-sm:sr-only">Environment</span>
      <select
        value={env}
        onChange={(event) => void setParams({ env: event.target.value, cursor: null }, { shallow: false, history: "push" })}
        className={`rounded border px-2 py-1.5 text-sm font-semibold ${
          isProduction ? "border-amber-400 bg-amber-50 text-amber-900" : "border-slate-300 bg-white text-slate-900"
        }`}
      >
        {environments.map((environment) => (
          <option key={environment.key} value={environment.key}>
            {environment.name}
          </option>
        ))}
        {environments.some((environment) => environment.key === env) ? null : <option value={env}>{env}</option>}
      </select>
    </label>
  );
}
