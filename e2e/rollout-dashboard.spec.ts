import { createClient } from "@rampart/sdk";
import { storageStateFor } from "./accounts";
import { uniqueKey } from "../testing/unique-key";
import { expect, test } from "./fixtures";

test.use({ storageState: storageStateFor("operator") });

/** Sends gated traffic through the real SDK and flushes it, as a service would. */
async function traffic(baseURL: string, sdkKey: string, flag: string, users: number, offset = 0) {
  const client = createClient({ url: baseURL, sdkKey, flushIntervalMs: 60_000 });
  if (!(await client.ready({ timeoutMs: 10_000 }))) throw new Error("SDK not ready");
  for (let i = 0; i < users; i++) {
    await client.gate(flag, { user_id: `user-${offset + i}` }, {
      newPath: () => new Promise((resolve) => setTimeout(resolve, 2)),
      legacyPath: () => new Promise((resolve) => setTimeout(resolve, 3)),
    });
  }
  await client.close(); // flushes the last window
}

test("on-call watches a ramp, moves it to 25% and kills it; the new-path share falls", async ({ page, api, baseURL }) => {
  const key = uniqueKey("schema_v2");
  expect((await api.post("/api/flags", { data: { key, owner: "orders-team" } })).status()).toBe(201);
  await api.patch(`/api/flags/${key}`, { data: { percentage: 50 } });
  const created = await api.post("/api/sdk-keys", { data: { name: uniqueKey("orders"), environment: "production" } });
  const { secret } = await created.json();
  await traffic(baseURL!, secret, key, 400);

  await page.goto(`/flags/${key}?window=15m`);
  await expect(page.getByTestId("chart-requests")).toBeVisible();
  await expect(page.getByTestId("chart-latency")).toBeVisible();
  await expect(page.getByTestId("chart-errors")).toBeVisible();
  await expect(page.getByText(/No traffic in this window/)).toHaveCount(0);
  const shareBefore = parseFloat((await page.getByTestId("new-path-share").textContent()) ?? "");
  expect(shareBefore).toBeGreaterThan(30);
  expect(shareBefore).toBeLessThan(70);

  await page.getByRole("button", { name: "25%", exact: true }).click();
  await page.getByRole("button", { name: "Ramp to 25%…" }).click();
  await expect(page.getByText(`Ramp ${key} in production from 50% to 25%?`)).toBeVisible();
  await page.getByTestId("ramp-confirm").click();
  await expect(page.getByTestId("flag-percentage")).toContainText("25%");
  const audit = await (await api.get(`/api/audit?flag=${key}`)).json();
  expect(audit.events[0]).toMatchObject({ action: "flag.state_updated", source: "ui", before: { percentage: 50 }, after: { percentage: 25 } });

  await page.getByTestId("kill-switch").click();
  await page.getByTestId("kill-switch-confirm").click();
  await expect(page.getByTestId("killed-badge")).toBeVisible();

  // After the kill every request takes the legacy path, so the window's share falls.
  await traffic(baseURL!, secret, key, 400, 400);
  await expect
    .poll(async () => parseFloat((await page.getByTestId("new-path-share").textContent()) ?? ""), { timeout: 15_000 })
    .toBeLessThan(shareBefore * 0.75);
  await page.screenshot({ path: "test-results/flag-page.png", fullPage: true });
});

test("on-call kills a flag from its row in the flags list", async ({ page, api }) => {
  const key = uniqueKey("enable_orders_v2_total");
  await api.post("/api/flags", { data: { key, owner: "payments-team" } });
  await api.patch(`/api/flags/${key}`, { data: { percentage: 100 } });

  await page.goto("/");
  await page.getByTestId(`row-kill-${key}`).click();
  await page.getByLabel(`Reason for killing ${key}`).fill("legacy_total reads spiking");
  await page.getByTestId(`row-kill-confirm-${key}`).click();
  await expect(page.getByRole("row", { name: new RegExp(key) }).getByTestId("killed-badge")).toBeVisible();
  await expect(page.getByTestId(`row-kill-${key}`)).toHaveCount(0);

  const state = await (await api.get(`/api/flags/${key}`)).json();
  expect(state.state).toMatchObject({ killed: true, percentage: 0, percentageBeforeKill: 100 });
  const audit = await (await api.get(`/api/audit?flag=${key}`)).json();
  // The flag was ramped, so the kill also moves its teardown back a stage, in the same transaction.
  expect(audit.events.slice(0, 2)).toMatchObject([
    { action: "teardown.moved_back", before: { stage: "ramped" }, after: { stage: "ramping" }, reason: "legacy_total reads spiking" },
    { action: "flag.killed", source: "ui", reason: "legacy_total reads spiking" },
  ]);
});
