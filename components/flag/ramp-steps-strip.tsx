import { rampStrip, type StripStepState } from "@/lib/guard/ramp-progress";

const STEP_STYLES: Record<StripStepState, string> = {
  done: "border-emerald-700 bg-emerald-50 text-emerald-900",
  current: "border-indigo-700 bg-indigo-700 text-white",
  next: "border-indigo-400 border-dashed bg-white text-indigo-900",
  later: "border-slate-300 bg-white text-slate-600",
};

const STEP_WORDS: Record<StripStepState, string> = { done: "done", current: "current", next: "next", later: "later" };

/** The plan's steps in a row, ✓1% · ●5% · 25%: done, current, the next dashed; read out with each step's state. */
export function RampStepsStrip({ steps, step }: { steps: readonly number[]; step: number }) {
  const strip = rampStrip(steps, step);
  return (
    <ol data-testid="ramp-steps" aria-label="Ramp steps" className="flex flex-wrap items-center gap-1">
      {strip.map(({ percentage, state }) => (
        <li
          key={percentage}
          data-testid={`ramp-step-${percentage}`}
          data-state={state}
          aria-current={state === "current" ? "step" : undefined}
          className={`rounded border px-2 py-0.5 font-mono text-sm tabular-nums ${STEP_STYLES[state]}`}
        >
          <span aria-hidden="true">{state === "done" ? "✓" : state === "current" ? "● " : ""}</span>
          {percentage}%<span className="sr-only"> ({STEP_WORDS[state]})</span>
        </li>
      ))}
    </ol>
  );
}
