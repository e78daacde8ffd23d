import { newLatencySketch } from "@rampart/sdk";
import { describe, expect, it } from "vitest";
import { HEALTHY, pathWindow } from "@/testing/guard-traffic";
import { SeededRandom } from "@/testing/seeded-random";
import { alwaysValidHalfWidth } from "./always-valid";
import { stepTotals, type GuardWindow, type PathTotals } from "./guard-window";
import { checkGuardrails, countAbove, GUARD_STATISTICS } from "./guardrails";
import { RAMP_PRESETS, rampPlanSchema } from "./ramp-plan";

const plan = RAMP_PRESETS.standard;

function totals(requests: number, errors: number, latencies: () => number = () => 20): PathTotals {
  const latency = newLatencySketch();
  for (let i = 0; i < requests; i++) latency.accept(latencies());
  return { requests, errors, latency: requests > 0 ? latency : null };
}

const byName = (checks: ReturnType<typeof checkGuardrails>, name: string) => checks.find((check) => check.guardrail === name)!;

describe("countAbove", () => {
  it("counts the requests above a limit", () => {
    const sketch = newLatencySketch();
    for (let i = 1; i <= 20; i++) sketch.accept(i * 100);
    expect(countAbove(sketch, 1050)).toBe(10);
    expect(countAbove(sketch, 5)).toBe(20);
    expect(countAbove(sketch, 2000)).toBe(0);
  });
});

describe("checkGuardrails", () => {
  it("with no traffic, every guardrail is collecting, never passing", () => {
    const checks = checkGuardrails(plan, { new: totals(0, 0), legacy: totals(0, 0) });
    expect(checks.map((check) => check.verdict)).toEqual(["collecting", "collecting"]);
    expect(byName(checks, "errorRate").needed).toEqual({ new: 1000, legacy: 1000 });
    expect(byName(checks, "errorRate").summary).toBe("error rate still collecting: 1,000 more new-path and 1,000 more legacy-path requests needed before it can be judged (at least 1,000 a path)");
  });

  it("reads a clear error-rate regression with the interval worked by hand", () => {
    const checks = checkGuardrails(plan, { new: totals(10_000, 300), legacy: totals(30_000, 150) });
    const errorRate = byName(checks, "errorRate");
    const pNew = 301 / 10_002;
    const pLegacy = 151 / 30_002;
    const variance = (pNew * (1 - pNew)) / 10_000 + (pLegacy * (1 - pLegacy)) / 30_000;
    const half = alwaysValidHalfWidth(variance, 0.005, GUARD_STATISTICS.alpha);
    expect(errorRate.verdict).toBe("regressed");
    expect(errorRate.estimate).toBeCloseTo(0.025, 10);
    expect(errorRate.interval!.lower).toBeCloseTo(0.025 - half, 10);
    expect(errorRate.threshold).toBe(0.005);
    expect(errorRate.samples).toEqual({ new: 10_000, legacy: 30_000 });
    expect(errorRate.summary).toBe(`new-path error rate 3.0% vs legacy 0.50% (≥ +${((0.025 - half) * 100).toFixed(1)} pp at 95% confidence, +0.50 pp allowed)`);
  });

  it("passes equal error rates with plenty of traffic, and says how much more a thin sample needs", () => {
    expect(byName(checkGuardrails(plan, { new: totals(20_000, 100), legacy: totals(60_000, 300) }), "errorRate").verdict).toBe("pass");
    const thin = byName(checkGuardrails(plan, { new: totals(600, 3), legacy: totals(60_000, 300) }), "errorRate");
    expect(thin.verdict).toBe("collecting");
    expect(thin.needed!.new).toBeGreaterThan(400);
    // Both paths are assumed to keep their split while the step runs on.
    expect(thin.needed!.legacy / 60_000).toBeCloseTo(thin.needed!.new / 600, 2);
    expect(thin.summary).toMatch(/^error rate still collecting: new-path error rate 0\.50% vs legacy 0\.50%, up to \+0\.\d\d pp so far \(\+0\.50 pp allowed\); about [\d,]+ more new-path requests needed$/);
    // With the estimate above the threshold, no amount of traffic gets it to pass.
    const above = byName(checkGuardrails(plan, { new: totals(600, 9), legacy: totals(60_000, 300) }), "errorRate");
    expect(above.verdict).toBe("collecting");
    expect(above.needed).toBeNull();
  });

  it("counts the share of new-path requests above legacy p99 + 20 %: same latencies pass, doubled ones regress", () => {
    const random = new SeededRandom(3);
    const legacy = totals(20_000, 0, () => random.lognormal(24, 0.45));
    const same = byName(checkGuardrails(plan, { new: totals(10_000, 0, () => random.lognormal(24, 0.45)), legacy }), "p99");
    expect(same.verdict).toBe("pass");
    expect(same.latencyLimitMs).toBeCloseTo(same.legacyValue! * 1.2, 6);
    expect(same.legacyShareAboveLimit).toBeLessThan(0.01);
    expect(same.estimate).toBeLessThan(0.01);

    const doubled = byName(checkGuardrails(plan, { new: totals(2_000, 0, () => 2 * random.lognormal(24, 0.45)), legacy }), "p99");
    expect(doubled.verdict).toBe("regressed");
    expect(doubled.estimate).toBeGreaterThan(0.05);
    expect(doubled.summary).toMatch(/^new-path p99 1\d\d ms vs legacy \d\d ms: \d+\.\d% of new-path requests slower than \d\d ms \(legacy p99 \+ 20%\) \(≥ \d+\.\d% at 95% confidence, 1\.0% allowed\)$/);
  });

  it("judges the optional p95 and ceilings only when the plan has them", () => {
    const random = new SeededRandom(5);
    const withOptional = rampPlanSchema.parse({ guardrails: { p95MaxSlowerPct: 10, p99CeilingMs: 40, errorRateCeilingPct: 1 } });
    const checks = checkGuardrails(withOptional, {
      new: totals(5_000, 150, () => random.lognormal(24, 0.45)),
      legacy: totals(20_000, 100, () => random.lognormal(24, 0.45)),
    });
    expect(checks.map((check) => check.guardrail)).toEqual(["errorRate", "p99", "p95", "errorRateCeiling", "p99Ceiling"]);
    // p99 ≈ 68 ms is far above a 40 ms ceiling; 3 % errors are above a 1 % ceiling.
    expect(byName(checks, "p99Ceiling").verdict).toBe("regressed");
    expect(byName(checks, "errorRateCeiling").verdict).toBe("regressed");
    expect(byName(checks, "p95").verdict).toBe("pass");
  });

  it("needs both paths: a new path alone is not compared with nothing", () => {
    const checks = checkGuardrails(plan, { new: totals(50_000, 0), legacy: totals(0, 0) });
    expect(checks.every((check) => check.verdict === "collecting")).toBe(true);
  });
});

