"use client";

import { useQuery } from "@tanstack/react-query";
import type { TeardownView } from "@/components/flag/flag-api";
import { formatTeardownStage } from "@/components/ui/format";
import { teardownQuery } from "./lifecycle-queries";
import { TeardownStrip } from "./teardown-strip";

interface TeardownDetailsProps {
  flagKey: string;
  env: string;
  initialTeardown: TeardownView;
  /** Open where the teardown is the work at hand (at 100%, archived); a one-line summary otherwise. */
  open: boolean;
}

/** The teardown at every stage: its current stage in the summary, the four steps inside. */
export function TeardownDetails({ flagKey, env, initialTeardown, open }: TeardownDetailsProps) {
  // The strip inside polls this query; the summary reads the same cache.
  const { data } = useQuery({ ...teardownQuery({ key: flagKey, env }), initialData: initialTeardown, staleTime: Infinity });
  const teardown = data.key === flagKey && data.environment === env ? data : initialTeardown;
  return (
    <details open={open} data-testid="teardown-details" className="group mb-8 rounded-lg border border-slate-200 bg-white">
      <summary className="cursor-pointer list-none px-4 py-3 text-sm marker:hidden">
        <span aria-hidden="true" className="mr-2 inline-block text-slate-500 transition-transform group-open:rotate-90">▸</span>
        <span className="font-semibold">Teardown in {env}</span>
        <span data-testid="teardown-summary-stage" className="ml-2 text-slate-600">
          {formatTeardownStage(teardown.stage)} · {teardown.completed} of 4 done
        </span>
      </summary>
      <div className="border-t border-slate-200 px-4 pt-4">
        <TeardownStrip flagKey={flagKey} env={env} initialTeardown={initialTeardown} />
      </div>
    </details>
  );
}
