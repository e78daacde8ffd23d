import { encodeSketch, newLatencySketch, type MetricsBatch } from "@rampart/sdk";
import type { APIRequestContext } from "@playwright/test";
import { storageStateFor } from "./accounts";
import { uniqueKey } from "../testing/unique-key";
import { expect, test } from "./fixtures";

test.use({ storageState: storageStateFor("operator") });

const MINUTE = 60_000;

function sketch(ms: number, n: number): string {
  const s = newLatencySketch();
  for (let i = 0; i < n; i++) s.accept(ms + (i % 5));
  return Buffer.from(encodeSketch(s)).toString("base64");
}

/** One SDK batch filed under the minute `minutesAgo` before the current one: 100 new-path and 300 legacy requests. */
async function sendMinute(api: APIRequestContext, sdkKey: string, flag: string, minutesAgo: number, { newErrors, newMs }: { newErrors: number; newMs: number }) {
  const minute = Math.floor(Date.now() / MINUTE) * MINUTE - minutesAgo * MINUTE;
  const batch: MetricsBatch = {
    batchId: crypto.randomUUID(),
    instanceId: "orders-generated",
    windowStart: minute + 1_000,
    windowEnd: minute + 11_000,
    entries: [
      { flag, path: "new", reason: "rollout", count: 100, errors: newErrors, sketch: sketch(newMs, 100) },
      { flag, path: "legacy", reason: "rollout", count: 300, errors: 1, sketch: sketch(20, 300) },
    ],
    dropped: 0,
  };
  const response = await api.post("/api/sdk/metrics", { data: batch, headers: { authorization: `Bearer ${sdkKey}` } });
  expect(response.status()).toBe(201);
}

async function rampedFlagWithTraffic(api: APIRequestContext) {
  const key = uniqueKey("orders_v2");
  expect((await api.post("/api/flags", { data: { key, owner: "orders-team" } })).status()).toBe(201);
  expect((await api.patch(`/api/flags/${key}`, { data: { percentage: 25 } })).status()).toBe(200);
  const sdkKey = (await (await api.post("/api/sdk-keys", { data: { name: uniqueKey("orders"), environment: "production" } })).json()).secret;
  // A fault 10 to 6 minutes ago (15 % errors, p99 ~150 ms), then healthy minutes up to the current one.
  for (let ago = 10; ago >= 6; ago--) await sendMinute(api, sdkKey, key, ago, { newErrors: 15, newMs: 150 });
  for (let ago = 5; ago >= 0; ago--) await sendMinute(api, sdkKey, key, ago, { newErrors: 0, newMs: 20 });
  return key;
}

test("after a fault is fixed the headline for now is not red, while the window's totals still show the fault", async ({ page, api }) => {
  const key = await rampedFlagWithTraffic(api);
  await page.goto(`/flags/${key}`);

  // Ramping at 25 %: the page opens on 15 minutes.
  await expect(page.getByRole("group", { name: "Time window" }).getByRole("button", { name: "15m" })).toHaveAttribute("aria-pressed", "true");
  // The ramp was made a moment ago, so "now" counts from it: the current minute, healthy.
  await expect(page.getByTestId("path-headline").getByRole("heading")).toContainText("since this step began");
  await expect(page.getByTestId("now-errors")).toHaveAttribute("data-verdict", "ok");
  await expect(page.getByTestId("now-errors")).toContainText("−0.33 pp");
  await expect(page.getByTestId("now-p99")).toHaveAttribute("data-verdict", "ok");
  await expect(page.getByTestId("window-errors")).toHaveAttribute("data-verdict", "regressed");
  await expect(page.getByTestId("window-p99")).toHaveAttribute("data-verdict", "regressed");
  await expect(page.getByTestId("now-share")).toContainText("25% of keyed users; 25.0% of all requests.");
  await page.screenshot({ path: "test-results/now-values.png", fullPage: true });
});

test("charts say what they show in words, in UTC, and are no tab stops", async ({ page, api }) => {
  const key = await rampedFlagWithTraffic(api);
  await page.goto(`/flags/${key}`);
  for (const id of ["chart-requests", "chart-latency", "chart-errors"]) {
    const chart = page.getByTestId(id);
    await expect(chart.getByTestId("chart-summary")).toContainText(/^Latest complete minute, \w{3} \d\d:\d\d UTC: /);
    await expect(chart.getByText("Times in UTC")).toBeVisible();
    await expect(chart.locator("svg").first()).toBeVisible();
  }
  await expect(page.getByTestId("chart-errors").getByTestId("chart-summary")).toContainText("errors on the new path 0.0%, on the legacy path 0.33%");
  await expect(page.locator('[role="application"]')).toHaveCount(0);
  await expect(page.locator('figure [tabindex]:not([tabindex="-1"])')).toHaveCount(0);
});

test("a kill: the headline says no new-path traffic since the kill, and the ramp and kill share one marker", async ({ page, api }) => {
  const key = await rampedFlagWithTraffic(api);
  expect((await api.post(`/api/flags/${key}/kill`, { data: { reason: "errors" } })).status()).toBe(200);
  await page.goto(`/flags/${key}`);

  await expect(page.getByRole("group", { name: "Time window" }).getByRole("button", { name: "1h" })).toHaveAttribute("aria-pressed", "true");
  await expect(page.getByTestId("now-killed")).toContainText("No new-path traffic since the kill");
  await expect(page.getByTestId("now-share")).toContainText("Killed: every request takes the legacy path.");
  const marker = page.getByTestId("chart-requests").getByTestId("ramp-marker");
  await expect(marker).toHaveCount(1);
  await expect(marker).toContainText("2 changes");
  await expect(marker.locator("title")).toContainText(/→ 25% at \d\d:\d\d UTC by .+\nkilled at \d\d:\d\d UTC by /);
});

test("while the new path is worse now, the bar shows it and ramping up warns before it goes out", async ({ page, api }) => {
  const key = uniqueKey("orders_v2");
  expect((await api.post("/api/flags", { data: { key, owner: "orders-team" } })).status()).toBe(201);
  expect((await api.patch(`/api/flags/${key}`, { data: { percentage: 25 } })).status()).toBe(200);
  const sdkKey = (await (await api.post("/api/sdk-keys", { data: { name: uniqueKey("orders"), environment: "production" } })).json()).secret;
  await sendMinute(api, sdkKey, key, 0, { newErrors: 15, newMs: 150 });
  await page.goto(`/flags/${key}`);

  await expect(page.getByTestId("incident-bar").getByTestId("headline-now")).toContainText("Now");
  await expect(page.getByTestId("now-errors")).toHaveAttribute("data-verdict", "regressed");
  await page.getByRole("button", { name: "50%", exact: true }).click();
  await page.getByRole("button", { name: "Ramp to 50%…" }).click();
  await expect(page.getByTestId("ramp-headline-warning")).toContainText("The new path is worse than the legacy path now");
  // Lowering is the way out, so it carries no such warning.
  await page.getByRole("button", { name: "Cancel" }).click();
  await page.getByRole("button", { name: "5%", exact: true }).click();
  await page.getByRole("button", { name: "Ramp to 5%…" }).click();
  await expect(page.getByTestId("ramp-headline-warning")).toHaveCount(0);
});
