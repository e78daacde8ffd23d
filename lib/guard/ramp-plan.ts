import { z } from "zod";

/**
 * A guarded ramp's plan for one flag × environment: the percentages it steps through, how long
 * each step is held, and the guardrails the new path must stay within against the legacy path.
 * The API validates plans with `rampPlanSchema`; the guard reads the parsed `RampPlan`.
 */

const stepSchema = z
  .number()
  .gt(0, "must be above 0")
  .max(100, "must be at most 100")
  .refine((p) => Math.abs(Math.round(p * 100) - p * 100) < 1e-6, "must have at most two decimals");

export const guardrailsSchema = z.strictObject({
  /** New-path p99 may be at most this much slower than legacy p99, in percent. */
  p99MaxSlowerPct: z.number().min(1, "must be at least 1").max(1000, "must be at most 1000").default(20),
  /** New-path error rate may be at most this many percentage points above legacy's. */
  errorRateMaxPp: z.number().min(0.05, "must be at least 0.05").max(50, "must be at most 50").default(0.5),
  /** Optional: the same rule as p99, on p95. */
  p95MaxSlowerPct: z.number().min(1, "must be at least 1").max(1000, "must be at most 1000").optional(),
  /** Optional absolute ceilings on the new path, whatever the legacy path does. */
  p99CeilingMs: z.number().gt(0, "must be above 0").max(3_600_000, "must be at most 3600000").optional(),
  errorRateCeilingPct: z.number().min(0.05, "must be at least 0.05").max(100, "must be at most 100").optional(),
});

export const rampPlanSchema = z.strictObject({
  steps: z
    .array(stepSchema)
    .min(1, "must have at least one step")
    .max(20, "must have at most 20 steps")
    .default([1, 5, 25, 50, 100])
    .refine((steps) => steps.every((p, i) => i === 0 || p > steps[i - 1]!), "must rise step by step")
    .refine((steps) => steps.at(-1) === 100, "must end at 100"),
  holdMinutes: z.number().min(1, "must be at least 1 (minute)").max(1440, "must be at most 1440 (a day)").default(10),
  guardrails: guardrailsSchema.default({ p99MaxSlowerPct: 20, errorRateMaxPp: 0.5 }),
  /** Requests each path needs, in the step, before the step may pass. */
  minSamplesPerPath: z
    .number()
    .int("must be a whole number")
    .min(100, "must be at least 100")
    .max(10_000_000, "must be at most 10000000")
    .default(1000),
});

export type RampPlan = z.output<typeof rampPlanSchema>;
export type RampPlanInput = z.input<typeof rampPlanSchema>;
export type Guardrails = RampPlan["guardrails"];

export const RAMP_PRESETS = {
  careful: rampPlanSchema.parse({ steps: [1, 5, 10, 25, 50, 100], holdMinutes: 30 }),
  standard: rampPlanSchema.parse({}),
  demo: rampPlanSchema.parse({ holdMinutes: 1, minSamplesPerPath: 200 }),
} as const satisfies Record<string, RampPlan>;

export type RampPresetName = keyof typeof RAMP_PRESETS;

/**
 * The step a plan starts or resumes at: the highest at or below the flag's percentage, the first
 * when it is below them all, so a start never ramps past where a person left the flag.
 */
export function startingStep(steps: readonly number[], percentage: number): number {
  return Math.max(0, steps.findLastIndex((step) => step <= percentage));
}

export function holdMs(plan: RampPlan): number {
  return plan.holdMinutes * 60_000;
}

export const rampPresetNames = Object.keys(RAMP_PRESETS) as RampPresetName[];

/** POST /api/flags/{key}/ramp-plan/start: a preset by name, or a plan whose missing fields take the Standard defaults. */
export const startRampSchema = z
  .strictObject({
    preset: z.enum(["careful", "standard", "demo"], "must be careful, standard or demo").optional(),
    plan: rampPlanSchema.optional(),
    reason: z.string().trim().max(1000).optional(),
  })
  .superRefine((body, ctx) => {
    if (body.preset !== undefined && body.plan !== undefined) {
      ctx.addIssue({ code: "custom", path: ["preset"], message: "give a preset or a plan, not both" });
    }
  })
  .transform(({ preset, plan, reason }) => ({ plan: plan ?? RAMP_PRESETS[preset ?? "standard"], reason }));
