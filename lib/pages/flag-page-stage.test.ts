import { describe, expect, it } from "vitest";
import { flagPageStage } from "./flag-page-stage";

describe("flagPageStage", () => {
  it("leads with the ramp below 100%, killed included, and with the teardown at 100% or archived", () => {
    expect(flagPageStage({ archived: false, killed: false, percentage: 0 })).toBe("ramping");
    expect(flagPageStage({ archived: false, killed: false, percentage: 25 })).toBe("ramping");
    expect(flagPageStage({ archived: false, killed: true, percentage: 0 })).toBe("ramping");
    expect(flagPageStage({ archived: false, killed: false, percentage: 100 })).toBe("ramped");
    expect(flagPageStage({ archived: true, killed: false, percentage: 100 })).toBe("archived");
    expect(flagPageStage({ archived: true, killed: false, percentage: 30 })).toBe("archived");
  });
});
