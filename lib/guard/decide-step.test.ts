import { describe, expect, it } from "vitest";
import { HEALTHY, pathWindow, rolloutWindows, WINDOW_MS, type PathBehaviour } from "@/testing/guard-traffic";
import { SeededRandom } from "@/testing/seeded-random";
import { decideStep } from "./decide-step";
import type { GuardWindow } from "./guard-window";
import { RAMP_PRESETS, rampPlanSchema } from "./ramp-plan";

const plan = RAMP_PRESETS.standard;
const started = new Date("2026-12-02T12:00:00Z");
const at = (ms: number) => new Date(started.getTime() + ms);
const minutes = (n: number) => n * 60_000;

/** Rollout windows from the step start for `durationMs`, at 200 requests/s. */
function traffic(random: SeededRandom, percentage: number, durationMs: number, next: PathBehaviour = HEALTHY, from = 0): GuardWindow[] {
  const windows: GuardWindow[] = [];
  for (let t = from; t < durationMs; t += WINDOW_MS) windows.push(...rolloutWindows(random, { windowStart: at(t), perSecond: 200, percentage, next, legacy: HEALTHY }));
  return windows;
}

describe("decideStep", () => {
  it("with no data holds, and says the guardrails are collecting", () => {
    const decision = decideStep({ plan, step: 0, stepStartedAt: started, now: at(minutes(2)), windows: [] });
    expect(decision.action).toBe("hold");
    expect(decision.reason).toBe("Holding at 1%: 8 min of 10 min left; 2 of 2 guardrails still collecting");
    expect(decision.evidence.checks.map((check) => check.verdict)).toEqual(["collecting", "collecting"]);
  });

  it("extends the hold when it ends without enough samples, and says what is missing", () => {
    const decision = decideStep({ plan, step: 0, stepStartedAt: started, now: at(minutes(12)), windows: [] });
    expect(decision.action).toBe("hold");
    expect(decision.reason).toMatch(/^Hold extended at 1% \(12 min of up to 30 min\): error rate still collecting: 1,000 more new-path and 1,000 more legacy-path requests needed/);
  });

  it("pauses after three holds without enough evidence, with the reason", () => {
    // 0.2 requests/s on the new path: 360 requests in 30 min, short of the 1,000 minimum.
    const random = new SeededRandom(11);
    const windows = traffic(random, 0.1, minutes(30));
    const decision = decideStep({ plan, step: 0, stepStartedAt: started, now: at(minutes(30)), windows });
    expect(decision.action).toBe("pause");
    expect(decision.reason).toMatch(/^Guard paused the ramp at 1%: after 30 min \(3× the hold\) there is still not enough evidence: error rate still collecting: .*more new-path requests needed/);
  });

  it("rolls back a clear regression in the middle of the hold", () => {
    const random = new SeededRandom(12);
    const windows = traffic(random, 25, minutes(1), { ...HEALTHY, errorRate: 0.05 });
    const decision = decideStep({ plan, step: 2, stepStartedAt: started, now: at(minutes(1)), windows });
    expect(decision.action).toBe("rollback");
    expect(decision.evidence.nextPercentage).toBe(0);
    expect(decision.reason).toMatch(/^Guard: new-path error rate \d\.\d% vs legacy 0\.\d\d% \(≥ \+\d\.\d pp at 95% confidence, \+0\.50 pp allowed\) at 25%$/);
  });

  it("rolls back a p99 regression", () => {
    const random = new SeededRandom(13);
    const windows = traffic(random, 25, minutes(1), { ...HEALTHY, medianMs: HEALTHY.medianMs * 2 });
    const decision = decideStep({ plan, step: 2, stepStartedAt: started, now: at(minutes(1)), windows });
    expect(decision.action).toBe("rollback");
    expect(decision.reason).toMatch(/^Guard: new-path p99 \d+ ms vs legacy \d+ ms: .* at 25%$/);
  });

  it("holds while everything passes before the hold ends, and advances after it", () => {
    const random = new SeededRandom(14);
    const windows = traffic(random, 25, minutes(10));
    const early = decideStep({ plan, step: 2, stepStartedAt: started, now: at(minutes(8)), windows: windows.filter((w) => w.windowStart < at(minutes(8))) });
    expect(early.action).toBe("hold");
    const decision = decideStep({ plan, step: 2, stepStartedAt: started, now: at(minutes(10)), windows });
    expect(decision.action).toBe("advance");
    expect(decision.evidence.nextPercentage).toBe(50);
    expect(decision.reason).toBe("Guard: every guardrail passed at 25% after 10 min; next 50%");
    expect(decision.evidence.checks.every((check) => check.verdict === "pass")).toBe(true);
  });

  it("completes at the last step", () => {
    const decision = decideStep({ plan, step: 4, stepStartedAt: started, now: at(0), windows: [] });
    expect(decision).toMatchObject({ action: "complete", reason: "Ramp complete: 100% of traffic on the new path" });
  });

  it("counts only rollout windows: bad targeted traffic neither kills nor helps a step pass", () => {
    const random = new SeededRandom(15);
    const healthy = traffic(random, 25, minutes(10));
    const targeted = Array.from({ length: 60 }, (_, i) => pathWindow(random, at(i * WINDOW_MS), "new", 500, { ...HEALTHY, errorRate: 0.5, medianMs: 500 }, "targeted"));
    expect(decideStep({ plan, step: 2, stepStartedAt: started, now: at(minutes(10)), windows: [...healthy, ...targeted] }).action).toBe("advance");
    const onlyTargeted = decideStep({ plan, step: 2, stepStartedAt: started, now: at(minutes(10)), windows: targeted.map((w) => ({ ...w, errors: 0, sketch: null })) });
    expect(onlyTargeted.action).toBe("hold");
  });

  it("counts only windows that began after the step started: a regression at the previous step does not kill this one", () => {
    const random = new SeededRandom(16);
    const before = traffic(random, 5, 0, { ...HEALTHY, errorRate: 0.2 }, -minutes(5));
    const windows = [...before, ...traffic(random, 25, minutes(10))];
    const decision = decideStep({ plan, step: 2, stepStartedAt: started, now: at(minutes(10)), windows });
    expect(decision.action).toBe("advance");
    expect(decision.evidence.checks[0]!.samples.new).toBeLessThan(40_000);
  });

  it("rejects a step outside the plan", () => {
    expect(() => decideStep({ plan: rampPlanSchema.parse({}), step: 5, stepStartedAt: started, now: started, windows: [] })).toThrow(/step 5/);
  });
});
