import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { storageStateFor } from "./accounts";
import { uniqueKey } from "../testing/unique-key";
import { expect, test } from "./fixtures";

/**
 * Violations found in parts other people own, excluded here so this spec guards everything else;
 * the integrator deletes an entry once its owner has fixed it. Rule ids are axe-core's.
 */
async function seriousViolations(page: Page) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  // Only what blocks or badly hinders someone; "moderate" and "minor" are reported, not failed on.
  return violations
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .map((violation) => ({
      rule: violation.id,
      impact: violation.impact,
      help: violation.help,
      targets: violation.nodes.slice(0, 5).map((node) => node.target.join(" ")),
    }));
}

test.describe("signed in as an admin", () => {
  test.use({ storageState: storageStateFor("admin") });
  // axe walks the whole DOM; in CI the flags list holds every flag the suite made, and one
  // 390 px run took 32 s on this 2-core machine.
  test.slow();

  let flagKey = "";
  let destinationId = 0;
  test.beforeAll(async ({ playwright, baseURL }) => {
    const { E2E_ADMIN_TOKEN } = await import("./accounts");
    const api = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${E2E_ADMIN_TOKEN}` } });
    flagKey = uniqueKey("axe_orders_total");
    await api.post("/api/flags", { data: { key: flagKey, owner: "orders-team" } });
    await api.patch(`/api/flags/${flagKey}`, { data: { percentage: 25, reason: "a reason long enough to wrap in the audit trail's reason column" } });
    const killed = uniqueKey("axe_killed");
    await api.post("/api/flags", { data: { key: killed, owner: "orders-team" } });
    await api.post(`/api/flags/${killed}/kill`, { data: {} });
    // Disabled, so it queues nothing for an address nobody listens on.
    const destination = await api.post("/api/notifications/destinations", {
      data: { name: uniqueKey("axe-on-call"), kind: "webhook", url: "http://127.0.0.1:9/hook", eventTypes: ["kill", "guard_rollback"], enabled: false },
    });
    destinationId = ((await destination.json()) as { id: number }).id;
    await api.dispose();
  });

  const pages: [string, () => string, string][] = [
    ["flags list", () => "/", "Flags"],
    ["flag page", () => `/flags/${flagKey}`, flagKey],
    ["audit", () => "/audit", "Audit"],
    ["fleet", () => "/fleet", "Fleet"],
    ["stale", () => "/stale", "Stale flags"],
    ["settings", () => "/settings/users", "Users"],
    ["settings databases", () => "/settings/databases", "Databases"],
    ["notifications", () => "/settings/notifications", "Notifications"],
    ["delivery log", () => `/settings/notifications/${destinationId}`, "Delivery log"],
    ["new flag", () => "/flags/new", "New flag"],
  ];
  for (const [pageName, path, heading] of pages) {
    test(`${pageName} has no serious or critical axe violations`, async ({ page }) => {
      await page.goto(path());
      await expect(page.getByRole("heading", { level: 1 }).first()).toContainText(heading);
      expect(await seriousViolations(page)).toEqual([]);
    });
  }

  test("the flags list at 390 px has none either", async ({ page }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto("/");
    await expect(page.getByRole("heading", { level: 1 })).toContainText("Flags");
    expect(await seriousViolations(page)).toEqual([]);
  });
});

test("sign-in has no serious or critical axe violations", async ({ page }) => {
  await page.goto("/sign-in");
  await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
});
