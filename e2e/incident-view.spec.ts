import { e2eUsers, storageStateFor } from "./accounts";
import { uniqueKey } from "../testing/unique-key";
import { clickUntilShown, expect, test } from "./fixtures";

test.use({ storageState: storageStateFor("operator") });

async function givenRampingFlag(api: import("@playwright/test").APIRequestContext, prefix: string, percentage = 25): Promise<string> {
  const key = uniqueKey(prefix);
  expect((await api.post("/api/flags", { data: { key, owner: "orders-team" } })).status()).toBe(201);
  expect((await api.patch(`/api/flags/${key}`, { data: { percentage } })).status()).toBe(200);
  return key;
}

/** A click before React has hydrated a fresh page does nothing: click until what it opens shows. */

test("a kill from another browser shows up on the flag page and in the flags list within 2 s, without a reload", async ({ page, browser, api }) => {
  const key = await givenRampingFlag(api, "schema_v2_live");
  const list = await page.context().newPage();
  await page.goto(`/flags/${key}`);
  await list.goto("/");
  await expect(page.getByTestId("incident-state")).toHaveText("25%");
  await expect(list.getByRole("row", { name: new RegExp(key) }).getByTestId("killed-badge")).toHaveCount(0);
  // Both pages must be following the feed before the kill, or the test measures page load instead.
  await page.waitForTimeout(500);

  const admin = await browser.newContext({ storageState: storageStateFor("admin") });
  const elsewhere = await admin.newPage();
  await elsewhere.goto(`/flags/${key}`);
  const reason = elsewhere.getByTestId("kill-switch-panel").getByLabel(/recorded in the audit trail/i);
  await clickUntilShown(elsewhere.getByTestId("kill-switch"), reason);
  await reason.fill("p99 doubled");
  await elsewhere.getByTestId("kill-switch-confirm").click();
  await expect(elsewhere.getByTestId("incident-state")).toHaveText("Killed");

  await expect(page.getByTestId("incident-state")).toHaveText("Killed", { timeout: 2_000 });
  await expect(page.getByTestId("killed-badge")).toBeVisible({ timeout: 2_000 });
  await expect(page.getByTestId("restore")).toBeVisible();
  const toast = page.getByTestId("live-change-toast");
  await expect(toast).toContainText(`${key} killed in production by ${e2eUsers.admin.email} just now`);
  await expect(page.getByRole("status").filter({ has: toast })).toHaveAttribute("aria-live", "polite");
  await toast.getByRole("button", { name: "Dismiss" }).click();
  await expect(toast).toHaveCount(0);

  await expect(list.getByRole("row", { name: new RegExp(key) }).getByTestId("killed-badge")).toBeVisible({ timeout: 2_000 });
  // The admin's own tab made the change: it says nothing about it.
  await expect(elsewhere.getByTestId("live-change-toast")).toHaveCount(0);
  await admin.close();
});

test("a kill made while the page is still connecting to the live feed shows once it connects", async ({ page, api }) => {
  const key = await givenRampingFlag(api, "schema_v2_gap");
  // The feed's first request is held until after the kill: the page was rendered before it, the feed starts after it.
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route("**/api/flag-changes?**", async (route) => {
    await held;
    await route.continue();
  });
  await page.goto(`/flags/${key}`);
  await expect(page.getByTestId("incident-state")).toHaveText("25%");
  expect((await api.post(`/api/flags/${key}/kill`, { data: { reason: "between the render and the feed" } })).status()).toBe(200);
  await page.waitForTimeout(300);
  await expect(page.getByTestId("incident-state")).toHaveText("25%");
  release();
  await expect(page.getByTestId("incident-state")).toHaveText("Killed", { timeout: 5_000 });
});

