import type { ReactNode } from "react";
import type { TeardownView } from "@/components/flag/flag-api";
import type { ConfirmToggle } from "./teardown-actions";

export type StepNumber = 1 | 2 | 3 | 4;
export type StepState = "done" | "current" | "locked";

/** What the strip hands each step's panel: the whole teardown read, the step's state and, for operators, its confirm toggle. */
export interface StepPanelProps {
  teardown: TeardownView;
  state: StepState;
  flagKey: string;
  env: string;
  canOperate: boolean;
  confirm: ConfirmToggle;
}

const STEP_TONES: Record<StepState, { card: string; badge: string; label: string }> = {
  done: { card: "border-emerald-300 bg-emerald-50/60", badge: "bg-emerald-600 text-white", label: "done" },
  current: { card: "border-indigo-500 bg-white ring-2 ring-indigo-200 shadow-sm", badge: "bg-indigo-600 text-white", label: "current step" },
  locked: { card: "border-slate-200 bg-slate-50 text-slate-500", badge: "bg-slate-200 text-slate-500", label: "not open" },
};

/** One card of the strip: numbered, toned by its state, with the panel's evidence and action inside. */
export function TeardownStep({ number, title, state, children }: { number: StepNumber; title: string; state: StepState; children: ReactNode }) {
  const tone = STEP_TONES[state];
  return (
    <li
      data-testid={`teardown-step-${number}`}
      data-state={state}
      aria-current={state === "current" ? "step" : undefined}
      className={`rounded-lg border p-4 text-sm ${tone.card}`}
    >
      <div className="flex items-center gap-2">
        <span aria-hidden="true" className={`inline-flex size-7 shrink-0 items-center justify-center rounded-full text-sm font-bold ${tone.badge}`}>
          {state === "done" ? <CheckIcon /> : number}
        </span>
        <h3 className={`font-semibold ${state === "locked" ? "text-slate-600" : "text-slate-900"}`}>
          <span className="sr-only">Step {number}: </span>
          {title}
          <span className="sr-only"> ({tone.label})</span>
        </h3>
      </div>
      <div className="mt-2">{children}</div>
    </li>
  );
}

function CheckIcon() {
  return (
    <svg viewBox="0 0 20 20" fill="currentColor" className="size-4">
      <path
        fillRule="evenodd"
        d="M16.7 5.3a1 1 0 0 1 0 1.4l-8 8a1 1 0 0 1-1.4 0l-4-4a1 1 0 1 1 1.4-1.4L8 12.6l7.3-7.3a1 1 0 0 1 1.4 0Z"
        clipRule="evenodd"
      />
    </svg>
  );
}
