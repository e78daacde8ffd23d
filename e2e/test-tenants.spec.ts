import { e2eUsers, storageStateFor } from "./accounts";
import { uniqueKey } from "../testing/unique-key";
import { expect, test } from "./fixtures";

interface AuditEvent {
  actor: string;
  source: string;
  reason: string | null;
  after: unknown;
}

test.describe("as the operator preparing a ramp", () => {
  test.use({ storageState: storageStateFor("operator") });

  test("forces a flag on for a test tenant at 0%, sees it in the state and the audit trail, then removes it", async ({ page, api }) => {
    const key = uniqueKey("schema_v2");
    expect((await api.post("/api/flags", { data: { key, owner: "orders-team" } })).status()).toBe(201);

    await page.goto(`/flags/${key}`);
    await expect(page.getByTestId("flag-percentage")).toContainText("0%");
    const section = page.getByTestId("test-tenants");
    await expect(section.getByTestId("test-tenants-empty")).toBeVisible();

    const add = section.getByTestId("test-tenants-add");
    await expect(add.getByLabel("Attribute", { exact: true })).toHaveValue("user_id");
    await expect(add.getByTestId("test-tenants-add-on")).toBeChecked();
    await add.getByLabel("Attribute", { exact: true }).fill("tenant_id");
    await add.getByLabel("Values", { exact: true }).fill("t-42");

    // The reason is required: nothing is sent without one.
    await add.getByTestId("test-tenants-add-submit").click();
    await expect(add.getByText("Say why: the reason goes into the audit trail.")).toBeVisible();

    const addReason = `confirm both columns receive t-42's writes (${key})`;
    await add.getByLabel(/^reason/i).fill(addReason);
    await add.getByTestId("test-tenants-add-submit").click();

    const chip = section.getByTestId("test-tenant-chip").filter({ hasText: "t-42" });
    await expect(chip).toBeVisible();
    await expect(chip).toHaveAttribute("data-attribute", "tenant_id");
    await expect(section.getByTestId("test-tenant-rule")).toHaveAttribute("data-value", "on");
    await expect(add.getByLabel("Values", { exact: true })).toHaveValue("");
    await expect(page.getByTestId("flag-percentage")).toContainText("0%");

    const forced = await (await api.get(`/api/flags/${key}`)).json();
    expect(forced.state.percentage).toBe(0);
    expect(forced.state.targets).toEqual([{ attribute: "tenant_id", value: true, values: ["t-42"] }]);

    // The page's audit trail shows the change with its reason, made from the UI by the operator.
    await expect(page.getByRole("row").filter({ hasText: addReason })).toBeVisible();
    const audit = await (await api.get(`/api/audit?flag=${key}`)).json();
    const added: AuditEvent = audit.events[0];
    expect([added.reason, added.source, added.actor]).toEqual([addReason, "ui", e2eUsers.operator.email]);
    expect(JSON.stringify(added.after)).toContain("t-42");

    // The flags list marks the flag while it has test tenants.
    await page.goto("/");
    await expect(page.getByTestId(`list-test-tenants-${key}`)).toContainText("1");
    await page.goto(`/flags/${key}`);

    const removeReason = `both columns receive the write (${key})`;
    await section.getByTestId("test-tenant-chip").filter({ hasText: "t-42" }).getByTestId("test-tenant-remove").click();
    const panel = section.getByTestId("test-tenant-remove-panel");
    await panel.getByLabel(/^reason/i).fill(removeReason);
    await panel.getByTestId("test-tenant-remove-confirm").click();

    await expect(section.getByTestId("test-tenant-chip")).toHaveCount(0);
    await expect(section.getByTestId("test-tenants-empty")).toBeVisible();
    await expect(page.getByRole("row").filter({ hasText: removeReason })).toBeVisible();
    const removed = await (await api.get(`/api/flags/${key}`)).json();
    expect(removed.state.targets).toEqual([]);
  });

  test("a stale page is told someone else changed the flag, and keeps what was typed", async ({ page, api }) => {
    const key = uniqueKey("schema_v2");
    await api.post("/api/flags", { data: { key, owner: "orders-team" } });
    // A page that missed the change: without this the live feed would bring it up to date first.
    await page.route("**/api/flag-changes**", (route) => route.abort());
    await page.goto(`/flags/${key}`);
    const add = page.getByTestId("test-tenants-add");
    await add.getByLabel("Values", { exact: true }).fill("u-7");
    await add.getByLabel(/^reason/i).fill("check the write for u-7");

    // Someone else ramps meanwhile: the page's version is now stale.
    expect((await api.patch(`/api/flags/${key}`, { data: { percentage: 1 } })).status()).toBe(200);
    await add.getByTestId("test-tenants-add-submit").click();

    await expect(page.getByTestId("version-conflict-note")).toBeVisible();
    await expect(page.getByTestId("flag-percentage")).toContainText("1%");
    await expect(add.getByLabel("Values", { exact: true })).toHaveValue("u-7");
    await add.getByTestId("test-tenants-add-submit").click();
    await expect(page.getByTestId("test-tenant-chip").filter({ hasText: "u-7" })).toBeVisible();
  });
});

test.describe("as a viewer", () => {
  test.use({ storageState: storageStateFor("viewer") });

  test("sees the test tenants but cannot change them", async ({ page, api }) => {
    const key = uniqueKey("schema_v2");
    await api.post("/api/flags", { data: { key, owner: "orders-team" } });
    const patched = await api.patch(`/api/flags/${key}`, {
      data: { targets: [{ attribute: "tenant_id", value: true, values: ["t-42", "t-43"] }], reason: "test tenants for the ramp" },
    });
    expect(patched.status()).toBe(200);

    await page.goto(`/flags/${key}`);
    const section = page.getByTestId("test-tenants");
    await expect(section.getByTestId("test-tenant-chip")).toHaveText(["t-42", "t-43"]);
    await expect(section.getByTestId("test-tenant-remove")).toHaveCount(0);
    await expect(section.getByTestId("test-tenants-add")).toHaveCount(0);
  });
});
