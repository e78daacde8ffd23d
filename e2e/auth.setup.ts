import { expect, test as setup } from "@playwright/test";
import type { Role } from "@/lib/auth/roles";
import { E2E_ADMIN_TOKEN, e2eUsers, storageStateFor } from "./accounts";

for (const role of Object.keys(e2eUsers) as Role[]) {
  setup(`sign in as ${role}`, async ({ playwright, baseURL }) => {
    const { email, password } = e2eUsers[role];
    const admin = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${E2E_ADMIN_TOKEN}` } });
    const created = await admin.post("/api/users", { data: { email, password, role } });
    // 409: an earlier run on the same database made this user already.
    expect([201, 409]).toContain(created.status());
    await admin.dispose();

    const browser = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { origin: baseURL! } });
    const signedIn = await browser.post("/api/auth/sign-in/email", { data: { email, password } });
    expect(signedIn.status(), await signedIn.text()).toBe(200);
    await browser.storageState({ path: storageStateFor(role) });
    await browser.dispose();
  });
}
