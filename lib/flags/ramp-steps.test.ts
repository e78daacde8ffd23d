import { describe, expect, it } from "vitest";
import { skippedRampSteps } from "./ramp-steps";

describe("skippedRampSteps", () => {
  it("names the standard steps a raise jumps over, and none for the next step or a lowering", () => {
    expect(skippedRampSteps(25, 100)).toEqual([50]);
    expect(skippedRampSteps(0, 100)).toEqual([1, 5, 25, 50]);
    expect(skippedRampSteps(1, 25)).toEqual([5]);
    expect(skippedRampSteps(10, 50)).toEqual([25]);
    expect(skippedRampSteps(0, 1)).toEqual([]);
    expect(skippedRampSteps(25, 50)).toEqual([]);
    expect(skippedRampSteps(50, 25)).toEqual([]);
    expect(skippedRampSteps(50, 100)).toEqual([]);
  });
});
