import { e2eUsers, storageStateFor } from "./accounts";
import { uniqueKey } from "../testing/unique-key";
import { expect, test } from "./fixtures";

test("an operator signs in and sees the kill switch", async ({ page, api }) => {
  const key = uniqueKey("schema_v2");
  await api.post("/api/flags", { data: { key, owner: "orders-team" } });

  await page.goto(`/flags/${key}`);
  await expect(page).toHaveURL(/\/sign-in/);
  await page.getByLabel("Email").fill(e2eUsers.operator.email);
  await page.getByLabel("Password").fill("not the password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText(/invalid email or password/i)).toBeVisible();

  await page.getByLabel("Password").fill(e2eUsers.operator.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  // Back on the page that asked for sign-in.
  await expect(page).toHaveURL(new RegExp(`/flags/${key}$`));
  await expect(page.getByTestId("signed-in-as")).toHaveText(e2eUsers.operator.email);
  await expect(page.getByTestId("kill-switch")).toBeVisible();
  await expect(page.getByRole("link", { name: "Settings" })).toHaveCount(0);
});

test.describe("as a viewer", () => {
  test.use({ storageState: storageStateFor("viewer") });

  test("the flag page shows no kill switch and the API refuses the viewer's change", async ({ page, api }) => {
    const key = uniqueKey("enable_orders_v2_total");
    await api.post("/api/flags", { data: { key, owner: "payments-team" } });

    await page.goto(`/flags/${key}`);
    await expect(page.getByTestId("flag-percentage")).toContainText("0");
    await expect(page.getByTestId("kill-switch")).toHaveCount(0);
    await expect(page.getByText(/signed in as a viewer/i)).toBeVisible();

    // The server refuses too, not only the UI: the viewer's own session posting from the page.
    const status = await page.evaluate(async (flagKey) => {
      const response = await fetch(`/api/flags/${flagKey}/kill`, { method: "POST" });
      return response.status;
    }, key);
    expect(status).toBe(403);
    const state = await (await api.get(`/api/flags/${key}`)).json();
    expect(state.state.killed).toBe(false);
  });
});

test("a refused sign-in shows when to try again", async ({ page }) => {
  // The limit itself is tested in app/api/auth.test.ts; tripping it here would hold back every
  // other test signing in from 127.0.0.1, so the 429 it answers is played back instead.
  await page.route("**/api/auth/sign-in/email", (route) =>
    route.fulfill({
      status: 429,
      headers: { "retry-after": "42" },
      contentType: "application/json",
      body: JSON.stringify({ code: "TOO_MANY_ADDRESS_FAILURES", message: "Too many failed sign-ins from this network address. Try again in 42 seconds.", retryAfter: 42 }),
    }),
  );
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(e2eUsers.operator.email);
  await page.getByLabel("Password").fill("not the password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText("Too many failed sign-ins from this network address. Try again in 42 seconds.")).toBeVisible();
});
