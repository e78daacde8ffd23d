import { storageStateFor } from "./accounts";
import { uniqueKey } from "../testing/unique-key";
import { expect, test } from "./fixtures";

test.use({ storageState: storageStateFor("admin") });

test("an admin creates a token in the UI, the seed's curl works with it, and revoking it refuses the next call", async ({ page, api, playwright, baseURL }) => {
  const key = uniqueKey("schema_v2");
  await api.post("/api/flags", { data: { key, owner: "orders-team" } });
  await api.patch(`/api/flags/${key}`, { data: { percentage: 25 } });
  const tokenName = uniqueKey("chat-ops");

  await page.goto("/settings/tokens");
  await page.getByLabel("Token name").fill(tokenName);
  await page.getByLabel("Role").selectOption("operator");
  await page.getByRole("button", { name: "Create token" }).click();
  const secret = (await page.getByTestId("secret-value").textContent())?.trim() ?? "";
  expect(secret).toMatch(/^rpt_/);

  const automation = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${secret}` } });
  const revert = await automation.patch(`/api/flags/${key}`, {
    data: '{"default": false, "percentage": 0}',
    headers: { "content-type": "application/x-www-form-urlencoded" },
  });
  expect(revert.status()).toBe(200);
  expect((await revert.json()).state.percentage).toBe(0);

  await page.reload();
  const row = page.getByTestId("api-token-row").filter({ hasText: tokenName });
  await expect(row).not.toContainText("never");
  await expect(page.getByTestId("secret-value")).toHaveCount(0);
  await row.getByTestId("revoke").click();
  await row.getByTestId("revoke-confirm").click();
  await expect(row).toContainText(/revoked/i);

  expect((await automation.patch(`/api/flags/${key}`, { data: { percentage: 5 } })).status()).toBe(401);
  await automation.dispose();
});
