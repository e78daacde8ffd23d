import { randomUUID } from "node:crypto";
import { newLatencySketch } from "@rampart/sdk";
import { describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { requireEnvironment } from "@/lib/environments/environment-store";
import { killFlag, restoreFlag } from "@/lib/flags/kill-switch";
import { updateFlagState } from "@/lib/flags/update-flag-state";
import { givenFlag, testContext } from "@/testing/api";
import { ingestMetrics } from "./ingest-metrics";
import { encodeSketch } from "./latency-sketch";
import { headlineSpan } from "./now-headline";
import { readFlagMetrics } from "./read-flag-metrics";

const MINUTE = 60_000;

/** One SDK batch for a minute `minutesAgo` before `now`: both paths, the new one with `newErrors`. */
async function givenMinute(key: string, now: Date, minutesAgo: number, { newErrors, newMs = 20 }: { newErrors: number; newMs?: number }) {
  const environment = await requireEnvironment(await getDb(), "production");
  const minute = Math.floor(now.getTime() / MINUTE) * MINUTE - minutesAgo * MINUTE;
  const sketch = (ms: number, n: number) => {
    const s = newLatencySketch();
    for (let i = 0; i < n; i++) s.accept(ms + (i % 5));
    return encodeSketch(s);
  };
  await ingestMetrics(
    environment,
    {
      batchId: randomUUID(),
      instanceId: "orders-1",
      windowStart: minute + 10_000,
      windowEnd: minute + 20_000,
      entries: [
        { flag: key, path: "new", reason: "rollout", count: 100, errors: newErrors, sketch: sketch(newMs, 100) },
        { flag: key, path: "legacy", reason: "rollout", count: 300, errors: 1, sketch: sketch(20, 300) },
      ],
      dropped: 0,
    },
    now,
  );
}

async function rampedFlag(percentage: number) {
  const key = await givenFlag("now_headline");
  await updateFlagState({ ctx: await testContext(), input: { key, env: "production", patch: { percentage } } });
  return key;
}

describe("readFlagMetrics: the headline for now", () => {
  it("is green over the last 5 minutes after a fault 10 to 6 minutes ago, while the window's totals stay red", async () => {
    const key = await rampedFlag(25);
    // The ramp happened just now; a ramp done earlier is what this test is about, so read as if later.
    const now = new Date(Date.now() + 12 * MINUTE);
    for (let ago = 10; ago >= 6; ago--) await givenMinute(key, now, ago, { newErrors: 15, newMs: 150 });
    for (let ago = 5; ago >= 1; ago--) await givenMinute(key, now, ago, { newErrors: 0 });

    const metrics = await readFlagMetrics({ db: await getDb(), key, env: "production", window: "1h", now });
    const headline = metrics.headline.now;
    expect(headline.basis).toBe("recent");
    expect(Date.parse(headline.to) - Date.parse(headline.from)).toBe(6 * MINUTE);
    expect(headline.new).toMatchObject({ requests: 500, errors: 0 });
    expect(headline.legacy).toMatchObject({ requests: 1_500, errors: 5 });
    expect(headline.errorRate.tone).toBe("ok");
    expect(headline.p99.tone).toBe("ok");
    expect(headline.newShare).toBe(0.25);

    expect(metrics.totals.new).toMatchObject({ requests: 1_000, errors: 75 });
    expect(metrics.headline.window.errorRate.tone).toBe("regressed");
    expect(metrics.headline.window.errorRate.delta).toBeCloseTo(7.5 - (10 / 3_000) * 100, 10);
    expect(metrics.headline.window.p99.tone).toBe("regressed");
    expect(metrics.state).toMatchObject({ percentage: 25, killed: false });
  });

  it("counts from the step when the percentage changed within the last 5 minutes", async () => {
    const key = await rampedFlag(10);
    const now = new Date();
    // Before the step: 2 minutes ago would be inside "recent", but the step is newer.
    await givenMinute(key, now, 3, { newErrors: 50 });
    await updateFlagState({ ctx: await testContext(), input: { key, env: "production", patch: { percentage: 25 } } });
    await givenMinute(key, now, 0, { newErrors: 0 });

    const metrics = await readFlagMetrics({ db: await getDb(), key, env: "production", now });
    expect(metrics.window).toBe("15m");
    expect(metrics.headline.now.basis).toBe("step");
    expect(metrics.headline.now.since).toBe(metrics.state.servedSince);
    expect(metrics.headline.now.new).toMatchObject({ requests: 100, errors: 0 });
    expect(metrics.totals.new).toMatchObject({ requests: 200, errors: 50 });
  });

  it("after a kill counts no new-path traffic from the minute after it, and after a restore counts from the restore", async () => {
    const key = await rampedFlag(25);
    await givenMinute(key, new Date(), 2, { newErrors: 40 });
    await killFlag({ ctx: await testContext(), input: { key, env: "production" } });
    const later = new Date(Date.now() + 3 * MINUTE);

    const killed = await readFlagMetrics({ db: await getDb(), key, env: "production", now: later });
    expect(killed.window).toBe("1h");
    expect(killed.headline.now).toMatchObject({ basis: "killed", since: killed.state.servedSince });
    expect(killed.headline.now.new.requests).toBe(0);
    expect(killed.totals.new.requests).toBe(100);

    await restoreFlag({ ctx: await testContext(), input: { key, env: "production" } });
    const restored = await readFlagMetrics({ db: await getDb(), key, env: "production" });
    expect(restored.state).toMatchObject({ percentage: 25, killed: false });
    expect(restored.headline.now.basis).toBe("step");
    expect(restored.headline.now.new.requests).toBe(0);
  });
});

describe("headlineSpan", () => {
  const now = new Date("2026-05-04T12:10:30Z");
  it("reaches 5 whole minutes back plus the current one", () => {
    expect(headlineSpan({ now, killed: false, servedSince: new Date("2026-05-04T09:00:00Z") })).toEqual({
      basis: "recent",
      from: new Date("2026-05-04T12:05:00Z"),
      to: new Date("2026-05-04T12:11:00Z"),
      since: null,
    });
  });

  it("starts at a kill's next minute, or an hour back for an old kill", () => {
    expect(headlineSpan({ now, killed: true, servedSince: new Date("2026-05-04T12:08:20Z") }).from).toEqual(new Date("2026-05-04T12:09:00Z"));
    expect(headlineSpan({ now, killed: true, servedSince: new Date("2026-05-03T12:08:20Z") }).from).toEqual(new Date("2026-05-04T11:10:00Z"));
  });
});
