import { describe, expect, it } from "vitest";
import { RAMP_PRESETS, rampPlanSchema } from "./ramp-plan";

function issues(input: unknown) {
  const result = rampPlanSchema.safeParse(input);
  expect(result.success).toBe(false);
  return result.error!.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
}

describe("rampPlanSchema", () => {
  it("fills the Standard defaults", () => {
    expect(rampPlanSchema.parse({})).toEqual({
      steps: [1, 5, 25, 50, 100],
      holdMinutes: 10,
      guardrails: { p99MaxSlowerPct: 20, errorRateMaxPp: 0.5 },
      minSamplesPerPath: 1000,
    });
    expect(RAMP_PRESETS.standard).toEqual(rampPlanSchema.parse({}));
  });

  it("has the Careful and Demo presets", () => {
    expect(RAMP_PRESETS.careful.steps).toEqual([1, 5, 10, 25, 50, 100]);
    expect(RAMP_PRESETS.careful.holdMinutes).toBe(30);
    expect(RAMP_PRESETS.demo.holdMinutes).toBe(1);
    expect(RAMP_PRESETS.demo.steps).toEqual([1, 5, 25, 50, 100]);
  });

  it("names the field in each error", () => {
    expect(issues({ holdMinutes: 0.5 })).toEqual(["holdMinutes: must be at least 1 (minute)"]);
    expect(issues({ steps: [1, 5, 5, 100] })).toEqual(["steps: must rise step by step"]);
    expect(issues({ steps: [1, 50] })).toEqual(["steps: must end at 100"]);
    expect(issues({ steps: [0, 100] })).toEqual(["steps.0: must be above 0"]);
    expect(issues({ steps: [1.234, 100] })).toEqual(["steps.0: must have at most two decimals"]);
    expect(issues({ guardrails: { errorRateMaxPp: -1 } })).toEqual(["guardrails.errorRateMaxPp: must be at least 0.05"]);
    expect(issues({ guardrails: { p99CeilingMs: 0 } })).toEqual(["guardrails.p99CeilingMs: must be above 0"]);
    expect(issues({ minSamplesPerPath: 10 })).toEqual(["minSamplesPerPath: must be at least 100"]);
    expect(issues({ holdMinutes: 10, extra: 1 })[0]).toMatch(/extra/);
  });

  it("keeps optional guardrails", () => {
    const plan = rampPlanSchema.parse({ guardrails: { p95MaxSlowerPct: 10, p99CeilingMs: 250, errorRateCeilingPct: 2 } });
    expect(plan.guardrails).toEqual({ p99MaxSlowerPct: 20, errorRateMaxPp: 0.5, p95MaxSlowerPct: 10, p99CeilingMs: 250, errorRateCeilingPct: 2 });
  });
});
