import { describe, expect, it } from "vitest";
import { updateFlagState } from "@/lib/flags/update-flag-state";
import type { readFlagMetrics } from "@/lib/metrics/read-flag-metrics";
import { callRoute, givenFlag, testContext } from "@/testing/api";
import { GET } from "./route";

type FlagMetrics = Awaited<ReturnType<typeof readFlagMetrics>>;

async function metrics(key: string, query = "") {
  return callRoute<FlagMetrics>(GET, { path: `/api/flags/${key}/metrics?env=production${query}`, params: { key } });
}

describe("GET /api/flags/{key}/metrics", () => {
  it("without a window answers 1h at 0 % and 15m once ramping, with the headline for now", async () => {
    const key = await givenFlag("metrics_route");
    expect((await metrics(key)).body.window).toBe("1h");
    await updateFlagState({ ctx: await testContext(), input: { key, env: "production", patch: { percentage: 10 } } });

    const { status, body } = await metrics(key);
    expect(status).toBe(200);
    expect(body.window).toBe("15m");
    expect(body.state).toMatchObject({ percentage: 10, killed: false });
    expect(body.headline.now).toMatchObject({ basis: "step", newShare: null, new: { requests: 0 } });
    expect(body.headline.now.errorRate).toMatchObject({ tone: "insufficient", reason: "not enough traffic: 0 new-path requests, 100 needed" });
    expect((await metrics(key, "&window=7d")).body.window).toBe("7d");
  });

  it("refuses a window it does not know", async () => {
    const key = await givenFlag("metrics_route");
    const { status, body } = await metrics(key, "&window=2h");
    expect(status).toBe(400);
    expect(body.error?.details).toEqual([{ path: "window", message: "must be 15m, 1h, 24h or 7d" }]);
  });
});
