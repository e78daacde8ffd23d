import { encodeSketch, newLatencySketch, type MetricsBatch } from "@rampart/sdk";
import type { APIRequestContext } from "@playwright/test";
import { storageStateFor } from "./accounts";
import { uniqueKey } from "../testing/unique-key";
import { expect, test } from "./fixtures";

test.use({ storageState: storageStateFor("operator") });

const HOUR = 60 * 60 * 1000;

/** One generated SDK batch of new-path requests whose window ended `endedAgo` ms ago. */
async function sendNewPathTraffic(api: APIRequestContext, sdkKey: string, flag: string, requests: number, endedAgo: number) {
  const sketch = newLatencySketch();
  for (let i = 0; i < requests; i++) sketch.accept(4 + (i % 7));
  const windowEnd = Date.now() - endedAgo;
  const batch: MetricsBatch = {
    batchId: crypto.randomUUID(),
    instanceId: "orders-generated",
    windowStart: windowEnd - 10_000,
    windowEnd,
    entries: [{ flag, path: "new", reason: "rollout", count: requests, errors: 0, sketch: Buffer.from(encodeSketch(sketch)).toString("base64") }],
    dropped: 0,
  };
  const response = await api.post("/api/sdk/metrics", { data: batch, headers: { authorization: `Bearer ${sdkKey}` } });
  expect(response.status()).toBe(201);
}

test("a flag walks the whole teardown: ramp, zero fallback, archive, drop the column", async ({ page, api }) => {
  // A dozen page loads and confirms in every environment: more than the default 30 s on a busy CI machine.
  test.setTimeout(90_000);
  const key = uniqueKey("enable_orders_v2_total");
  const created = await api.post("/api/flags", {
    data: {
      key,
      owner: "payments-team",
      removalTicket: { quietHours: 1, contraction: { table: "orders", oldColumn: "legacy_total", newColumn: "new_total" } },
    },
  });
  expect(created.status()).toBe(201);
  const sdkKey = (await (await api.post("/api/sdk-keys", { data: { name: uniqueKey("orders"), environment: "production" } })).json()).secret;
  // The service ran on the new path until two hours ago, then the flag left its code.
  await sendNewPathTraffic(api, sdkKey, key, 600, 3 * HOUR);
  await sendNewPathTraffic(api, sdkKey, key, 400, 2 * HOUR);

  await page.goto(`/flags/${key}?env=production`);
  const step = (n: number) => page.getByTestId(`teardown-step-${n}`);
  await expect(step(1)).toHaveAttribute("data-state", "current");
  await expect(step(2)).toHaveAttribute("data-state", "locked");

  // Too early: the API refuses each later step with its reason, and nothing moves.
  const early = await api.post(`/api/flags/${key}/archive`);
  expect(early.status()).toBe(409);
  expect((await early.json()).error.code).toBe("zero_fallback_unconfirmed");
  expect((await api.post(`/api/flags/${key}/teardown/zero-fallback?env=production`)).status()).toBe(409);
  await expect(page.getByTestId("confirm-zero-fallback")).toBeDisabled();

  // The ramp form is the one place that changes the percentage; 0 → 100 skips every standard step.
  await page.getByRole("button", { name: "100%", exact: true }).click();
  await page.getByRole("button", { name: "Ramp to 100%…" }).click();
  await page.getByTestId("ramp-skip-acknowledge").check();
  await page.getByTestId("ramp-confirm").click();
  await expect(step(1)).toHaveAttribute("data-state", "done");
  await expect(page.getByTestId("teardown-details")).toHaveAttribute("open", "");

  await expect(page.getByTestId("legacy-count")).toHaveText("0");
  await page.getByTestId("confirm-zero-fallback").click();
  await page.getByTestId("confirm-step").click();
  await expect(step(2)).toHaveAttribute("data-state", "done");

  await page.getByTestId("archive-flag").click();
  await page.getByTestId("confirm-step").click();
  await expect(step(3)).toHaveAttribute("data-state", "done");
  const snapshot = await (await api.get("/api/sdk/flags", { headers: { authorization: `Bearer ${sdkKey}` } })).json();
  expect(snapshot.flags.map((flag: { key: string }) => flag.key)).not.toContain(key);

  await expect(step(4)).toContainText("ALTER TABLE orders DROP COLUMN IF EXISTS legacy_total;");
  await page.getByTestId("confirm-schema-contracted").click();
  await page.getByTestId("confirm-step").click();
  await expect(step(4)).toHaveAttribute("data-state", "done");
  await page.screenshot({ path: "test-results/teardown.png", fullPage: true });

  // The old column exists in every environment's database; the ticket closes when all are confirmed.
  const { schemaContracted } = await (await api.get(`/api/flags/${key}/teardown?env=production`)).json();
  for (const env of schemaContracted.pendingEnvironments as string[]) {
    await page.goto(`/flags/${key}?env=${env}`);
    await page.getByTestId("confirm-schema-contracted").click();
    await page.getByTestId("confirm-step").click();
    await expect(page.getByTestId("teardown-step-4")).toHaveAttribute("data-state", "done");
  }
  await expect(page.getByText("Removal ticket closed")).toBeVisible();

  // One stage-4 event per environment, and a shared database may hold many environments.
  const audit = await (await api.get(`/api/audit?flag=${key}&limit=200`)).json();
  const actions = (audit.events as { action: string }[]).map((event) => event.action).reverse();
  expect(actions.slice(0, 5)).toEqual([
    "flag.created",
    "flag.state_updated",
    "teardown.zero_fallback_confirmed",
    "flag.archived",
    "teardown.schema_contracted",
  ]);
  expect(new Set(actions.slice(4))).toEqual(new Set(["teardown.schema_contracted"]));
});
