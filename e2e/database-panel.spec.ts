import AxeBuilder from "@axe-core/playwright";
import { encodeSketch, newLatencySketch, type MetricsBatch } from "@rampart/sdk";
import type { APIRequestContext, Page } from "@playwright/test";
import { E2E_ADMIN_TOKEN, storageStateFor } from "./accounts";
import { givenScratchAppDb, type ScratchAppDb } from "../testing/scratch-app-db";
import { uniqueKey } from "../testing/unique-key";
import { clickUntilShown, expect, test } from "./fixtures";

// A real PostgreSQL application database, registered through the API in environments of its own:
// a connection left in production would hold every other spec's stage 2 to the database's gate.

const CONTRACTION = { table: "orders", oldColumn: "status", newColumn: "order_status", newIndex: "idx_orders_order_status" };

let app: ScratchAppDb;
const environments: string[] = [];

async function adminApi(playwright: { request: { newContext: (options: object) => Promise<APIRequestContext> } }, baseURL: string | undefined) {
  return playwright.request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${E2E_ADMIN_TOKEN}` } });
}

async function givenEnvironment(api: APIRequestContext, prefix: string): Promise<string> {
  const key = uniqueKey(prefix).replace(/_/g, "-");
  expect((await api.post("/api/environments", { data: { key, name: key } })).status()).toBe(201);
  environments.push(key);
  return key;
}

/** Serious and critical axe violations only, as e2e/accessibility.spec.ts counts them. */
async function seriousViolations(page: Page) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations.filter((violation) => violation.impact === "serious" || violation.impact === "critical").map((violation) => ({ rule: violation.id, targets: violation.nodes.slice(0, 5).map((node) => node.target.join(" ")) }));
}

test.beforeAll(async () => {
  app = await givenScratchAppDb("postgresql");
  // Two rows whose old and new status differ (one not backfilled), one that agrees.
  await app.exec("insert into orders (status, order_status) values ('shipped', 'shipped'), ('pending', null), ('paid', 'cancelled')");
});

test.afterAll(async ({ playwright, baseURL }) => {
  const api = await adminApi(playwright, baseURL);
  const { appDatabases } = await (await api.get("/api/app-databases")).json();
  for (const database of appDatabases as { id: number; environment: string }[]) {
    if (environments.includes(database.environment)) await api.delete(`/api/app-databases/${database.id}`);
  }
  await api.dispose();
  await app?.drop();
});

test.describe("the flag page's Database panel", () => {
  test.use({ storageState: storageStateFor("operator") });

  test("shows the contraction's columns with their types and counts divergent rows on demand", async ({ page, api }) => {
    const env = await givenEnvironment(api, "dbpanel");
    const added = await api.post(`/api/app-databases?env=${env}`, { data: { name: "orders-db", kind: "postgresql", dsn: app.dsn } });
    expect(added.status()).toBe(201);
    const key = uniqueKey("orders_status_v2");
    expect((await api.post("/api/flags", { data: { key, owner: "orders-team", removalTicket: { contraction: CONTRACTION } } })).status()).toBe(201);

    await page.goto(`/flags/${key}?env=${env}`);
    const panel = page.getByTestId("database-panel");
    await expect(panel.getByRole("heading", { name: "Database", level: 2 })).toBeVisible();
    await expect(panel).toContainText("orders-db (PostgreSQL)");

    const columns = panel.getByTestId("database-columns");
    await expect(columns).toHaveAttribute("data-status", "checked");
    await expect(columns.getByTestId("columns-verdict")).toHaveText("Both status and order_status are in orders: expanded, the old column not dropped yet.");
    const rows = columns.getByTestId("database-column");
    await expect(rows.filter({ hasText: "order_status" })).toContainText("character varying(50), nullable");
    await expect(rows.filter({ hasText: "old, dropped last" })).toContainText("character varying(50), NOT NULL");
    await expect(columns).toContainText(/as of \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/);
    await expect(columns).toContainText("Caveat: Read from pg_attribute");

    const divergent = panel.getByTestId("database-divergent-rows");
    await expect(divergent.getByTestId("divergent-rows-text")).toHaveText("No scan has run yet.");
    await clickUntilShown(divergent.getByTestId("scan-now"), divergent.getByTestId("divergent-count"));
    await expect(divergent.getByTestId("divergent-rows-text")).toContainText("2 of 3 rows differ.", { timeout: 15_000 });
    await expect(divergent.getByTestId("divergent-count")).toHaveText("2");
    await expect(divergent.getByTestId("divergent-count")).toHaveAttribute("data-problem", "true");
    await expect(divergent.getByTestId("divergent-rows-text")).toContainText(/Finished \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/);

    // Each remaining check answers in one of its three ways, never blank.
    for (const section of ["database-index-usage", "database-old-column-usage", "database-lock-waits"]) {
      await expect(panel.getByTestId(section)).toHaveAttribute("data-status", /^(checked|unavailable|not_applicable)$/);
    }
    await expect(panel.getByTestId("database-index-usage")).toContainText("idx_orders_order_status");
    await panel.screenshot({ path: "test-results/database-panel.png" });
    expect(await seriousViolations(page)).toEqual([]);

    // At 390 px the kill switch still comes before the panel.
    await page.setViewportSize({ width: 390, height: 844 });
    const killBox = await page.getByTestId("kill-switch").boundingBox();
    const panelBox = await panel.boundingBox();
    expect(killBox && panelBox && killBox.y < panelBox.y).toBe(true);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await panel.screenshot({ path: "test-results/database-panel-390.png" });
  });

  test("without a connection shows an admin where to connect one, and the panel only for a flag with a contraction", async ({ browser, api }) => {
    const env = await givenEnvironment(api, "dbnone");
    const key = uniqueKey("no_contraction");
    await api.post("/api/flags", { data: { key, owner: "orders-team" } });
    const admin = await browser.newContext({ storageState: storageStateFor("admin") });
    const page = await admin.newPage();
    await page.goto(`/flags/${key}?env=${env}`);
    await expect(page.getByTestId("database-connect-hint")).toContainText(`Connect ${env}'s application database in Settings → Databases`);
    await expect(page.getByTestId("database-panel")).toHaveCount(0);

    // With a contraction on the ticket the panel is there, saying once why nothing can be checked.
    const contracted = uniqueKey("contraction_only");
    await api.post("/api/flags", { data: { key: contracted, owner: "orders-team", removalTicket: { contraction: CONTRACTION } } });
    await page.goto(`/flags/${contracted}?env=${env}`);
    const panel = page.getByTestId("database-panel");
    await expect(panel.getByTestId("database-not-applicable")).toHaveText(`Not applicable: No application database is connected for ${env}.`);
    await expect(panel.getByTestId("database-connect-hint")).toBeVisible();
    await admin.close();
  });
});

