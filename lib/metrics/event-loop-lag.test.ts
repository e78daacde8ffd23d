import { describe, expect, it } from "vitest";
import { EventLoopLag } from "./event-loop-lag";

describe("event-loop lag", () => {
  it("is the mean lateness of the last second's ticks, counting the tick now overdue", () => {
    const lag = new EventLoopLag(20);
    let now = 0;
    lag.tick(now);
    for (let i = 0; i < 10; i++) lag.tick((now += 20)); // on time
    expect(lag.recentMs(now)).toBe(0);
    for (let i = 0; i < 10; i++) lag.tick((now += 120)); // each 100 ms late
    expect(lag.recentMs(now)).toBeCloseTo((10 * 100) / 21, 6);
    for (let i = 0; i < 60; i++) lag.tick((now += 20)); // a second on time forgets it
    expect(lag.recentMs(now)).toBe(0);
    // Blocked right now: the overdue tick counts before it has run.
    expect(lag.recentMs(now + 1_020)).toBeCloseTo(1_000 / 51, 6);
  });
});
