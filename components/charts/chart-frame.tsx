import type { ReactNode } from "react";

export const CHART_HEIGHT = 240;

interface ChartFrameProps {
  testId: string;
  title: string;
  /** A short legend or unit beside the title. */
  aside?: ReactNode;
  /** Shown instead of the chart when the window has nothing to plot. */
  empty?: string | null;
  /** The chart's text alternative: its newest values in a sentence, read instead of the drawing. */
  summary?: string;
  /** A note under a time axis, e.g. that times are UTC and the current minute is left out. */
  axisNote?: string;
  children: ReactNode;
}

/**
 * The figure around every chart: a caption naming it and saying what it shows in words, a fixed
 * height, an empty state. The drawing is hidden from assistive technology (the summary stands
 * for it) and, with recharts' accessibilityLayer off, is no tab stop.
 */
export function ChartFrame({ testId, title, aside, empty, summary, axisNote, children }: ChartFrameProps) {
  return (
    <figure data-testid={testId} className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <figcaption className="mb-2">
        <span className="flex flex-wrap items-baseline justify-between gap-x-4 gap-y-1">
          <span className="text-sm font-semibold text-slate-900">{title}</span>
          {aside ? <span className="text-xs text-slate-500">{aside}</span> : null}
        </span>
        {summary && !empty ? <span data-testid="chart-summary" className="mt-1 block text-xs text-slate-600">{summary}</span> : null}
      </figcaption>
      {empty ? (
        <div style={{ height: CHART_HEIGHT }} className="flex items-center justify-center rounded border border-dashed border-slate-300 bg-slate-50 px-6 text-center text-sm text-slate-600">
          {empty}
        </div>
      ) : (
        <>
          <div aria-hidden="true" style={{ height: CHART_HEIGHT }}>{children}</div>
          {axisNote ? <p className="mt-1 text-right text-[11px] text-slate-500">{axisNote}</p> : null}
        </>
      )}
    </figure>
  );
}

export function PathLegend({ items }: { items: { label: string; color: string; dashed?: boolean }[] }) {
  return (
    <span className="inline-flex flex-wrap gap-x-3 gap-y-1">
      {items.map((item) => (
        <span key={item.label} className="inline-flex items-center gap-1.5">
          <svg width="18" height="6" aria-hidden="true">
            <line x1="0" y1="3" x2="18" y2="3" stroke={item.color} strokeWidth="2.5" strokeDasharray={item.dashed ? "4 3" : undefined} />
          </svg>
          {item.label}
        </span>
      ))}
    </span>
  );
}
