"use client";

import { useMemo } from "react";
import { IndexScansChart } from "@/components/charts/index-scans-chart";
import type { Evidence, IndexUsage } from "@/lib/app-db/database-evidence";
import { indexScanPoints, resetGaps, type PercentagePoint } from "@/lib/pages/database-evidence-view";
import { EvidenceSection } from "./database-evidence-section";

interface DatabaseIndexUsageProps {
  usage: Evidence<IndexUsage>;
  readAt: string;
  /** The rollout percentage over the same window; null while it loads. */
  percentage: PercentagePoint[] | null;
  window: { from: number; to: number };
}

/** The new index's scans per minute beside the rollout percentage: they should climb together. */
export function DatabaseIndexUsage({ usage, readAt, percentage, window }: DatabaseIndexUsageProps) {
  return (
    <EvidenceSection id="index-usage" title="New index usage" evidence={usage} readAt={readAt} asOf={(checked) => checked.lastSampledAt} caveat={(checked) => checked.caveat}>
      {(checked) => <IndexUsageBody usage={checked} percentage={percentage} window={window} />}
    </EvidenceSection>
  );
}

function IndexUsageBody({ usage, percentage, window }: { usage: IndexUsage; percentage: PercentagePoint[] | null; window: { from: number; to: number } }) {
  const points = useMemo(() => indexScanPoints(usage.rates), [usage.rates]);
  const resets = useMemo(() => resetGaps(usage.rates), [usage.rates]);
  return (
    <>
      <p className="mb-3 text-sm text-slate-700">
        Scans of <code className="font-mono">{usage.index}</code> on <code className="font-mono">{usage.table}</code> should climb as the rollout percentage rises.
      </p>
      <IndexScansChart index={usage.index} points={points} percentage={percentage ?? []} resets={resets} from={window.from} to={window.to} />
    </>
  );
}
