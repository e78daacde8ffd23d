import { afterEach, describe, expect, it } from "vitest";
import * as flagMetricsRoute from "@/app/api/flags/[key]/metrics/route";
import { requireEnvironment } from "@/lib/environments/environment-store";
import { getFlagStreamHub } from "@/lib/sdk/flag-stream-hub";
import { callRoute, givenFlag, givenSdkKey, givenToken } from "@/testing/api";
import { getDb } from "@/testing/db";
import { givenTraffic } from "@/testing/traffic";
import * as route from "./route";

const scrape = async (as?: string | null) => {
  const response = await route.GET(new Request("http://localhost/metrics", { headers: as ? { authorization: `Bearer ${as}` } : {} }), { params: Promise.resolve({}) });
  return { status: response.status, contentType: response.headers.get("content-type"), text: await response.text() };
};

/** The value of one series, by its exact label set as Prometheus writes it. */
function valueOf(text: string, name: string, labels: Record<string, string>): number | undefined {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split("\n")) {
    if (!line.startsWith(`${name}{`)) continue;
    const inside = line.slice(name.length + 1, line.lastIndexOf("}"));
    const parts = inside.split(",");
    if (parts.length === wanted.length && wanted.every((label) => parts.includes(label))) return Number(line.slice(line.lastIndexOf(" ") + 1));
  }
  return undefined;
}

afterEach(() => {
  delete process.env.RAMPART_METRICS_PUBLIC;
});

describe("GET /metrics", () => {
  it("exports per-path counters and quantiles that agree with the flag's metrics API", async () => {
    const key = await givenFlag("prom_orders");
    const lastMinute = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 30_000);
    await givenTraffic(key, { path: "new", requests: 400, errors: 12, at: lastMinute, latencyMs: (i) => 10 + (i % 100) });
    await givenTraffic(key, { path: "legacy", requests: 600, errors: 3, at: lastMinute, latencyMs: () => 20 });
    await givenTraffic(key, { path: "new", requests: 5, reason: "targeted", at: lastMinute });

    const { status, contentType, text } = await scrape((await givenToken("viewer")).secret);
    expect(status).toBe(200);
    expect(contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    const api = (await callRoute<{ totals: Record<"new" | "legacy", { requests: number; errors: number }>; targeted: { requests: number } }>(flagMetricsRoute.GET, { path: `/api/flags/${key}/metrics?env=production&window=1h`, params: { key } })).body;
    const labels = (path: string) => ({ feature_flag_key: key, environment: "production", path });
    expect(valueOf(text, "feature_flag_requests_total", labels("new"))).toBe(api.totals.new.requests + api.targeted.requests);
    expect(valueOf(text, "feature_flag_requests_total", labels("legacy"))).toBe(api.totals.legacy.requests);
    expect(valueOf(text, "feature_flag_errors_total", labels("new"))).toBe(12);
    expect(valueOf(text, "feature_flag_evaluations_total", { feature_flag_key: key, environment: "production", feature_flag_result_variant: "on", feature_flag_result_reason: "targeted" })).toBe(5);
    expect(valueOf(text, "feature_flag_evaluations_total", { feature_flag_key: key, environment: "production", feature_flag_result_variant: "off", feature_flag_result_reason: "rollout" })).toBe(600);
    // 1% relative accuracy: the legacy path's 20 ms, and the new path's 10–109 ms spread.
    expect(valueOf(text, "feature_flag_latency_seconds", { ...labels("legacy"), quantile: "0.99" })).toBeCloseTo(0.02, 3);
    const p50 = valueOf(text, "feature_flag_latency_seconds", { ...labels("new"), quantile: "0.5" })!;
    expect(Math.abs(p50 - 0.059) / 0.059).toBeLessThan(0.03);
    expect(valueOf(text, "feature_flag_percentage", { feature_flag_key: key, environment: "production" })).toBe(0);
    expect(valueOf(text, "feature_flag_killed", { feature_flag_key: key, environment: "production" })).toBe(0);
    expect(text).toMatch(/^rampart_sse_connections \d+$/m);
    expect(text).toMatch(/^rampart_metrics_batches_ingested_total \d+$/m);
    // Other test files' listeners may hold a few notifications: a tiny share of the 8 GB queue.
    const queueUsage = Number(/^rampart_notify_queue_usage (\S+)$/m.exec(text)?.[1]);
    expect(queueUsage).toBeGreaterThanOrEqual(0);
    expect(queueUsage).toBeLessThan(0.01);
  });

  it("times a probe NOTIFY to this instance's listener once it serves a stream", async () => {
    const hub = await getFlagStreamHub();
    const stop = await hub.subscribe(await requireEnvironment(await getDb(), "production"), 0, () => undefined);
    try {
      const { text } = await scrape((await givenToken("viewer")).secret);
      const lag = Number(/^rampart_notify_lag_seconds (\S+)$/m.exec(text)?.[1]);
      expect(lag).toBeGreaterThan(0);
      expect(lag).toBeLessThan(1);
    } finally {
      stop();
    }
  });

  it("needs an SDK key or an API token, unless RAMPART_METRICS_PUBLIC=1; a scoped one sees its environment only", async () => {
    expect((await scrape(null)).status).toBe(401);
    const sdkScrape = await scrape(await givenSdkKey("staging"));
    expect(sdkScrape.status).toBe(200);
    expect(sdkScrape.text).not.toMatch(/environment="production"/);
    process.env.RAMPART_METRICS_PUBLIC = "1";
    const open = await scrape(null);
    expect(open.status).toBe(200);
    expect(open.text).toMatch(/environment="production"/);
  });
});
