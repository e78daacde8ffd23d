import { describe, expect, it } from "vitest";
import {
  evidenceEtaMs,
  evidenceProgress,
  formatEta,
  formatGuardValue,
  guardScale,
  holdCountdown,
  rampStrip,
  scalePosition,
} from "./ramp-progress";

const MINUTE = 60_000;

describe("rampStrip", () => {
  it("marks the steps before the flag's done, its own current, the one after next", () => {
    const strip = rampStrip([1, 5, 25, 50, 100], 1);
    expect(strip.map((step) => step.state)).toEqual(["done", "current", "next", "later", "later"]);
  });

  it("has no next step at the last one", () => {
    expect(rampStrip([1, 100], 1).map((step) => step.state)).toEqual(["done", "current"]);
  });
});

describe("holdCountdown", () => {
  const endsAt = "2026-06-15T12:10:00.000Z";
  const at = (iso: string) => Date.parse(iso);

  it("counts down minutes and seconds, rounding up to the second", () => {
    expect(holdCountdown(endsAt, at("2026-06-15T12:05:52.500Z"))).toBe("4:08 left in the hold");
    expect(holdCountdown(endsAt, at("2026-06-15T12:09:59.000Z"))).toBe("0:01 left in the hold");
  });

  it("shows hours and minutes for long holds", () => {
    expect(holdCountdown(endsAt, at("2026-06-15T11:05:00.000Z"))).toBe("1 h 05 min left in the hold");
  });

  it("says the guard waits for evidence once the hold is over", () => {
    expect(holdCountdown(endsAt, at("2026-06-15T12:10:00.000Z"))).toBe("hold over; waiting for evidence");
    expect(holdCountdown(endsAt, at("2026-06-15T12:30:00.000Z"))).toBe("hold over; waiting for evidence");
  });
});

describe("formatGuardValue", () => {
  it("gives error-rate differences in signed percentage points and shares in percent", () => {
    expect(formatGuardValue("errorRate", 0.027)).toBe("+2.7 pp");
    expect(formatGuardValue("errorRate", -0.0012)).toBe("−0.12 pp");
    expect(formatGuardValue("errorRate", 0)).toBe("0.00 pp");
    expect(formatGuardValue("p99", 0.0084)).toBe("0.84%");
    expect(formatGuardValue("errorRateCeiling", 0.031)).toBe("3.1%");
  });
});

describe("guardScale", () => {
  it("spans 0 to past the threshold and the interval, with 5% room", () => {
    const scale = guardScale({ estimate: 0.004, interval: { lower: 0.001, upper: 0.03, level: 0.95 }, threshold: 0.01 });
    expect(scale.min).toBe(0);
    expect(scale.max).toBeCloseTo(0.0315, 10);
    expect(scalePosition(0.01, scale)).toBeCloseTo(31.75, 1);
  });

  it("reaches below 0 for a new path better than legacy, and clamps positions", () => {
    const scale = guardScale({ estimate: -0.002, interval: { lower: -0.006, upper: 0.002, level: 0.95 }, threshold: 0.005 });
    expect(scale.min).toBeLessThan(-0.006);
    expect(scale.max).toBeCloseTo(0.0075 + 0.000675, 10);
    expect(scalePosition(-1, scale)).toBe(0);
    expect(scalePosition(1, scale)).toBe(100);
  });

  it("draws the threshold alone while there is no estimate", () => {
    expect(guardScale({ estimate: null, interval: null, threshold: 0.01 })).toEqual({ min: 0, max: 0.015 * 1.05 });
  });
});

describe("evidenceProgress", () => {
  it("gives each path's requests against what it needs; legacy only when it is short", () => {
    expect(evidenceProgress({ samples: { new: 340, legacy: 9000 }, needed: { new: 660, legacy: 0 } })).toEqual([{ path: "new", have: 340, needed: 1000 }]);
    expect(evidenceProgress({ samples: { new: 340, legacy: 90 }, needed: { new: 660, legacy: 910 } })).toEqual([
      { path: "new", have: 340, needed: 1000 },
      { path: "legacy", have: 90, needed: 1000 },
    ]);
  });

  it("is null when no count of requests would let the guardrail pass", () => {
    expect(evidenceProgress({ samples: { new: 5000, legacy: 5000 }, needed: null })).toBeNull();
  });
});

describe("evidenceEtaMs", () => {
  it("extrapolates the step's rate: 250 requests in 2 min, 750 more needed, is 6 min", () => {
    expect(evidenceEtaMs({ samples: { new: 250, legacy: 20_000 }, needed: { new: 750, legacy: 0 } }, 2 * MINUTE)).toBe(6 * MINUTE);
  });

  it("takes the slower path", () => {
    expect(evidenceEtaMs({ samples: { new: 500, legacy: 100 }, needed: { new: 500, legacy: 400 } }, MINUTE)).toBe(4 * MINUTE);
  });

  it("is 0 with nothing missing, null without traffic to extrapolate or when no count would do", () => {
    expect(evidenceEtaMs({ samples: { new: 1000, legacy: 1000 }, needed: { new: 0, legacy: 0 } }, MINUTE)).toBe(0);
    expect(evidenceEtaMs({ samples: { new: 0, legacy: 0 }, needed: { new: 1000, legacy: 1000 } }, MINUTE)).toBeNull();
    expect(evidenceEtaMs({ samples: { new: 10, legacy: 10 }, needed: { new: 990, legacy: 990 } }, 0)).toBeNull();
    expect(evidenceEtaMs({ samples: { new: 10, legacy: 10 }, needed: null }, MINUTE)).toBeNull();
  });
});

describe("formatEta", () => {
  it("rounds to minutes, then hours", () => {
    expect(formatEta(30_000)).toBe("in under a minute");
    expect(formatEta(6 * MINUTE)).toBe("in about 6 min");
    expect(formatEta(150 * MINUTE)).toBe("in about 3 h");
  });
});
