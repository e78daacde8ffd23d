"use client";

import { useMemo } from "react";
import { EVIDENCE_COLORS } from "@/components/charts/evidence-chart-parts";
import { MinuteBarsChart } from "@/components/charts/minute-bars-chart";
import type { Evidence, LockWaits } from "@/lib/app-db/database-evidence";
import { evidenceWindow, lockWaitPoints, lockWaitsText } from "@/lib/pages/database-evidence-view";
import { EvidenceSection } from "./database-evidence-section";

const WAIT_SERIES = [
  { key: "waitingSamples" as const, label: "Samples with a wait", color: EVIDENCE_COLORS.waits },
  { key: "maxWaiting" as const, label: "Most sessions waiting", color: EVIDENCE_COLORS.writes },
];

/** Sessions waiting on a lock on the contracted table, per minute; a chart only once any waited. */
export function DatabaseLockWaits({ lockWaits, readAt }: { lockWaits: Evidence<LockWaits>; readAt: string }) {
  return (
    <EvidenceSection id="lock-waits" title="Lock waits" evidence={lockWaits} readAt={readAt} asOf={(checked) => checked.lastSampledAt} caveat={(checked) => checked.caveat}>
      {(checked) => <LockWaitsBody lockWaits={checked} asOf={Date.parse(readAt)} />}
    </EvidenceSection>
  );
}

function LockWaitsBody({ lockWaits, asOf }: { lockWaits: LockWaits; asOf: number }) {
  const points = useMemo(() => lockWaitPoints(lockWaits.minutes), [lockWaits.minutes]);
  const window = useMemo(() => evidenceWindow(asOf, points.map((point) => point.t)), [asOf, points]);
  const text = lockWaitsText(lockWaits);
  const waited = points.some((point) => point.waitingSamples > 0);
  return (
    <>
      <p data-testid="lock-waits-text" className="text-sm text-slate-800">{text}</p>
      {waited ? (
        <div className="mt-3">
          <MinuteBarsChart testId="chart-lock-waits" title={`Lock waits on ${lockWaits.table} per minute`} note="sampled every 5 s" series={WAIT_SERIES} points={points} summary={text} empty={null} from={window.from} to={window.to} />
        </div>
      ) : null}
    </>
  );
}