/** One SDK batch of new-path requests that ended a minute ago: stage 2 needs traffic, and none on the legacy path. */
async function sendNewPathTraffic(api: APIRequestContext, env: string, flag: string) {
  const created = await api.post("/api/sdk-keys", { data: { name: uniqueKey("orders"), environment: env } });
  const sketch = newLatencySketch();
  for (let i = 0; i < 50; i++) sketch.accept(4 + (i % 7));
  const windowEnd = Date.now() - 60_000;
  const batch: MetricsBatch = {
    batchId: crypto.randomUUID(),
    instanceId: "orders-generated",
    windowStart: windowEnd - 10_000,
    windowEnd,
    entries: [{ flag, path: "new", reason: "rollout", count: 50, errors: 0, sketch: Buffer.from(encodeSketch(sketch)).toString("base64") }],
    dropped: 0,
  };
  const sent = await api.post("/api/sdk/metrics", { data: batch, headers: { authorization: `Bearer ${(await created.json()).secret}` } });
  expect(sent.status()).toBe(201);
}

test.describe("stage 2 with an application database", () => {
  test.use({ storageState: storageStateFor("admin") });

  test("is refused while no divergent-rows scan has finished, and an admin overrides that with a reason", async ({ page, api }) => {
    const env = await givenEnvironment(api, "dbgate");
    expect((await api.post(`/api/app-databases?env=${env}`, { data: { name: "orders-db", kind: "postgresql", dsn: app.dsn } })).status()).toBe(201);
    const key = uniqueKey("orders_gate");
    await api.post("/api/flags", { data: { key, owner: "orders-team", removalTicket: { contraction: CONTRACTION } } });
    await sendNewPathTraffic(api, env, key);
    expect((await api.patch(`/api/flags/${key}?env=${env}`, { data: { percentage: 100 } })).status()).toBe(200);

    await page.goto(`/flags/${key}?env=${env}`);
    const step2 = page.getByTestId("teardown-step-2");
    await expect(step2.getByTestId("zero-fallback-database")).toContainText("Divergent rows: No scan has run yet.");
    await clickUntilShown(step2.getByTestId("confirm-zero-fallback"), step2.getByTestId("confirm-step"));
    await step2.getByTestId("confirm-step").click();
    await expect(step2.getByRole("alert")).toContainText(`The divergent-rows scan in ${env}'s application database has not run yet`);

    const override = step2.getByTestId("override-unproven");
    await expect(override.getByTestId("override-unproven-confirm")).toBeDisabled();
    await override.getByLabel("Reason (at least 10 characters)").fill("orders table is write-only since the backfill");
    await override.getByTestId("override-unproven-confirm").click();
    await expect(step2).toHaveAttribute("data-state", "done");
    await expect(step2.getByTestId("zero-fallback-override")).toHaveText(
      "Database evidence unproven; overridden by e2e-admin@rampart.test: orders table is write-only since the backfill",
    );
  });
});

