import { describe, expect, it } from "vitest";
import { SeededRandom } from "@/testing/seeded-random";
import { alwaysValidHalfWidth, alwaysValidInterval, growthToFit } from "./always-valid";

describe("alwaysValidInterval", () => {
  it("matches the formula worked by hand", () => {
    // V = 1, τ² = 1, α = 0.05: sqrt(1·2/1 · (ln 2 + 2 ln 20)) = sqrt(2 · 6.684) = 3.6563.
    expect(alwaysValidHalfWidth(1, 1, 0.05)).toBeCloseTo(3.6563, 3);
    // V = 1e-6, τ = 0.005 (τ² = 2.5e-5), α = 0.05: sqrt(1e-6·2.6e-5/2.5e-5 · (3.2581 + 5.9915)) = 0.0031016.
    expect(alwaysValidHalfWidth(1e-6, 0.005, 0.05)).toBeCloseTo(0.0031016, 6);
    const interval = alwaysValidInterval(0.02, 1e-6, 0.005, 0.05);
    expect(interval.lower).toBeCloseTo(0.02 - 0.0031016, 6);
    expect(interval.upper).toBeCloseTo(0.02 + 0.0031016, 6);
  });

  it("is wider than the fixed-sample interval, and wider still at a smaller α", () => {
    const fixed = 1.96 * Math.sqrt(1e-6);
    expect(alwaysValidHalfWidth(1e-6, 0.005, 0.05)).toBeGreaterThan(fixed);
    expect(alwaysValidHalfWidth(1e-6, 0.005, 0.01)).toBeGreaterThan(alwaysValidHalfWidth(1e-6, 0.005, 0.05));
    expect(alwaysValidHalfWidth(0, 0.005, 0.05)).toBe(0);
  });

  it("narrows as the samples grow", () => {
    let previous = Infinity;
    for (let n = 10; n <= 1e7; n *= 3) {
      const width = alwaysValidHalfWidth(0.01 / n, 0.005, 0.05);
      expect(width).toBeLessThan(previous);
      previous = width;
    }
  });

  it("finds the growth that fits a half-width into a room", () => {
    const variance = 4e-6;
    const growth = growthToFit(variance, 0.005, 0.2, 0.003)!;
    expect(alwaysValidHalfWidth(variance / growth, 0.005, 0.2)).toBeLessThanOrEqual(0.003);
    expect(alwaysValidHalfWidth(variance / (growth * 0.99), 0.005, 0.2)).toBeGreaterThan(0.003);
    expect(growthToFit(variance, 0.005, 0.2, 1)).toBe(1);
    expect(growthToFit(variance, 0.005, 0.2, 0)).toBeNull();
  });

  it("under the null, checked after every batch, ever excludes the true difference in at most α of sequences", () => {
    // Two arms with one error rate, 1 : 9 traffic like a 10 % step, checked after each of
    // 200 batches: a fixed-sample 95 % interval peeked this often would exclude the truth in
    // far more than 5 % of sequences (checked below); the always-valid one may not.
    const random = new SeededRandom(7);
    const sequences = 2000;
    const p = 0.05;
    let everExcluded = 0;
    let fixedEverExcluded = 0;
    for (let s = 0; s < sequences; s++) {
      let nNew = 0, eNew = 0, nLegacy = 0, eLegacy = 0;
      let excluded = false;
      let fixedExcluded = false;
      for (let batch = 0; batch < 200; batch++) {
        nNew += 20;
        eNew += random.binomial(20, p);
        nLegacy += 180;
        eLegacy += random.binomial(180, p);
        const pNew = (eNew + 1) / (nNew + 2);
        const pLegacy = (eLegacy + 1) / (nLegacy + 2);
        const variance = (pNew * (1 - pNew)) / nNew + (pLegacy * (1 - pLegacy)) / nLegacy;
        const estimate = eNew / nNew - eLegacy / nLegacy;
        if (Math.abs(estimate) > alwaysValidHalfWidth(variance, 0.01, 0.05)) excluded = true;
        if (Math.abs(estimate) > 1.96 * Math.sqrt(variance)) fixedExcluded = true;
      }
      if (excluded) everExcluded++;
      if (fixedExcluded) fixedEverExcluded++;
    }
    expect(everExcluded / sequences).toBeLessThanOrEqual(0.05 + 0.015);
    expect(fixedEverExcluded / sequences).toBeGreaterThan(0.2);
  });
});
