import { expect, test } from "@playwright/test";

function uniqueKey(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
}

test("the seed's curl changes the flag and its page shows it", async ({ page, request }) => {
  const key = uniqueKey("schema_v2");
  const created = await request.post("/api/flags", { data: { key, owner: "orders-team" } });
  expect(created.status()).toBe(201);
  expect((await request.patch(`/api/flags/${key}`, { data: { percentage: 25, default: true } })).status()).toBe(200);

  await page.goto(`/flags/${key}`);
  await expect(page.getByTestId("flag-percentage")).toContainText("25");

  // Exactly the seed's call: a raw body with curl's form content type.
  const revert = await request.patch(`/api/flags/${key}`, {
    data: '{"default": false, "percentage": 0}',
    headers: { "content-type": "application/x-www-form-urlencoded" },
  });
  expect(revert.status()).toBe(200);

  await page.reload();
  await expect(page.getByTestId("flag-percentage")).toContainText("0");
  await expect(page.getByText("flag.state_updated").first()).toBeVisible();
});

test("on-call kills a ramping flag from its page and restores it", async ({ page, request }) => {
  const key = uniqueKey("orders_v2_total");
  await request.post("/api/flags", { data: { key, owner: "payments-team" } });
  await request.patch(`/api/flags/${key}`, { data: { percentage: 50 } });

  await page.goto(`/flags/${key}`);
  await expect(page.getByTestId("flag-percentage")).toContainText("50");
  page.on("dialog", (dialog) => dialog.accept());
  await page.getByTestId("kill-switch").click();
  const confirm = page.getByRole("button", { name: /confirm|kill now|yes/i });
  if (await confirm.isVisible().catch(() => false)) await confirm.click();

  await expect(page.getByTestId("killed-badge")).toBeVisible();
  const killed = await (await request.get(`/api/flags/${key}`)).json();
  expect(killed.state).toMatchObject({ killed: true, percentage: 0, percentageBeforeKill: 50 });

  await page.getByTestId("restore").click();
  await expect(page.getByTestId("killed-badge")).toBeHidden();
  await expect(page.getByTestId("flag-percentage")).toContainText("50");

  const audit = await (await request.get(`/api/audit?flag=${key}`)).json();
  expect(audit.events.slice(0, 2).map((e: { action: string; source: string }) => [e.action, e.source])).toEqual([
    ["flag.restored", "ui"],
    ["flag.killed", "ui"],
  ]);
});

test("the create form makes a flag and shows field errors from the API", async ({ page }) => {
  const key = uniqueKey("checkout_v3");
  await page.goto("/flags/new");
  await page.getByLabel(/^key/i).fill("Not A Key");
  await page.getByLabel(/^owner/i).fill("checkout-team");
  await page.getByRole("button", { name: /create/i }).click();
  await expect(page.getByText(/must match/i)).toBeVisible();

  await page.getByLabel(/^key/i).fill(key);
  await page.getByRole("button", { name: /create/i }).click();
  await expect(page).toHaveURL(new RegExp(`/flags/${key}`));
  await expect(page.getByRole("heading", { name: key })).toBeVisible();
});