for (const { name, viewport } of [
  { name: "a phone, 390 px wide", viewport: { width: 390, height: 844 } },
  { name: "a 1440×900 laptop at 200% zoom", viewport: { width: 720, height: 450 } },
]) {
  test(`on ${name} the kill switch is on the first screen and one skip link from the page start`, async ({ page, api }) => {
    await page.setViewportSize(viewport);
    const key = await givenRampingFlag(api, "enable_orders_v2_total_with_a_rather_long_key");
    await page.goto(`/flags/${key}`);

    const killSwitch = page.getByTestId("kill-switch");
    const box = await killSwitch.boundingBox();
    expect(box).not.toBeNull();
    expect(box!.y).toBeGreaterThanOrEqual(0);
    expect(box!.y + box!.height).toBeLessThanOrEqual(viewport.height);
    expect(box!.x + box!.width).toBeLessThanOrEqual(viewport.width);
    await expect(page.getByTestId("incident-bar")).toContainText("25%");
    await page.screenshot({ path: `test-results/incident-bar-${viewport.width}.png` });

    // The first Tab lands on the skip link; following it, the next Tab is the kill switch.
    await page.keyboard.press("Tab");
    const skip = page.getByTestId("skip-link");
    await expect(skip).toBeFocused();
    await expect(skip).toHaveText("Skip to the kill switch");
    await page.keyboard.press("Enter");
    await page.keyboard.press("Tab");
    await expect(killSwitch).toBeFocused();

    // Scrolled far down, it is still on screen.
    await page.mouse.wheel(0, 3_000);
    await expect(page.getByTestId("incident-bar")).toBeInViewport();
    const scrolled = await killSwitch.boundingBox();
    expect(scrolled!.y).toBeGreaterThanOrEqual(0);
    expect(scrolled!.y + scrolled!.height).toBeLessThanOrEqual(viewport.height);
  });
}

test("restore asks first, says what it restores to, and focus lands on the state afterwards", async ({ page, api }) => {
  const key = await givenRampingFlag(api, "schema_v2_restore");
  await page.goto(`/flags/${key}`);

  await clickUntilShown(page.getByTestId("kill-switch"), page.getByTestId("kill-switch-confirm"));
  await page.getByTestId("kill-switch-confirm").click();
  await expect(page.getByTestId("incident-state")).toHaveText("Killed");
  await expect(page.getByTestId("incident-state")).toBeFocused();

  await page.getByTestId("restore").click();
  const panel = page.getByTestId("restore-panel");
  await expect(panel).toContainText(`Restore ${key} in production to 25%?`);
  // Asking is not restoring: the flag is still killed until the confirm.
  await page.waitForTimeout(500);
  expect((await (await api.get(`/api/flags/${key}`)).json()).state).toMatchObject({ killed: true, percentage: 0 });
  await expect(page.getByTestId("incident-state")).toHaveText("Killed");

  await panel.getByLabel(/recorded in the audit trail/i).fill("fix deployed");
  await panel.getByTestId("restore-confirm").click();
  await expect(page.getByTestId("incident-state")).toHaveText("25%");
  await expect(page.getByTestId("flag-percentage")).toContainText("25%");
  await expect(page.getByTestId("incident-state")).toBeFocused();
  const audit = await (await api.get(`/api/audit?flag=${key}`)).json();
  expect(audit.events[0]).toMatchObject({ action: "flag.restored", reason: "fix deployed", after: { percentage: 25, killed: false } });
});

test("the ramp form names the steps a jump skips and asks to confirm them", async ({ page, api }) => {
  const key = await givenRampingFlag(api, "schema_v2_skip");
  await page.goto(`/flags/${key}`);
  await page.getByRole("button", { name: "100%", exact: true }).click();
  await expect(page.getByTestId("ramp-skips")).toHaveText("25% → 100% skips 50% of the standard ramp 1% → 5% → 25% → 50% → 100%.");
  await page.getByRole("button", { name: "Ramp to 100%…" }).click();
  await expect(page.getByTestId("ramp-confirm")).toBeDisabled();
  await page.getByTestId("ramp-skip-acknowledge").check();
  await page.getByTestId("ramp-confirm").click();
  await expect(page.getByTestId("incident-state")).toHaveText("100%");
  // At 100% the teardown leads the page, open.
  await expect(page.getByTestId("teardown-details")).toHaveAttribute("open", "");
  await expect(page.getByTestId("teardown-summary-stage")).toContainText("Ramped");
  await expect(page.getByTestId("ramp-to-100")).toHaveCount(0);
});
