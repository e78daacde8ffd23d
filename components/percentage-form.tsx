"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { ApiErrorBanner } from "./api-error-banner";
import { formatPercentage } from "./format";
import { useRampPercentage } from "./use-flag-mutations";

const RAMP_STEPS = [1, 5, 25, 50, 100];

interface PercentageFormProps {
  flagKey: string;
  env: string;
  percentage: number;
  /** The state version this page shows, sent as If-Match. */
  version: number;
  killed: boolean;
}

export function PercentageForm({ flagKey, env, percentage, version, killed }: PercentageFormProps) {
  const router = useRouter();
  const [value, setValue] = useState(String(percentage));
  const [reason, setReason] = useState("");
  const ramp = useRampPercentage({ flagKey, env, version });
  const error = ramp.error;
  const percentageError = error?.fieldMessage("percentage");
  const stale = error?.code === "version_conflict";

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    ramp.mutate({ percentage: value.trim() === "" ? Number.NaN : Number(value), reason: reason.trim() || undefined });
  }

  return (
    <form onSubmit={submit} noValidate className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
      <h2 className="text-lg font-semibold">Ramp</h2>
      {killed ? (
        <p className="mt-1 text-sm text-slate-600">The flag is killed; restore it before changing the percentage.</p>
      ) : (
        <p className="mt-1 text-sm text-slate-600">Share of {env} traffic on the new path, keyed by the rollout attribute.</p>
      )}
      <fieldset disabled={killed || ramp.isPending} className="mt-3 space-y-3 disabled:opacity-60">
        <div className="flex flex-wrap gap-2">
          {RAMP_STEPS.map((step) => (
            <button
              key={step}
              type="button"
              onClick={() => setValue(String(step))}
              aria-pressed={Number(value) === step}
              className={`rounded border px-3 py-1.5 text-sm font-medium tabular-nums ${
                Number(value) === step ? "border-slate-900 bg-slate-900 text-white" : "border-slate-300 bg-white hover:bg-slate-50"
              }`}
            >
              {formatPercentage(step)}
            </button>
          ))}
        </div>
        <label className="block text-sm">
          <span className="text-slate-700">Percentage (0–100, up to two decimals)</span>
          <div className="mt-1 flex items-center gap-2">
            <input
              type="number"
              name="percentage"
              min={0}
              max={100}
              step={0.01}
              value={value}
              onChange={(event) => setValue(event.target.value)}
              aria-invalid={percentageError ? true : undefined}
              className={`w-32 rounded border px-2 py-1.5 font-mono ${percentageError ? "border-red-500" : "border-slate-300"}`}
            />
            <span className="text-slate-500">%</span>
          </div>
          {percentageError ? <span className="mt-1 block text-red-700">{percentageError}</span> : null}
        </label>
        <label className="block text-sm">
          <span className="text-slate-700">Reason (optional)</span>
          <input
            type="text"
            name="reason"
            maxLength={1000}
            value={reason}
            onChange={(event) => setReason(event.target.value)}
            placeholder="e.g. legacy vs new p99 flat for 24 h"
            className="mt-1 w-full rounded border border-slate-300 px-2 py-1.5"
          />
        </label>
        <button type="submit" className="rounded bg-slate-900 px-4 py-2 text-sm font-semibold text-white hover:bg-slate-700">
          {ramp.isPending ? "Saving…" : `Set to ${value.trim() === "" ? "…" : formatPercentage(Number(value))}`}
        </button>
      </fieldset>
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
