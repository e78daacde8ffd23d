import type { FleetTotals, FleetWindow } from "@/lib/metrics/fleet-health";

const WINDOW_PHRASES: Record<FleetWindow, string> = { "15m": "the last 15 minutes", "1h": "the last hour", "24h": "the last 24 hours" };

export function windowPhrase(window: FleetWindow): string {
  return WINDOW_PHRASES[window];
}

/** "1.2%", "0.15%", "<0.01%": small shares still read as not zero. */
export function formatShare(share: number | null): string {
  if (share === null) return "—";
  const pct = share * 100;
  if (pct === 0) return "0%";
  if (pct < 0.01) return "<0.01%";
  return `${pct < 1 ? pct.toFixed(2) : pct.toFixed(1)}%`;
}

/** "3 instances dropped samples in the last hour (1.2% of samples)", the same words on both pages. */
export function describeDrops(totals: Pick<FleetTotals, "droppingInstances" | "droppedShare">, window: FleetWindow): string {
  const n = totals.droppingInstances;
  return `${n.toLocaleString("en")} ${n === 1 ? "instance" : "instances"} dropped samples in ${windowPhrase(window)} (${formatShare(totals.droppedShare)} of samples)`;
}
