import { storageStateFor } from "./accounts";
import { uniqueKey } from "../testing/unique-key";
import { expect, test } from "./fixtures";

test.use({ storageState: storageStateFor("viewer") });

test("the audit page filters by flag and action in the URL, and names the admin token", async ({ page, api }) => {
  const key = uniqueKey("audit_filters");
  await api.post("/api/flags", { data: { key, owner: "orders-team" } });
  await api.patch(`/api/flags/${key}`, { data: { percentage: 10, reason: "first step of the ramp" } });
  await api.post(`/api/flags/${key}/kill`, { data: { reason: "p99 doubled" } });

  await page.goto("/audit");
  await page.getByLabel("Flag", { exact: true }).fill(key);
  await page.getByLabel("Action", { exact: true }).selectOption("flag.killed");
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(new RegExp(`[?&]flag=${key}(&|$)`));
  await expect(page).toHaveURL(/[?&]action=flag\.killed(&|$)/);

  const rows = page.getByRole("table").getByRole("row");
  await expect(rows).toHaveCount(2); // the header and the kill
  await expect(rows.nth(1)).toContainText("p99 doubled");
  // The e2e server registers its admin token at start-up (RAMPART_INIT_ADMIN_TOKEN).
  const actor = rows.nth(1).getByTestId("audit-actor");
  await expect(actor).toHaveText("Initial admin token");
  await expect(actor).toHaveAttribute("title", /\(token:init-admin-[0-9a-f]{6}\)$/);

  // The same link reproduces the view; a bad filter names its field.
  await page.goto(`/audit?flag=${key}&from=yesterday`);
  await expect(page.getByText(/^Invalid filter:/)).toContainText("from must be a date or date-time");
  const response = await api.get(`/api/audit?flag=${key}&from=yesterday`);
  expect(response.status()).toBe(400);
  expect((await response.json()).error.details).toEqual([{ path: "from", message: "must be a date or date-time such as 2026-03-01 or 2026-03-01T09:30" }]);
});