describe("stepTotals", () => {
  it("counts only rollout windows that began in the step", () => {
    const random = new SeededRandom(1);
    const started = new Date("2026-12-02T12:00:00Z");
    const at = (seconds: number) => new Date(started.getTime() + seconds * 1000);
    const windows = [
      pathWindow(random, at(-10), "new", 100, HEALTHY),
      pathWindow(random, at(0), "new", 10, HEALTHY),
      pathWindow(random, at(10), "new", 20, HEALTHY),
      pathWindow(random, at(10), "new", 500, HEALTHY, "targeted"),
      pathWindow(random, at(10), "legacy", 40, HEALTHY),
      pathWindow(random, at(20), "legacy", 1000, HEALTHY),
    ];
    const result = stepTotals(windows, started, at(20));
    expect(result.new.requests).toBe(30);
    expect(result.new.latency!.count).toBe(30);
    expect(result.legacy.requests).toBe(40);
    // The caller's sketches are not merged into.
    expect(windows[1]!.sketch!.count).toBe(10);
  });
});

describe("as a step's traffic grows", () => {
  it("the error-rate interval narrows minute after minute", () => {
    const random = new SeededRandom(9);
    const started = new Date(0);
    const windows: GuardWindow[] = [];
    let previousWidth = Infinity;
    for (let t = 0; t < 600_000; t += 10_000) {
      windows.push(pathWindow(random, new Date(t), "new", 50, HEALTHY), pathWindow(random, new Date(t), "legacy", 150, HEALTHY));
      if (t < 60_000 || t % 60_000 !== 0) continue;
      const errorRate = checkGuardrails(plan, stepTotals(windows, started, new Date(t + 10_000)))[0]!;
      const width = errorRate.interval!.upper - errorRate.interval!.lower;
      expect(width).toBeLessThan(previousWidth);
      previousWidth = width;
    }
    // 2,700 new-path requests after 9 min at 50 a window: about ±0.5 pp.
    expect(previousWidth).toBeLessThan(0.012);
  });
});
