import { randomUUID } from "node:crypto";
import type { APIRequestContext } from "@playwright/test";
import { encodeSketch, newLatencySketch } from "@rampart/sdk";
import { storageStateFor } from "./accounts";
import { uniqueKey } from "../testing/unique-key";
import { expect, test } from "./fixtures";

test.use({ storageState: storageStateFor("viewer") });

/** One metrics batch as an SDK instance posts it, reporting `dropped` samples it could not deliver before. */
async function postBatch(api: APIRequestContext, sdkKey: string, flag: string, instanceId: string, samples: number, dropped: number) {
  const sketch = newLatencySketch();
  sketch.accept(4);
  const now = Date.now();
  const response = await api.post("/api/sdk/metrics", {
    headers: { authorization: `Bearer ${sdkKey}` },
    data: {
      batchId: randomUUID(),
      instanceId,
      windowStart: now - 10_000,
      windowEnd: now,
      dropped,
      entries: [{ flag, path: "new", reason: "rollout", count: samples, errors: 0, sketch: Buffer.from(encodeSketch(sketch)).toString("base64") }],
    },
  });
  expect(response.status(), await response.text()).toBe(201);
}

test("an instance that dropped samples is called out on the flag page and listed on the fleet page", async ({ page, api }) => {
  // An environment of its own, so the counts are this test's alone.
  const env = uniqueKey("fleet").slice(0, 32);
  expect((await api.post("/api/environments", { data: { key: env, name: env } })).status()).toBe(201);
  const key = uniqueKey("schema_v2");
  expect((await api.post("/api/flags", { data: { key, owner: "orders-team" } })).status()).toBe(201);
  const created = await api.post("/api/sdk-keys", { data: { name: uniqueKey("orders"), environment: env } });
  const { secret } = await created.json();
  await postBatch(api, secret, key, "orders-api-7f9c", 490, 10);
  await postBatch(api, secret, key, "orders-worker-2b1d", 500, 0);

  await page.goto(`/flags/${key}?env=${env}`);
  const warning = page.getByTestId("dropped-samples-warning");
  await expect(warning).toHaveText(/1 instance dropped samples in the last hour \(1\.0% of samples\): the numbers below undercount\./);

  await page.screenshot({ path: "test-results/fleet-flag-page.png" });
  await warning.getByRole("link", { name: "See the instances →" }).click();
  await expect(page).toHaveURL(new RegExp(`/fleet\\?env=${env}$`));
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Fleet" })).toHaveAttribute("aria-current", "page");
  await expect(page.getByTestId("fleet-instances")).toContainText("2");
  await expect(page.getByTestId("fleet-dropping-instances")).toContainText("1");
  await expect(page.getByTestId("fleet-headline")).toContainText("1 instance dropped samples in the last hour (1.0% of samples)");
  await expect(page.getByTestId("chart-instance-drops")).toBeVisible();

  // The instance that dropped comes first, with its own share of drops.
  const rows = page.getByTestId("fleet-instance-row");
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0).getByRole("cell")).toHaveText(["orders-api-7f9c", /just now|minute/, "1", "490", "10", "2.0%"]);
  await expect(rows.nth(1).getByRole("cell")).toHaveText(["orders-worker-2b1d", /just now|minute/, "1", "500", "0", "0%"]);

  await page.screenshot({ path: "test-results/fleet-page.png", fullPage: true });

  // Staging saw none of it.
  await page.goto(`/fleet?env=staging`);
  await expect(page.getByTestId("fleet-instance-row").filter({ hasText: "orders-api-7f9c" })).toHaveCount(0);
});
