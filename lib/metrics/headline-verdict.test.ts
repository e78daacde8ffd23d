import { describe, expect, it } from "vitest";
import { errorRateVerdict, p99Verdict, twoProportionZ } from "./headline-verdict";

describe("errorRateVerdict", () => {
  it("is red for a clear regression: 15 % against 0.5 % on 1,000 requests each", () => {
    const verdict = errorRateVerdict({ requests: 1_000, errors: 150 }, { requests: 1_000, errors: 5 });
    expect(verdict.tone).toBe("regressed");
    expect(verdict.delta).toBeCloseTo(14.5, 10);
  });

  it("says not enough traffic below 100 new-path requests, however bad they look", () => {
    const verdict = errorRateVerdict({ requests: 99, errors: 50 }, { requests: 10_000, errors: 0 });
    expect(verdict).toMatchObject({ tone: "insufficient", reason: "not enough traffic: 99 new-path requests, 100 needed" });
  });

  it("stays neutral for a difference the test cannot tell from noise (1 % vs 0.4 % on 200 requests)", () => {
    // 0.6 pp, but 2 errors against an expected 0.8: z is about 1.3.
    const verdict = errorRateVerdict({ requests: 200, errors: 2 }, { requests: 5_000, errors: 20 });
    expect(verdict.tone).toBe("ok");
    expect(verdict.reason).toMatch(/^within noise/);
  });

  it("stays neutral for a certain difference under 0.5 pp (0.9 % vs 0.5 % on a million requests each)", () => {
    const verdict = errorRateVerdict({ requests: 1_000_000, errors: 9_000 }, { requests: 1_000_000, errors: 5_000 });
    expect(twoProportionZ({ requests: 1_000_000, errors: 9_000 }, { requests: 1_000_000, errors: 5_000 })).toBeGreaterThan(30);
    expect(verdict).toMatchObject({ tone: "ok", reason: "difference under 0.5 pp" });
    expect(verdict.delta).toBeCloseTo(0.4, 10);
  });

  it("is ok when the new path errs less, and insufficient with no legacy traffic", () => {
    expect(errorRateVerdict({ requests: 500, errors: 0 }, { requests: 500, errors: 10 })).toMatchObject({ tone: "ok", delta: -2 });
    expect(errorRateVerdict({ requests: 500, errors: 0 }, { requests: 0, errors: 0 })).toMatchObject({ tone: "insufficient", delta: null });
  });

  it("z matches a hand computation: 30/200 vs 10/200 → 3.33", () => {
    // pooled 0.1, se = sqrt(0.09 × 0.01) = 0.03, (0.15 − 0.05) / 0.03
    expect(twoProportionZ({ requests: 200, errors: 30 }, { requests: 200, errors: 10 })).toBeCloseTo(3.333, 3);
    expect(twoProportionZ({ requests: 200, errors: 0 }, { requests: 200, errors: 0 })).toBe(0);
  });
});

describe("p99Verdict", () => {
  const enough = 100;
  it("is red above max(20 %, 10 ms): 130 ms against 100 ms", () => {
    expect(p99Verdict({ requests: enough, p99: 130 }, { requests: enough, p99: 100 })).toMatchObject({ tone: "regressed", delta: 30 });
  });

  it("stays ok at +20 % exactly and at +9 ms on a fast path (where 20 % would be 2 ms)", () => {
    expect(p99Verdict({ requests: enough, p99: 120 }, { requests: enough, p99: 100 }).tone).toBe("ok");
    expect(p99Verdict({ requests: enough, p99: 19 }, { requests: enough, p99: 10 }).tone).toBe("ok");
    expect(p99Verdict({ requests: enough, p99: 21 }, { requests: enough, p99: 10 }).tone).toBe("regressed");
  });

  it("needs 100 requests on both paths", () => {
    expect(p99Verdict({ requests: 5_000, p99: 900 }, { requests: 99, p99: 10 })).toMatchObject({
      tone: "insufficient",
      delta: 890,
      reason: "not enough traffic: 99 legacy-path requests, 100 each needed",
    });
  });
});
