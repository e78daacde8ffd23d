import { describe, expect, it } from "vitest";
import { RAMP_PRESETS } from "./ramp-plan";
import type { RampPlanRow } from "./ramp-plan-store";
import { toRampPlanView } from "./ramp-plan-view";

const started = new Date("2026-12-02T10:00:00Z");

function row(change: Partial<RampPlanRow>): RampPlanRow {
  return {
    flagId: 1,
    environmentId: 1,
    plan: RAMP_PRESETS.standard,
    status: "running",
    step: 2,
    stepStartedAt: started,
    statusReason: null,
    lastCheck: null,
    lastCheckAt: null,
    version: 3,
    startedAt: started,
    startedBy: "alice",
    updatedAt: started,
    updatedBy: "guard",
    ...change,
  };
}

const at = (minutes: number) => new Date(started.getTime() + minutes * 60_000);

describe("a guarded ramp in words", () => {
  it("counts down the hold in whole minutes, rounding up", () => {
    expect(toRampPlanView(row({}), at(0)).summary).toBe("25% → 50% in 10 min");
    expect(toRampPlanView(row({}), at(5.5)).summary).toBe("25% → 50% in 5 min");
    expect(toRampPlanView(row({}), at(9.99)).summary).toBe("25% → 50% in 1 min");
    expect(toRampPlanView(row({}), at(10)).summary).toBe("25% → 50% once there is enough traffic");
  });

  it("says who paused it, or that traffic was short when the guard did", () => {
    expect(toRampPlanView(row({ status: "paused", updatedBy: "alice@example.com" })).summary).toBe("paused by alice@example.com");
    const guardPause = { action: "pause", reason: "…", evidence: {} };
    expect(toRampPlanView(row({ status: "paused", updatedBy: "guard", lastCheck: guardPause })).summary).toBe("paused: not enough traffic");
  });

  it("names the step a guard kill happened at, and the ends", () => {
    expect(toRampPlanView(row({ status: "rolled_back" })).summary).toBe("killed by the guard at 25%");
    expect(toRampPlanView(row({ status: "completed", step: 4 })).summary).toBe("guarded ramp complete");
    expect(toRampPlanView(row({ status: "aborted", updatedBy: "bob" })).summary).toBe("ramp aborted by bob");
  });

  it("gives the hold's end and the next step", () => {
    const view = toRampPlanView(row({}), at(1));
    expect(view).toMatchObject({ percentage: 25, nextPercentage: 50, holdEndsAt: "2026-12-02T10:10:00.000Z" });
    expect(toRampPlanView(row({ step: 4 })).nextPercentage).toBeNull();
  });
});
