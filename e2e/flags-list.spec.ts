import type { Locator, Page } from "@playwright/test";
import { storageStateFor } from "./accounts";
import { uniqueKey } from "../testing/unique-key";
import { expect, test } from "./fixtures";

test.use({ storageState: storageStateFor("operator") });

/** The longest key the schema allows: 55 characters, "_" and 8 hex digits. */
const longestKey = () => uniqueKey("orders_total_cents_backfilled_from_legacy_line_items_xx");

async function expectWithinViewport(page: Page, locator: Locator) {
  const box = await locator.boundingBox();
  const width = page.viewportSize()!.width;
  expect(box).not.toBeNull();
  expect(box!.x).toBeGreaterThanOrEqual(0);
  expect(box!.x + box!.width).toBeLessThanOrEqual(width);
}

async function pageScrollWidth(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth);
}

test("at 1440 px a flag with a 64-character key keeps its KILL button on screen; the key is whole in its name and title", async ({ page, api }) => {
  const key = longestKey();
  expect(key).toHaveLength(64);
  expect((await api.post("/api/flags", { data: { key, owner: "orders-team" } })).status()).toBe(201);

  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto("/");
  const kill = page.getByTestId(`row-kill-${key}`);
  await expect(kill).toBeVisible();
  await expectWithinViewport(page, kill);
  expect(await pageScrollWidth(page)).toBeLessThanOrEqual(1440);

  const link = page.getByRole("link", { name: key, exact: true });
  await expect(link).toHaveAttribute("title", key);
  // Truncated for the eye: the link is narrower than its text.
  const { clientWidth, scrollWidth } = await link.evaluate((el) => ({ clientWidth: el.clientWidth, scrollWidth: el.scrollWidth }));
  expect(scrollWidth).toBeGreaterThan(clientWidth);
  // Reaching it from the keyboard unfolds it, and the KILL button still stays on screen.
  await link.focus();
  expect(await link.evaluate((el) => getComputedStyle(el).whiteSpace)).toBe("normal");
  await expectWithinViewport(page, kill);
});

test("at 390 px the list is cards with KILL visible, and the header fits", async ({ page, api }) => {
  const key = longestKey();
  await api.post("/api/flags", { data: { key, owner: "orders-team" } });

  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/");
  await expect(page.getByRole("columnheader", { name: "Percentage" })).toBeHidden();
  const card = page.getByTestId(`flag-row-${key}`);
  expect(await card.evaluate((el) => getComputedStyle(el).display)).toBe("grid");
  const kill = page.getByTestId(`row-kill-${key}`);
  await expect(kill).toBeVisible();
  await expectWithinViewport(page, kill);
  await expectWithinViewport(page, card);
  expect(await pageScrollWidth(page)).toBeLessThanOrEqual(390);

  await expectWithinViewport(page, page.getByTestId("signed-in-as"));
  await expectWithinViewport(page, page.getByRole("button", { name: "Sign out" }));
});

test("the header fits at 200% zoom (720 CSS px)", async ({ page }) => {
  await page.setViewportSize({ width: 720, height: 450 });
  await page.goto("/audit");
  expect(await pageScrollWidth(page)).toBeLessThanOrEqual(720);
  await expectWithinViewport(page, page.getByRole("button", { name: "Sign out" }));
  await expectWithinViewport(page, page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Audit" }));
});

test("restore from the list asks first, then brings back the percentage from before the kill", async ({ page, api }) => {
  const key = uniqueKey("restore_from_list");
  await api.post("/api/flags", { data: { key, owner: "orders-team" } });
  await api.patch(`/api/flags/${key}`, { data: { percentage: 25 } });
  expect((await api.post(`/api/flags/${key}/kill`, { data: {} })).status()).toBe(200);

  await page.goto("/");
  const row = page.getByTestId(`flag-row-${key}`);
  await expect(row.getByTestId("killed-badge")).toBeVisible();
  await expect(row).toContainText("was 25%");
  await page.getByTestId(`row-restore-${key}`).click();
  await expect(page.getByText(`Restore ${key} in production to 25%?`)).toBeVisible();
  // Asking changed nothing yet.
  expect((await (await api.get(`/api/flags/${key}`)).json()).state.killed).toBe(true);

  await page.getByLabel(`Reason for restoring ${key}`).fill("p99 back to normal");
  await page.getByTestId(`row-restore-confirm-${key}`).click();
  await expect(page.getByTestId(`row-kill-${key}`)).toBeVisible();
  await expect(row.getByTestId("killed-badge")).toHaveCount(0);
  await expect(row).toContainText("25%");

  const state = (await (await api.get(`/api/flags/${key}`)).json()).state;
  expect(state).toMatchObject({ killed: false, percentage: 25 });
  const audit = await (await api.get(`/api/audit?flag=${key}`)).json();
  expect(audit.events[0]).toMatchObject({ action: "flag.restored", source: "ui", reason: "p99 back to normal" });
});
