"use client";

import { useState, type FormEvent } from "react";
import { ApiErrorBanner } from "@/components/ui/api-error-banner";
import { FormField } from "@/components/ui/form-field";
import { ReasonInput } from "@/components/ui/reason-input";
import { RAMP_PRESETS, rampPresetNames, startingStep, type RampPlan, type RampPresetName } from "@/lib/guard/ramp-plan";
import { useStartGuardedRamp } from "./use-guarded-ramp";

const PRESET_LABELS: Record<RampPresetName, { name: string; hint: string }> = {
  careful: { name: "Careful", hint: "6 steps, 30 min holds" },
  standard: { name: "Standard", hint: "5 steps, 10 min holds" },
  demo: { name: "Demo", hint: "1 min holds" },
};

/** Each field by the request path the API names in its error details. */
const FIELDS = {
  steps: "plan.steps",
  holdMinutes: "plan.holdMinutes",
  p99MaxSlowerPct: "plan.guardrails.p99MaxSlowerPct",
  errorRateMaxPp: "plan.guardrails.errorRateMaxPp",
  minSamplesPerPath: "plan.minSamplesPerPath",
  p95MaxSlowerPct: "plan.guardrails.p95MaxSlowerPct",
  errorRateCeilingPct: "plan.guardrails.errorRateCeilingPct",
  p99CeilingMs: "plan.guardrails.p99CeilingMs",
} as const;
type Field = keyof typeof FIELDS;
type Draft = Record<Field, string>;
const OPTIONAL: Field[] = ["p95MaxSlowerPct", "errorRateCeilingPct", "p99CeilingMs"];

function draftOf(plan: RampPlan): Draft {
  const text = (value: number | undefined) => (value === undefined ? "" : String(value));
  return {
    steps: plan.steps.join(", "),
    holdMinutes: text(plan.holdMinutes),
    p99MaxSlowerPct: text(plan.guardrails.p99MaxSlowerPct),
    errorRateMaxPp: text(plan.guardrails.errorRateMaxPp),
    minSamplesPerPath: text(plan.minSamplesPerPath),
    p95MaxSlowerPct: text(plan.guardrails.p95MaxSlowerPct),
    errorRateCeilingPct: text(plan.guardrails.errorRateCeilingPct),
    p99CeilingMs: text(plan.guardrails.p99CeilingMs),
  };
}

/** The draft as a plan for the API, or the fields that are not numbers; the API checks the rest. */
function parseDraft(draft: Draft): { plan: RampPlan } | { errors: Partial<Record<Field, string>> } {
  const errors: Partial<Record<Field, string>> = {};
  const number = (field: Field): number | undefined => {
    const text = draft[field].trim();
    if (text === "") {
      if (!OPTIONAL.includes(field)) errors[field] = "is required";
      return undefined;
    }
    const value = Number(text);
    if (!Number.isFinite(value)) errors[field] = "must be a number";
    return value;
  };
  const steps = draft.steps.split(/[\s,]+/).filter(Boolean).map(Number);
  if (steps.length === 0 || steps.some((step) => !Number.isFinite(step))) errors.steps = "enter percentages separated by commas, e.g. 1, 5, 25, 50, 100";
  const plan = {
    steps,
    holdMinutes: number("holdMinutes")!,
    minSamplesPerPath: number("minSamplesPerPath")!,
    guardrails: {
      p99MaxSlowerPct: number("p99MaxSlowerPct")!,
      errorRateMaxPp: number("errorRateMaxPp")!,
      p95MaxSlowerPct: number("p95MaxSlowerPct"),
      errorRateCeilingPct: number("errorRateCeilingPct"),
      p99CeilingMs: number("p99CeilingMs"),
    },
  };
  return Object.keys(errors).length > 0 ? { errors } : { plan };
}

/** Where the plan starts: its highest step at or below the flag's percentage, as the API does. */
function startPercentage(steps: readonly number[], percentage: number): number {
  return steps[startingStep(steps, percentage)]!;
}

interface RampPlanEditorProps {
  flagKey: string;
  env: string;
  /** The flag's percentage now: a plan never starts above it. */
  percentage: number;
  onCancel: () => void;
}

