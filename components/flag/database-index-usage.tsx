"use client";

import { useMemo } from "react";
import { IndexScansChart } from "@/components/charts/index-scans-chart";
import type { Evidence, IndexUsage } from "@/lib/app-db/database-evidence";
import { evidenceWindow, indexScanPoints, percentageSteps, resetGaps } from "@/lib/pages/database-evidence-view";
import { EvidenceSection } from "./database-evidence-section";
import type { PercentageHistory } from "./use-database-evidence";

interface DatabaseIndexUsageProps {
  usage: Evidence<IndexUsage>;
  readAt: string;
  /** The rollout percentage's changes, drawn over the same span; null while they load. */
  percentage: PercentageHistory | null;
}

/** The new index's scans per minute beside the rollout percentage: they should climb together. */
export function DatabaseIndexUsage({ usage, readAt, percentage }: DatabaseIndexUsageProps) {
  return (
    <EvidenceSection id="index-usage" title="New index usage" evidence={usage} readAt={readAt} asOf={(checked) => checked.lastSampledAt} caveat={(checked) => checked.caveat}>
      {(checked) => <IndexUsageBody usage={checked} percentage={percentage} asOf={Date.parse(readAt)} />}
    </EvidenceSection>
  );
}

function IndexUsageBody({ usage, percentage, asOf }: { usage: IndexUsage; percentage: PercentageHistory | null; asOf: number }) {
  const points = useMemo(() => indexScanPoints(usage.rates), [usage.rates]);
  const resets = useMemo(() => resetGaps(usage.rates), [usage.rates]);
  const window = useMemo(() => evidenceWindow(asOf, [...points.map((point) => point.t), ...resets.map((reset) => reset.from)]), [asOf, points, resets]);
  const steps = useMemo(() => (percentage ? percentageSteps(percentage.changes, percentage.current, window.from, window.to) : []), [percentage, window]);
  return (
    <>
      <p className="mb-3 text-sm text-slate-700">
        Scans of <code className="font-mono">{usage.index}</code> on <code className="font-mono">{usage.table}</code> should climb as the rollout percentage rises.
      </p>
      <IndexScansChart index={usage.index} points={points} percentage={steps} resets={resets} from={window.from} to={window.to} />
    </>
  );
}
