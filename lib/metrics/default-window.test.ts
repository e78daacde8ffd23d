import { describe, expect, it } from "vitest";
import { defaultMetricsWindow } from "./default-window";

describe("defaultMetricsWindow", () => {
  it("opens on 15m while ramping, 1h at 0 %, 100 % or killed", () => {
    expect(defaultMetricsWindow({ percentage: 25, killed: false })).toBe("15m");
    expect(defaultMetricsWindow({ percentage: 0.01, killed: false })).toBe("15m");
    expect(defaultMetricsWindow({ percentage: 0, killed: false })).toBe("1h");
    expect(defaultMetricsWindow({ percentage: 100, killed: false })).toBe("1h");
    expect(defaultMetricsWindow({ percentage: 0, killed: true })).toBe("1h");
  });
});
