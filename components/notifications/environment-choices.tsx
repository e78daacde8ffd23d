"use client";

import { useState } from "react";
import type { EnvironmentOption } from "@/components/shell/environment-switcher";

interface EnvironmentChoicesProps {
  idPrefix: string;
  environments: EnvironmentOption[];
  /** null: every environment, those added later included. */
  chosen: readonly string[] | null;
  error?: string;
}

/** "All environments", or the ones picked (`environments` in the form); `environmentScope` says which. */
export function EnvironmentChoices({ idPrefix, environments, chosen, error }: EnvironmentChoicesProps) {
  const [scope, setScope] = useState<"all" | "some">(chosen === null ? "all" : "some");
  const errorId = `${idPrefix}-environments-error`;
  return (
    <fieldset className="text-sm" aria-describedby={error ? errorId : undefined}>
      <legend className="font-medium text-slate-800">Environments</legend>
      <div className="mt-1 flex flex-wrap gap-x-4 gap-y-1">
        <label className="flex items-center gap-2 py-0.5">
          <input type="radio" name="environmentScope" value="all" checked={scope === "all"} onChange={() => setScope("all")} className="size-4" />
          All environments
        </label>
        <label className="flex items-center gap-2 py-0.5">
          <input type="radio" name="environmentScope" value="some" checked={scope === "some"} onChange={() => setScope("some")} className="size-4" />
          Only these:
        </label>
      </div>
      {scope === "some" ? (
        <ul aria-label="Environments to hear about" className="mt-1 flex flex-wrap gap-x-4 gap-y-1 border-l-2 border-slate-200 pl-3">
          {environments.map((environment) => (
            <li key={environment.key}>
              <label className="flex items-center gap-2 py-0.5">
                <input type="checkbox" name="environments" value={environment.key} defaultChecked={chosen?.includes(environment.key) ?? false} className="size-4" />
                {environment.name}
              </label>
            </li>
          ))}
        </ul>
      ) : null}
      {error ? <p id={errorId} className="mt-1 text-red-700">{error}</p> : null}
    </fieldset>
  );
}
