"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { ApiErrorBanner } from "@/components/ui/api-error-banner";
import { formatPercentage } from "@/components/ui/format";
import { ReasonInput } from "@/components/ui/reason-input";
import type { MetricsWindow } from "@/lib/metrics/read-flag-metrics";
import { useRampPercentage } from "./use-flag-mutations";
import { useFlagMetrics } from "./use-flag-metrics";

import { RAMP_STEPS, skippedRampSteps } from "@/lib/flags/ramp-steps";

interface PercentageFormProps {
  flagKey: string;
  env: string;
  percentage: number;
  /** The state version this page shows, sent as If-Match. */
  version: number;
  killed: boolean;
  /** The metrics view's window, so the form reads the same query for its warning. */
  metricsWindow: MetricsWindow;
}

/** Pick a target (preset, slider or exact number), then confirm "from → to" before the PATCH goes out. */
export function PercentageForm({ flagKey, env, percentage, version, killed, metricsWindow }: PercentageFormProps) {
  const router = useRouter();
  const headlineNow = useFlagMetrics({ flagKey, env, window: metricsWindow }).data?.headline.now;
  // Red by the headline's rule (headline-verdict.ts): what ramping up would send more users into.
  const regressions = headlineNow && headlineNow.basis !== "killed"
    ? [headlineNow.p99, headlineNow.errorRate].filter((verdict) => verdict.tone === "regressed").map((verdict) => verdict.reason)
    : [];
  const [value, setValue] = useState(String(percentage));
  const [reason, setReason] = useState("");
  const [confirming, setConfirming] = useState(false);
  const [skipAcknowledged, setSkipAcknowledged] = useState(false);
  const ramp = useRampPercentage({ flagKey, env, version });
  const target = parsePercentage(value);
  const error = ramp.error;
  const percentageError = (confirming ? undefined : draftError(value, target)) ?? error?.fieldMessage("percentage");
  const stale = error?.code === "version_conflict";
  // After success the page refreshes and remounts this; until then a second click would only repeat it.
  const busy = ramp.isPending || ramp.isSuccess;
  const unchanged = target === percentage;
  const skipped = target === null ? [] : skippedRampSteps(percentage, target);
  const skipsText = skipped.length > 0 ? `skips ${skipped.map(formatPercentage).join(", ")}` : null;

  function choose(next: string) {
    setValue(next);
    ramp.reset();
  }

  function review(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (target === null || unchanged) return;
    ramp.reset();
    setSkipAcknowledged(false);
    setConfirming(true);
  }

  function confirm() {
    if (target === null) return;
    ramp.mutate({ percentage: target, reason: reason.trim() || undefined }, { onError: () => setConfirming(false) });
  }

  return (
    <form id="ramp" onSubmit={review} noValidate className="scroll-mt-24 rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
      <h2 className="text-lg font-semibold">Ramp</h2>
      {killed ? (
        <p className="mt-1 text-sm text-slate-600">The flag is killed; restore it before changing the percentage.</p>
      ) : (
        <p className="mt-1 text-sm text-slate-600">Share of {env} traffic on the new path, keyed by the rollout attribute.</p>
      )}
      <fieldset disabled={killed || confirming || busy} className="mt-3 space-y-3 disabled:opacity-60">
        <div className="flex flex-wrap gap-1.5">
          {RAMP_STEPS.map((step) => (
            <button
              key={step}
              type="button"
              onClick={() => choose(String(step))}
              aria-pressed={target === step}
              className={`min-w-12 rounded border px-2.5 py-1.5 text-sm font-medium tabular-nums ${
                target === step ? "border-indigo-700 bg-indigo-700 text-white" : "border-slate-300 bg-white hover:bg-slate-50"
              }`}
            >
              {formatPercentage(step)}
            </button>
          ))}
        </div>
        <div className="flex items-center gap-3">
          <input
            type="range"
            data-testid="percentage-slider"
            aria-label="Percentage on the new path"
            min={0}
            max={100}
            step={1}
            value={target ?? percentage}
            onChange={(event) => choose(event.target.value)}
            className="h-2 flex-1 cursor-pointer accent-indigo-700"
          />
          <label className="flex items-center gap-1 text-sm">
            <span className="sr-only">Percentage (0–100, up to two decimals)</span>
            <input
              type="number"
              name="percentage"
              min={0}
              max={100}
              step={0.01}
              value={value}
              onChange={(event) => choose(event.target.value)}
              aria-invalid={percentageError ? true : undefined}
              className={`w-24 rounded border px-2 py-1.5 text-right font-mono ${percentageError ? "border-red-500" : "border-slate-300"}`}
            />
            <span className="text-slate-500">%</span>
          </label>
        </div>
        {percentageError ? <p className="text-sm text-red-700">{percentageError}</p> : null}
        {skipsText && !unchanged ? (
          <p data-testid="ramp-skips" className="text-sm text-amber-900">
            {formatPercentage(percentage)} → {formatPercentage(target!)} {skipsText} of the standard ramp {RAMP_STEPS.map(formatPercentage).join(" → ")}.
          </p>
        ) : null}
        {!confirming ? (
          <button
            type="submit"
            disabled={target === null || unchanged}
            className="w-full rounded bg-slate-900 px-4 py-2 text-sm font-semibold text-white hover:bg-slate-700 disabled:cursor-not-allowed disabled:bg-slate-400"
          >
            {target === null || unchanged ? `At ${formatPercentage(percentage)}` : `Ramp to ${formatPercentage(target)}…`}
          </button>
        ) : null}
      </fieldset>

      {confirming && target !== null ? (
        <div className="mt-3 rounded-lg border-2 border-indigo-600 bg-indigo-50 p-3">
          <p className="text-sm font-semibold text-indigo-950">
            Ramp {flagKey} in {env} from {formatPercentage(percentage)} to {formatPercentage(target)}?
          </p>
          {target < percentage ? (
            <p className="mt-1 text-sm text-indigo-900">Lowering moves some users from the new path back to the legacy path.</p>
          ) : null}
          {target > percentage && regressions.length > 0 ? (
            <p data-testid="ramp-headline-warning" className="mt-2 rounded border border-red-300 bg-red-50 p-2 text-sm text-red-900">
              The new path is worse than the legacy path now: {regressions.join("; ")}. Ramping up sends more users to it.
            </p>
          ) : null}
          {skipsText ? (
            <label className="mt-2 flex items-start gap-2 text-sm text-amber-950">
              <input
                type="checkbox"
                data-testid="ramp-skip-acknowledge"
                checked={skipAcknowledged}
                onChange={(event) => setSkipAcknowledged(event.target.checked)}
                className="mt-0.5"
              />
              <span>This {skipsText} of the standard ramp; I mean to skip {skipped.length === 1 ? "it" : "them"}.</span>
            </label>
          ) : null}
          <ReasonInput label="Why this step (optional)" placeholder="e.g. legacy vs new p99 flat for 24 h" value={reason} onChange={setReason} />
          <div className="mt-3 flex gap-2">
            <button
              type="button"
              data-testid="ramp-confirm"
              autoFocus
              disabled={busy || (skipsText !== null && !skipAcknowledged)}
              onClick={confirm}
              className="flex-1 rounded bg-indigo-700 px-4 py-2 text-sm font-bold text-white hover:bg-indigo-800 disabled:opacity-60"
            >
              {busy ? "Ramping…" : "Confirm"}
            </button>
            <button
              type="button"
              disabled={busy}
              onClick={() => setConfirming(false)}
              className="rounded border border-slate-300 bg-white px-4 py-2 text-sm font-medium hover:bg-slate-50 disabled:opacity-60"
            >
              Cancel
            </button>
          </div>
        </div>
      ) : null}

      {error ? (
        <div className="mt-3 space-y-2">
          <ApiErrorBanner error={error} shownPaths={["percentage", ...(stale ? ["If-Match"] : [])]} />
          {stale ? (
            <button type="button" onClick={() => router.refresh()} className="text-sm font-semibold text-blue-700 hover:underline">
              Someone changed this flag since the page loaded. Reload the current state
            </button>
          ) : null}
        </div>
      ) : null}
      {ramp.data && !ramp.data.changed ? <p className="mt-3 text-sm text-slate-600">Already at {formatPercentage(ramp.data.state.percentage)}; nothing changed.</p> : null}
    </form>
  );
}

/** The typed value as a percentage the API accepts (0–100, two decimals), or null. */
function parsePercentage(value: string): number | null {
  if (value.trim() === "") return null;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 100) return null;
  return Math.abs(Math.round(n * 100) - n * 100) < 1e-6 ? n : null;
}

function draftError(value: string, target: number | null): string | undefined {
  if (target !== null || value.trim() === "") return undefined;
  return "Enter 0–100 with at most two decimals.";
}