test.describe("Settings → Databases", () => {
  test.use({ storageState: storageStateFor("admin") });

  test("an admin adds, tests and removes a connection, and the DSN is never shown", async ({ page, api }) => {
    const env = await givenEnvironment(api, "dbsettings");
    await page.goto("/settings/databases");
    await expect(page.getByRole("heading", { name: "Databases", level: 1 })).toBeVisible();
    const dsn = page.getByLabel("Connection string (DSN)");
    await expect(dsn).toHaveAttribute("type", "password");

    // The header's environment switcher has a label of the same name.
    await page.locator("#field-env").selectOption(env);
    await page.getByLabel("Name", { exact: true }).fill("orders-db");
    await dsn.fill("not a url");
    await page.getByRole("button", { name: "Connect database" }).click();
    await expect(page.locator("#field-dsn-error")).toHaveText("must be a URL such as postgres://user:password@host:port/database");

    await dsn.fill(app.dsn);
    await page.getByRole("button", { name: "Connect database" }).click();
    await expect(page.getByTestId("app-database-added")).toContainText(`Connected “orders-db” for ${env}`);
    await expect(dsn).toHaveValue("");
    const row = page.getByTestId("app-database-row").and(page.locator(`[data-environment="${env}"]`));
    await expect(row).toContainText("orders-db");
    await expect(row).toContainText("PostgreSQL");
    await expect(row.getByTestId("app-database-health")).toHaveText("not checked yet");

    await row.getByTestId("test-app-database").click();
    await expect(row.getByTestId("app-database-test-result")).toHaveText("Answered read-only.");
    await expect(row.getByTestId("app-database-health")).toHaveText("answering");
    await expect(row).toContainText(/PostgreSQL 1\d/);
    await page.screenshot({ path: "test-results/settings-databases.png", fullPage: true });
    expect(await seriousViolations(page)).toEqual([]);

    // Neither the page nor the API answer carries the connection string.
    expect(await page.content()).not.toContain(app.dsn);
    expect(await (await api.get("/api/app-databases")).text()).not.toContain(app.dsn);

    await row.getByTestId("remove-app-database").click();
    await row.getByTestId("remove-app-database-confirm").click();
    await expect(row).toHaveCount(0);
  });

  test("a viewer sees only the name, kind and health", async ({ browser, api }) => {
    const env = await givenEnvironment(api, "dbviewer");
    expect((await api.post(`/api/app-databases?env=${env}`, { data: { name: "orders-db", kind: "postgresql", dsn: app.dsn } })).status()).toBe(201);
    const viewer = await browser.newContext({ storageState: storageStateFor("viewer") });
    const page = await viewer.newPage();
    await page.goto("/settings/databases");
    const row = page.getByTestId("app-database-row").and(page.locator(`[data-environment="${env}"]`));
    await expect(row).toContainText("orders-db");
    await expect(row.getByTestId("app-database-health")).toBeVisible();
    await expect(row.getByTestId("test-app-database")).toHaveCount(0);
    await expect(page.getByRole("button", { name: "Connect database" })).toHaveCount(0);
    await expect(page.getByRole("navigation", { name: "Settings" }).getByRole("link")).toHaveText(["Databases"]);
    await viewer.close();
  });
});
