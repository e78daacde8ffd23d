// The demo's guarded ramp: schema_v2 starts on a Demo plan at boot, through the API as the demo
// admin, and the status line follows the plan (GET /api/flags/schema_v2/ramp-plan).
import type { Api } from "./api";
import { SCHEMA_FLAG } from "./orders-service";
import { bold, green, red, say, yellow } from "./output";

/**
 * The Demo preset (1-minute holds, 200 requests a path, p99 ≤ legacy + 20 %, errors ≤ legacy
 * + 0.5 pp) without its 1 % step. At 1 % the demo's ~384 rollout requests/s (the rest are batch
 * jobs, unkeyed and the test tenant) put ~4 a second on the new path: ~230 in the hold, and the
 * error-rate guardrail (0.2 % errors on both paths) needs several times that to show +0.5 pp fits,
 * so the 1 % step would extend and often pause at 3× the hold. A simulation of this traffic
 * through the real decideStep (seeded, 200 steps each): at 1 %, 68 of 200 paused and the rest
 * passed in a median 110 s; at 5 %, 1 of 200 paused, median 60 s, p95 120 s (docs/benchmarks.md).
 * The seed leaves schema_v2 at 5 %, so the plan starts where the flag is. Same guardrails and
 * sample minimum as the preset.
 */
export const DEMO_RAMP_PLAN = { steps: [5, 25, 50, 100], holdMinutes: 1, minSamplesPerPath: 200 } as const;

/** The parts of GET /api/flags/{key}/ramp-plan's `rampPlan` the demo shows. */
export interface DemoRampPlan {
  status: "running" | "paused" | "rolled_back" | "completed" | "aborted";
  step: number;
  percentage: number;
  nextPercentage: number | null;
  statusReason: string | null;
  summary: string;
  lastCheck: { action: string; reason: string } | null;
}

const path = `/api/flags/${SCHEMA_FLAG}/ramp-plan`;

function errorMessage(body: unknown): string {
  const error = (body as { error?: { message?: string } } | null)?.error;
  return error?.message ?? (typeof body === "string" ? body : JSON.stringify(body));
}

/**
 * Starts the Demo plan on schema_v2 in production. On a rerun (the data dir is kept) a plan that is
 * running or paused is left as it is, and a killed or fully ramped flag is reported, not changed.
 */
export async function startDemoRamp(api: Api): Promise<DemoRampPlan | null> {
  const started = await api(`${path}/start?env=production`, "POST", { plan: DEMO_RAMP_PLAN, reason: "demo: guarded ramp with the Demo plan" });
  if (started.status === 201) {
    const plan = (started.body as { rampPlan: DemoRampPlan }).rampPlan;
    say(green(`guarded ramp started on ${SCHEMA_FLAG}: ${DEMO_RAMP_PLAN.steps.join(" → ")}%, 1-minute holds (${plan.summary})`));
    return plan;
  }
  if (started.status === 409) {
    say(yellow(`${SCHEMA_FLAG}'s guarded ramp was not started: ${errorMessage(started.body)}`));
    return readDemoRamp(api);
  }
  throw new Error(`starting the guarded ramp on ${SCHEMA_FLAG}: HTTP ${started.status} ${errorMessage(started.body)}`);
}

export async function readDemoRamp(api: Api): Promise<DemoRampPlan | null> {
  const result = await api(`${path}?env=production`, "GET");
  if (result.status !== 200) throw new Error(`reading ${SCHEMA_FLAG}'s guarded ramp: HTTP ${result.status} ${errorMessage(result.body)}`);
  return (result.body as { rampPlan: DemoRampPlan | null }).rampPlan;
}

/** The plan for the status line: "ramp 25% → 50% in 1 min", red once the guard killed it. */
export function describeRamp(plan: DemoRampPlan | null): string {
  if (!plan) return "no guarded ramp";
  const text = `ramp ${plan.summary}`;
  if (plan.status === "rolled_back") return red(text);
  if (plan.status === "paused" || plan.status === "aborted") return yellow(text);
  return text;
}

/** Says what changed between two reads of the plan: a step passed, a kill (with the guard's reason), a pause. */
export function announceRampChange(before: DemoRampPlan | null, after: DemoRampPlan | null): void {
  if (!after) return;
  if (before && before.status === after.status && before.step === after.step) return;
  switch (after.status) {
    case "running":
      if (before && before.status === "running" && after.step > before.step) {
        say(green(bold(`guard: ${SCHEMA_FLAG} passed every guardrail at ${before.percentage}% and moved to ${after.percentage}% (${after.summary})`)));
      }
      return;
    case "rolled_back":
      say(red(bold(`guard KILLED ${SCHEMA_FLAG}: ${after.statusReason ?? after.lastCheck?.reason ?? "a guardrail regressed"}`)));
      say(red(`  the flag page shows why; restore it there once the new path is fixed (turn the fault off first: f, or POST /fault/off)`));
      return;
    case "completed":
      say(green(bold(`guard: ${SCHEMA_FLAG}'s guarded ramp is complete: 100% on the new path`)));
      return;
    case "paused":
      say(yellow(`${SCHEMA_FLAG}'s guarded ramp is paused: ${after.statusReason ?? after.summary}; resume it on the flag page`));
      return;
    case "aborted":
      say(yellow(`${SCHEMA_FLAG}'s guarded ramp was aborted: ${after.statusReason ?? after.summary}`));
      return;
  }
}
