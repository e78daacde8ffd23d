import type { ReactNode } from "react";
import { formatCount, formatMs, formatPct, PATH_COLORS } from "@/components/charts/path-chart-data";
import type { FlagMetrics } from "./flag-api";

/** Slower than this, relative to legacy p99, and the new path's latency turns red. */
const P99_REGRESSION_THRESHOLD = 0.1;

interface PathHeadlineProps {
  totals: FlagMetrics["totals"];
  newShare: FlagMetrics["newShare"];
}

/** The three numbers an engineer reads before the next ramp step: share, p99 delta, error-rate delta. */
export function PathHeadline({ totals, newShare }: PathHeadlineProps) {
  const requests = totals.new.requests + totals.legacy.requests;
  const p99 = delta(totals.new.p99, totals.legacy.p99);
  const p99Regressed = p99 !== null && totals.legacy.p99 !== null && totals.legacy.p99 > 0 && p99 / totals.legacy.p99 > P99_REGRESSION_THRESHOLD;
  const errorPp = delta(percentOf(totals.new.errorRate), percentOf(totals.legacy.errorRate));

  return (
    <dl className="grid gap-3 sm:grid-cols-3">
      <Stat label="Share on the new path" tone={newShare === null ? "none" : "ok"} detail={requests > 0 ? `of ${formatCount(requests)} requests` : "no requests yet"}>
        <span data-testid="new-path-share" style={{ color: newShare === null ? undefined : PATH_COLORS.new }}>
          {newShare === null ? "—" : formatShare(newShare)}
        </span>
      </Stat>
      <Stat
        label="p99, new − legacy"
        tone={p99 === null ? "none" : p99Regressed ? "bad" : "ok"}
        detail={`new ${formatMs(totals.new.p99)} · legacy ${formatMs(totals.legacy.p99)}`}
      >
        {p99 === null ? "—" : (
          <>
            {signed(Math.round(p99))} ms
            {totals.legacy.p99 ? <span className="ml-1.5 text-base font-semibold">({signed(round1((p99 / totals.legacy.p99) * 100))}%)</span> : null}
          </>
        )}
      </Stat>
      <Stat
        label="Error rate, new − legacy"
        tone={errorPp === null ? "none" : errorPp > 0 ? "bad" : "ok"}
        detail={`new ${formatPct(percentOf(totals.new.errorRate))} · legacy ${formatPct(percentOf(totals.legacy.errorRate))}`}
      >
        {errorPp === null ? "—" : `${signed(Number(errorPp.toFixed(2)))} pp`}
      </Stat>
    </dl>
  );
}

const TONES = { none: "text-slate-400", ok: "text-slate-900", bad: "text-red-700" } as const;

function Stat({ label, detail, tone = "ok", children }: { label: string; detail: string; tone?: keyof typeof TONES; children: ReactNode }) {
  return (
    <div className={`rounded-lg border px-4 py-3 shadow-sm ${tone === "bad" ? "border-red-300 bg-red-50" : "border-slate-200 bg-white"}`}>
      <dt className="text-xs font-semibold text-slate-600">{label}</dt>
      <dd className={`mt-1 font-mono text-3xl font-bold tabular-nums ${TONES[tone]}`}>{children}</dd>
      <dd className="mt-1 text-xs text-slate-600">{detail}</dd>
    </div>
  );
}

function delta(next: number | null, legacy: number | null): number | null {
  return next === null || legacy === null ? null : next - legacy;
}

function percentOf(rate: number | null): number | null {
  return rate === null ? null : rate * 100;
}

function formatShare(share: number): string {
  const pct = share * 100;
  return `${pct > 0 && pct < 10 ? pct.toFixed(2) : pct.toFixed(1)}%`;
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}

/** "+12", "−3", "0": a delta always says which way it went. */
function signed(n: number): string {
  if (n > 0) return `+${n}`;
  if (n < 0) return `−${Math.abs(n)}`;
  return "0";
}