/** A plan from a preset or by hand, then a confirm step that says what the guard will do. */
export function RampPlanEditor({ flagKey, env, percentage, onCancel }: RampPlanEditorProps) {
  const [preset, setPreset] = useState<RampPresetName | null>("standard");
  const [draft, setDraft] = useState<Draft>(() => draftOf(RAMP_PRESETS.standard));
  const [localErrors, setLocalErrors] = useState<Partial<Record<Field, string>>>({});
  const [confirming, setConfirming] = useState<RampPlan | null>(null);
  const [reason, setReason] = useState("");
  const start = useStartGuardedRamp({ flagKey, env });
  const busy = start.isPending;

  const fieldError = (field: Field): string | undefined => {
    if (localErrors[field]) return localErrors[field];
    const detail = start.error?.details.find((d) => d.path === FIELDS[field] || d.path.startsWith(`${FIELDS[field]}.`));
    if (!detail) return undefined;
    const index = detail.path.slice(FIELDS[field].length + 1);
    return index && field === "steps" ? `step ${Number(index) + 1}: ${detail.message}` : detail.message;
  };
  const shownPaths = start.error?.details.map((d) => d.path).filter((path) => Object.values(FIELDS).some((name) => path === name || path.startsWith(`${name}.`))) ?? [];

  function choosePreset(name: RampPresetName) {
    setPreset(name);
    setDraft(draftOf(RAMP_PRESETS[name]));
    setLocalErrors({});
    start.reset();
  }

  function edit(field: Field, value: string) {
    setPreset(null);
    setDraft((current) => ({ ...current, [field]: value }));
    setLocalErrors((current) => ({ ...current, [field]: undefined }));
  }

  function review(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const parsed = parseDraft(draft);
    start.reset();
    if ("errors" in parsed) return setLocalErrors(parsed.errors);
    setLocalErrors({});
    setConfirming(parsed.plan);
  }

  function confirm() {
    if (!confirming) return;
    start.mutate({ plan: confirming, reason: reason.trim() || undefined }, { onError: () => setConfirming(null) });
  }

  const field = (name: Field, label: string, hint?: string) => (
    <FormField
      name={FIELDS[name]}
      label={label}
      hint={hint}
      inputMode={name === "steps" ? "text" : "decimal"}
      value={draft[name]}
      onChange={(event) => edit(name, event.target.value)}
      error={fieldError(name)}
    />
  );

  return (
    <div data-testid="ramp-plan-editor" className="mt-3">
      <form onSubmit={review} noValidate aria-label="Guarded ramp plan">
        <fieldset disabled={confirming !== null || busy} className="space-y-3 disabled:opacity-60">
          <fieldset>
            <legend className="text-sm font-medium text-slate-800">Preset</legend>
            <div className="mt-1 grid grid-cols-3 gap-1.5">
              {rampPresetNames.map((name) => (
                <label
                  key={name}
                  className={`cursor-pointer rounded border px-2 py-1.5 text-center text-sm has-focus-visible:outline-2 has-focus-visible:outline-indigo-700 ${
                    preset === name ? "border-indigo-700 bg-indigo-700 text-white" : "border-slate-300 bg-white hover:bg-slate-50"
                  }`}
                >
                  <input type="radio" name="preset" value={name} checked={preset === name} onChange={() => choosePreset(name)} autoFocus={name === "standard"} className="sr-only" />
                  <span className="block font-semibold">{PRESET_LABELS[name].name}</span>
                  <span className={`block text-xs ${preset === name ? "text-indigo-50" : "text-slate-600"}`}>{PRESET_LABELS[name].hint}</span>
                </label>
              ))}
            </div>
          </fieldset>
          {field("steps", "Steps (%)", "Rising, ending at 100")}
          <div className="grid grid-cols-2 gap-3">
            {field("holdMinutes", "Hold per step (min)")}
            {field("minSamplesPerPath", "Min requests per path")}
            {field("p99MaxSlowerPct", "p99 at most % slower")}
            {field("errorRateMaxPp", "Error rate at most +pp")}
          </div>
          <details className="text-sm">
            <summary className="cursor-pointer font-medium text-slate-800">More guardrails (optional)</summary>
            <div className="mt-2 grid grid-cols-2 gap-3">
              {field("p95MaxSlowerPct", "p95 at most % slower")}
              {field("errorRateCeilingPct", "Error-rate ceiling (%)")}
              {field("p99CeilingMs", "p99 ceiling (ms)")}
            </div>
          </details>
          {confirming === null ? (
            <div className="flex gap-2">
              <button type="submit" data-testid="ramp-plan-review" className="flex-1 rounded bg-slate-900 px-4 py-2 text-sm font-semibold text-white hover:bg-slate-700">
                Start guarded ramp…
              </button>
              <button type="button" onClick={onCancel} className="rounded border border-slate-300 bg-white px-4 py-2 text-sm font-medium hover:bg-slate-50">
                Cancel
              </button>
            </div>
          ) : null}
        </fieldset>
      </form>

      {confirming ? (
        <div role="group" aria-label={`Start a guarded ramp of ${flagKey} in ${env}`} data-testid="ramp-start-confirm-panel" className="mt-3 rounded-lg border-2 border-indigo-600 bg-indigo-50 p-3">
          <p className="text-sm font-semibold text-indigo-950">Start guarded ramp at {startPercentage(confirming.steps, percentage)}%?</p>
          <p className="mt-1 text-sm text-indigo-950">
            The guard will hold each step {confirming.holdMinutes} min, move to the next only when every guardrail passes with at least{" "}
            {confirming.minSamplesPerPath.toLocaleString("en")} requests a path, pause if that evidence does not come, and kill {flagKey} in {env} as soon as a
            guardrail regresses.
          </p>
          <ReasonInput label="Reason (optional, recorded in the audit trail)" placeholder="e.g. schema v2 backfill done" value={reason} onChange={setReason} />
          <div className="mt-3 flex gap-2">
            <button
              type="button"
              data-testid="ramp-start-confirm"
              autoFocus
              disabled={busy}
              onClick={confirm}
              className="flex-1 rounded bg-indigo-700 px-4 py-2 text-sm font-bold text-white hover:bg-indigo-800 disabled:opacity-60"
            >
              {busy ? "Starting…" : `Yes, start at ${startPercentage(confirming.steps, percentage)}%`}
            </button>
            <button
              type="button"
              disabled={busy}
              onClick={() => setConfirming(null)}
              className="rounded border border-slate-300 bg-white px-4 py-2 text-sm font-medium hover:bg-slate-50 disabled:opacity-60"
            >
              Back
            </button>
          </div>
        </div>
      ) : null}
      {start.error ? <div className="mt-3"><ApiErrorBanner error={start.error} shownPaths={shownPaths} /></div> : null}
    </div>
  );
}
