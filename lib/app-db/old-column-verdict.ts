import type { UsageVerdict } from "./database-evidence";
import type { StatementWindowSummary } from "./usage-sample-store";

/** The sampler runs each minute; a window's first and last samples may be this far inside its ends. */
const SAMPLE_SLACK_MS = 3 * 60_000;

export interface UsageWindow {
  from: Date;
  to: Date;
  /** `schema.table.column`, as the words say it. */
  column: string;
}

/**
 * Reads or writes of the old column over a window. `seen` on any certain sighting, from the
 * statement counters or from a running-query sample. `zero` only where the counters cover the
 * whole window unbroken; anything less (no counters, a reset, an eviction, a gap) is `unproven`.
 */
export function usageVerdict(kind: "reads" | "writes", window: UsageWindow, statements: StatementWindowSummary, activity: { samples: number; reads: number; writes: number }): UsageVerdict {
  const counted = statements[kind];
  const sampled = activity[kind];
  const span = `from ${window.from.toISOString()} to ${window.to.toISOString()}`;
  if (counted > 0 || sampled > 0) {
    const parts = [counted > 0 ? `${counted.toLocaleString("en")} calls counted by the statement statistics` : null, sampled > 0 ? `${sampled.toLocaleString("en")} seen running in 5-second samples` : null];
    return { verdict: "seen", count: Math.max(counted, sampled), detail: `${kind === "reads" ? "Reads" : "Writes"} of ${window.column} ${span}: ${parts.filter(Boolean).join("; ")}.` };
  }
  const unproven = (why: string): UsageVerdict => ({ verdict: "unproven", count: 0, detail: `None seen ${span}, but that is not proof: ${why}` });
  if (statements.samples === 0) return unproven(statements.why ?? "no statement statistics were sampled in the window.");
  if (statements.why) return unproven(statements.why);
  if (statements.firstAt!.getTime() > window.from.getTime() + SAMPLE_SLACK_MS) return unproven(`the statement statistics were sampled only since ${statements.firstAt!.toISOString()}.`);
  if (statements.lastAt!.getTime() < window.to.getTime() - SAMPLE_SLACK_MS) return unproven(`the newest sample of the statement statistics is from ${statements.lastAt!.toISOString()}.`);
  if (statements.breaks > 0) {
    return unproven(`the statement statistics were reset, or entries evicted, ${statements.breaks === 1 ? "once" : `${statements.breaks} times`} (first before ${statements.firstBreakAt!.toISOString()}): calls in between are unknown.`);
  }
  return { verdict: "zero", count: 0, detail: `No statement naming ${window.column} ran ${span}: the statement statistics, sampled each minute, cover the window unbroken.` };
}
