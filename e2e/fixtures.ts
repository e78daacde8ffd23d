import { expect, test as base, type APIRequestContext, type Locator } from "@playwright/test";
import { E2E_ADMIN_TOKEN } from "./accounts";

/** `api`: the REST API as automation calls it, with the admin token. */
export const test = base.extend<{ api: APIRequestContext }>({
  api: async ({ playwright, baseURL }, use) => {
    const api = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${E2E_ADMIN_TOKEN}` } });
    await use(api);
    await api.dispose();
  },
});

export { expect } from "@playwright/test";

/** Clicks until what the click opens is shown: a click before a fresh page hydrates does nothing. */
export async function clickUntilShown(button: Locator, shown: Locator) {
  await expect(async () => {
    if (!(await shown.isVisible())) await button.click();
    await expect(shown).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
}
