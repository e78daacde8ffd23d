import { e2eUsers, storageStateFor } from "./accounts";
import { uniqueKey } from "../testing/unique-key";
import { clickUntilShown, expect, test } from "./fixtures";

test.use({ storageState: storageStateFor("admin") });

test("the seed's curl changes the flag and its page shows it", async ({ page, api }) => {
  const key = uniqueKey("schema_v2");
  const created = await api.post("/api/flags", { data: { key, owner: "orders-team" } });
  expect(created.status()).toBe(201);
  expect((await api.patch(`/api/flags/${key}`, { data: { percentage: 25, default: true } })).status()).toBe(200);

  await page.goto(`/flags/${key}`);
  await expect(page.getByTestId("flag-percentage")).toContainText("25");

  // Exactly the seed's call: a raw body with curl's form content type.
  const revert = await api.patch(`/api/flags/${key}`, {
    data: '{"default": false, "percentage": 0}',
    headers: { "content-type": "application/x-www-form-urlencoded" },
  });
  expect(revert.status()).toBe(200);

  await page.reload();
  await expect(page.getByTestId("flag-percentage")).toContainText("0");
  await expect(page.getByText("flag.state_updated").first()).toBeVisible();
});

test("the create form checks the key as you type, in words, with the limit and a count", async ({ page }) => {
  const key = uniqueKey("checkout_v3");
  await page.goto("/flags/new");
  await expect(page.getByText(/at most 64 characters/)).toBeVisible();
  await page.getByLabel(/^key/i).fill("Not A Key");
  await expect(page.getByText("Start with a lowercase letter or a digit.")).toBeVisible();
  await page.getByLabel(/^key/i).fill("not A key");
  await expect(page.getByText("Not allowed: spaces, “A” (use lowercase). Use lowercase letters, digits, _ . and -.")).toBeVisible();
  await page.getByLabel(/^key/i).fill("a".repeat(65));
  await expect(page.getByTestId("key-length")).toHaveText("65 / 64");
  await expect(page.getByText("65 characters: at most 64.")).toBeVisible();
  await page.getByLabel(/^owner/i).fill("checkout-team");
  await page.getByRole("button", { name: /create/i }).click();
  await expect(page).toHaveURL(/\/flags\/new/);

  await page.getByLabel(/^key/i).fill(key);
  await expect(page.getByTestId("key-length")).toHaveText(`${key.length} / 64`);
  await page.getByRole("button", { name: /create/i }).click();
  await expect(page).toHaveURL(new RegExp(`/flags/${key}`));
  await expect(page.getByRole("heading", { name: key })).toBeVisible();
});

test.describe("as the on-call operator", () => {
  test.use({ storageState: storageStateFor("operator") });

  test("on-call kills a ramping flag from its page and restores it", async ({ page, api }) => {
    const key = uniqueKey("orders_v2_total");
    await api.post("/api/flags", { data: { key, owner: "payments-team" } });
    await api.patch(`/api/flags/${key}`, { data: { percentage: 50 } });

    await page.goto(`/flags/${key}`);
    await expect(page.getByTestId("flag-percentage")).toContainText("50");
    await clickUntilShown(page.getByTestId("kill-switch"), page.getByText(`Kill ${key} in production?`));
    // The kill's own reason: the page has other reason fields (test tenants).
    await page.getByTestId("kill-switch-panel").getByLabel(/recorded in the audit trail/i).fill("p99 on the new path doubled");
    await page.getByTestId("kill-switch-confirm").click();

    await expect(page.getByTestId("killed-badge")).toBeVisible();
    const killed = await (await api.get(`/api/flags/${key}`)).json();
    expect(killed.state).toMatchObject({ killed: true, percentage: 0, percentageBeforeKill: 50 });

    await page.getByTestId("restore").click();
    await expect(page.getByText(`Restore ${key} in production to 50%?`)).toBeVisible();
    await page.getByTestId("restore-confirm").click();
    await expect(page.getByTestId("killed-badge")).toBeHidden();
    await expect(page.getByTestId("flag-percentage")).toContainText("50");

    const audit = await (await api.get(`/api/audit?flag=${key}`)).json();
    expect(audit.events.slice(0, 2).map((e: { action: string; source: string; actor: string }) => [e.action, e.source, e.actor])).toEqual([
      ["flag.restored", "ui", e2eUsers.operator.email],
      ["flag.killed", "ui", e2eUsers.operator.email],
    ]);
    expect(audit.events[1].reason).toBe("p99 on the new path doubled");
  });
});
