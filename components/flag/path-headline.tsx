import type { ReactNode } from "react";
import { formatClock, formatCount, formatMs, formatPct, PATH_COLORS } from "@/components/charts/path-chart-data";
import type { Verdict, VerdictTone } from "@/lib/metrics/headline-verdict";
import type { FlagMetrics } from "./flag-api";

type Headline = FlagMetrics["headline"];
type Comparison = Headline["window"];

interface PathHeadlineProps {
  headline: Headline;
  state: FlagMetrics["state"];
  /** "1h": the window the totals line sums. */
  window: FlagMetrics["window"];
}

/**
 * The numbers an engineer reads before the next ramp step, for now (the last 5 minutes, or since
 * the step or the kill), judged by the headline rule; the whole window's totals on a line below.
 */
export function PathHeadline({ headline, state, window }: PathHeadlineProps) {
  const { now } = headline;
  return (
    <section aria-labelledby="headline-now-heading" data-testid="path-headline" className="space-y-2">
      <h3 id="headline-now-heading" className="text-sm font-semibold text-slate-700">
        Now <span className="font-normal text-slate-500">· {spanLabel(now)}</span>
      </h3>
      <dl className="grid gap-3 sm:grid-cols-3">
        <Stat label="Share on the new path" tone={now.newShare === null ? "insufficient" : "ok"} testId="now-share" detail={shareSentence(state, now.newShare)}>
          <span data-testid="now-new-path-share" style={{ color: now.newShare === null ? undefined : PATH_COLORS.new }}>
            {now.newShare === null ? "—" : formatShare(now.newShare)}
          </span>
        </Stat>
        {now.basis === "killed" ? (
          <Stat label="New path since the kill" tone={now.new.requests > 0 ? "regressed" : "ok"} testId="now-killed" wide detail={killedDetail(now.new.requests)}>
            {now.new.requests === 0 ? "No new-path traffic since the kill" : `${formatCount(now.new.requests)} new-path requests`}
          </Stat>
        ) : (
          <>
            <Stat label="p99, new − legacy" tone={now.p99.tone} testId="now-p99" detail={`new ${formatMs(now.new.p99)} · legacy ${formatMs(now.legacy.p99)} · ${now.p99.reason}`}>
              {p99Text(now.p99, now.legacy.p99)}
            </Stat>
            <Stat
              label="Error rate, new − legacy"
              tone={now.errorRate.tone}
              testId="now-errors"
              detail={`new ${formatPct(percentOf(now.new.errorRate))} · legacy ${formatPct(percentOf(now.legacy.errorRate))} · ${now.errorRate.reason}`}
            >
              {ppText(now.errorRate)}
            </Stat>
          </>
        )}
      </dl>
      <WindowTotals comparison={headline.window} window={window} />
    </section>
  );
}

/** The whole window's totals in one line, coloured by the same rule: where a fault still shows after it is fixed. */
function WindowTotals({ comparison, window }: { comparison: Comparison; window: string }) {
  const requests = comparison.new.requests + comparison.legacy.requests;
  return (
    <p data-testid="headline-window" className="text-xs text-slate-600">
      Whole {window} window:{" "}
      {requests === 0 ? "no requests." : (
        <>
          p99 <Delta verdict={comparison.p99} testId="window-p99">{p99Text(comparison.p99, comparison.legacy.p99)}</Delta> · errors{" "}
          <Delta verdict={comparison.errorRate} testId="window-errors">{ppText(comparison.errorRate)}</Delta> ·{" "}
          <span data-testid="new-path-share">{comparison.newShare === null ? "—" : formatShare(comparison.newShare)}</span> of{" "}
          {formatCount(requests)} requests on the new path.
        </>
      )}
    </p>
  );
}

export const VERDICT_TEXT: Record<VerdictTone, string> = { regressed: "text-red-700", ok: "text-emerald-700", insufficient: "text-slate-500" };

export function Delta({ verdict, testId, children }: { verdict: Verdict; testId?: string; children: ReactNode }) {
  return (
    <span data-testid={testId} data-verdict={verdict.tone} title={verdict.reason} className={`font-mono font-semibold tabular-nums ${VERDICT_TEXT[verdict.tone]}`}>
      {children}
    </span>
  );
}

const STAT_TEXT: Record<VerdictTone, string> = { regressed: "text-red-700", ok: "text-slate-900", insufficient: "text-slate-500" };

function Stat({ label, detail, tone, testId, wide, children }: { label: string; detail: string; tone: VerdictTone; testId: string; wide?: boolean; children: ReactNode }) {
  const frame = tone === "regressed" ? "border-red-300 bg-red-50" : tone === "ok" ? "border-emerald-200 bg-white" : "border-slate-200 bg-white";
  return (
    <div data-testid={testId} data-verdict={tone} className={`rounded-lg border px-4 py-3 shadow-sm ${frame} ${wide ? "sm:col-span-2" : ""}`}>
      <dt className="text-xs font-semibold text-slate-600">{label}</dt>
      <dd className={`mt-1 font-mono font-bold tabular-nums ${wide ? "text-xl" : "text-3xl"} ${STAT_TEXT[tone]}`}>{children}</dd>
      <dd className="mt-1 text-xs text-slate-600">{detail}</dd>
    </div>
  );
}

/** "last 5 min, 12:01–12:06 UTC", "since the step at 12:03 UTC", "since the kill at 12:03 UTC". */
export function spanLabel(now: Headline["now"]): string {
  const range = `${formatClock(Date.parse(now.from))}–${formatClock(Date.parse(now.to))} UTC`;
  if (now.basis === "killed") return `since the kill at ${formatClock(Date.parse(now.since!))} UTC`;
  if (now.basis === "step") return `since this step began at ${formatClock(Date.parse(now.since!))} UTC (${range})`;
  return `last 5 min, ${range}`;
}

/**
 * Why the share of requests differs from the percentage: the percentage counts keyed users, the
 * share counts requests, and pinned and unkeyed requests stay where the flag's default puts them.
 */
export function shareSentence(state: FlagMetrics["state"], newShare: number | null): string {
  if (state.killed) return "Killed: every request takes the legacy path.";
  const users = `${state.percentage}% of keyed users`;
  if (newShare === null) return `${users}; no requests yet.`;
  const requests = `${users}; ${formatShare(newShare)} of all requests`;
  const gap = newShare * 100 - state.percentage;
  if (Math.abs(gap) < 1) return `${requests}.`;
  return gap < 0
    ? `${requests}: pinned and unkeyed traffic stays on legacy, and users differ in how many requests they send.`
    : `${requests}: users differ in how many requests they send, and pins can send traffic to the new path.`;
}

function killedDetail(requests: number): string {
  return requests === 0 ? "Every SDK has the kill: all requests take the legacy path." : "Some SDKs still ran the new path after the kill: they may not have the kill yet.";
}

export function p99Text(verdict: Verdict, legacyP99: number | null): string {
  if (verdict.delta === null) return "—";
  const ratio = legacyP99 ? ` (${signed(round1((verdict.delta / legacyP99) * 100))}%)` : "";
  return `${signed(Math.round(verdict.delta))} ms${ratio}`;
}

export function ppText(verdict: Verdict): string {
  return verdict.delta === null ? "—" : `${signed(Number(verdict.delta.toFixed(2)))} pp`;
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
