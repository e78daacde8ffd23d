import { test as base, type APIRequestContext } from "@playwright/test";
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
