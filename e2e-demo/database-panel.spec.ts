import { expect, test, type APIRequestContext, type Locator, type Page } from "@playwright/test";
import { HISTORY_ROWS } from "../scripts/demo/orders-schema";
import { SCHEMA_FLAG } from "../scripts/demo/orders-service";
import { DEMO_ADMIN_TOKEN, DEMO_ENVIRONMENT, DEMO_PASSWORD, DEMO_USERS } from "../scripts/demo/seed";
import type { SlackSinkMessage } from "../scripts/demo/slack-sink";
import { controlUrl, DEMO_E2E_APP_DATABASE_PORT, DEMO_E2E_PORT, demoUrl } from "./demo-ports";

// The demo as a newcomer sees it: the orders service's real traffic in the Database panel of
// schema_v2, then a fault that the guard rolls back and that reaches the demo's Slack sink.

const flagPage = `/flags/${SCHEMA_FLAG}?env=${DEMO_ENVIRONMENT}`;
const asOf = /as of \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/;
const count = (text: string) => Number(text.replace(/,/g, ""));

async function adminApi(playwright: { request: { newContext: (options: object) => Promise<APIRequestContext> } }) {
  return playwright.request.newContext({ baseURL: demoUrl, extraHTTPHeaders: { authorization: `Bearer ${DEMO_ADMIN_TOKEN}` } });
}

async function rampPlan(api: APIRequestContext): Promise<{ status: string; statusReason: string | null; percentage: number } | null> {
  const response = await api.get(`/api/flags/${SCHEMA_FLAG}/ramp-plan?env=${DEMO_ENVIRONMENT}`);
  return response.status() === 200 ? (await response.json()).rampPlan : null;
}

/** The panel reads the database every 30 s; a reload reads it now. Waits for samples that arrive every 10 s. */
async function untilShown(page: Page, shown: () => Promise<void>, timeout = 90_000) {
  await expect(async () => {
    try {
      await shown();
    } catch (error) {
      await page.reload();
      throw error;
    }
  }).toPass({ timeout, intervals: [2_000, 5_000] });
}

/** The numbers a regular expression's groups captured from a locator's text. */
async function numbersIn(locator: Locator, pattern: RegExp): Promise<number[]> {
  const match = pattern.exec((await locator.textContent()) ?? "");
  expect(match, `${pattern} in "${await locator.textContent()}"`).not.toBeNull();
  return match!.slice(1).map(count);
}

test.beforeAll(async ({ playwright }) => {
  // Rampart answers before the demo has seeded it; the guarded ramp starts last.
  const api = await adminApi(playwright);
  await expect.poll(async () => (await rampPlan(api))?.status, { timeout: 60_000, intervals: [1_000] }).toBe("running");
  await api.dispose();
});

test("the demo admin sees the orders database live in schema_v2's Database panel", async ({ page }) => {
  const admin = DEMO_USERS.find((user) => user.role === "admin")!;
  await page.goto(flagPage);
  await expect(page).toHaveURL(/\/sign-in/);
  await page.getByLabel("Email").fill(admin.email);
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(new RegExp(`/flags/${SCHEMA_FLAG}\\?env=${DEMO_ENVIRONMENT}$`));
  await expect(page.getByTestId("signed-in-as")).toHaveText(admin.email);

  const panel = page.getByTestId("database-panel");
  await expect(panel.getByRole("heading", { name: "Database", level: 2 })).toBeVisible();
  await expect(panel).toContainText(`demo orders_app on 127.0.0.1:${DEMO_E2E_APP_DATABASE_PORT} (PostgreSQL) in ${DEMO_ENVIRONMENT}, read-only`);

  // The seeds' expand migration: both columns there, the new one nullable and not backfilled.
  const columns = panel.getByTestId("database-columns");
  await expect(columns).toHaveAttribute("data-status", "checked");
  await expect(columns.getByTestId("columns-verdict")).toHaveText("Both status and order_status are in orders: expanded, the old column not dropped yet.");
  const rows = columns.getByTestId("database-column");
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0)).toHaveText(/^statusold, dropped lastcharacter varying\(50\), NOT NULL$/);
  await expect(rows.nth(1)).toHaveText(/^order_statusnewcharacter varying\(50\), nullable$/);

  // The demo connects the database and starts a scan at once: the 20,000 older orders were never backfilled.
  const divergent = panel.getByTestId("database-divergent-rows");
  await untilShown(page, () => expect(divergent.getByTestId("divergent-rows-text")).toHaveText(/^[\d,]+ of [\d,]+ rows differ\. Finished \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC\.$/, { timeout: 2_000 }));
  const [differing, scanned] = await numbersIn(divergent.getByTestId("divergent-rows-text"), /^([\d,]+) of ([\d,]+) rows differ/);
  expect(differing).toBeGreaterThanOrEqual(HISTORY_ROWS);
  expect(scanned).toBeGreaterThanOrEqual(differing);
  expect(count((await divergent.getByTestId("divergent-count").textContent())!)).toBe(differing);

  // Index scans: each rate needs two samples of idx_scan (10 s apart here), a line needs two rates.
  const indexUsage = panel.getByTestId("database-index-usage");
  const indexChart = indexUsage.getByTestId("chart-index-scans");
  const scansLine = indexChart.locator('path.recharts-line-curve[name="Index scans per minute"]');
  await untilShown(page, async () => {
    await expect(indexChart.getByTestId("chart-summary")).toHaveText(/^Latest minute, \d{2}:\d{2} UTC: [\d,.]+ index scans per minute, with the flag at \d+%\.$/, { timeout: 2_000 });
    await expect(scansLine).toHaveAttribute("d", /^M[\d.]+,[\d.]+L[\d.]+,[\d.]+/, { timeout: 2_000 });
  });
  await expect(indexUsage).toHaveAttribute("data-status", "checked");
  await expect(indexUsage).toContainText(asOf);
  await expect(indexChart).toContainText("idx_orders_order_status: scans per minute");
  const [scansPerMinute, percentage] = await numbersIn(indexChart.getByTestId("chart-summary"), /: ([\d,.]+) index scans per minute, with the flag at (\d+)%/);
  expect(scansPerMinute).toBeGreaterThan(0);
  expect([5, 25]).toContain(percentage);
  expect(await indexChart.locator('circle.recharts-line-dot[name="Index scans per minute"]').count()).toBeGreaterThanOrEqual(2);
  // Beside it, the rollout percentage as a step line over the same span.
  await expect(indexChart.locator('path.recharts-line-curve[name="Rollout %"]')).toHaveAttribute("d", /^M[\d.]+,[\d.]+L/);

  // Old-column reads and writes from pg_stat_statements: the legacy path reads status, both paths write it.
  const oldColumn = panel.getByTestId("database-old-column-usage");
  const statements = oldColumn.getByTestId("chart-old-column-statements");
  await untilShown(page, () => expect(statements.getByTestId("chart-summary")).toHaveText(/^Latest minute, \d{2}:\d{2} UTC: [\d,]+ reads? and [\d,]+ writes? of orders\.status\.$/, { timeout: 2_000 }));
  await expect(oldColumn).toHaveAttribute("data-status", "checked");
  await expect(oldColumn).toContainText(asOf);
  await expect(oldColumn).not.toContainText("not sampled yet");
  await expect(statements).toContainText("Statements naming orders.status per minute");
  await expect(statements).toContainText("from pg_stat_statements");
  const [readsPerMinute, writesPerMinute] = await numbersIn(statements.getByTestId("chart-summary"), /: ([\d,]+) reads? and ([\d,]+) writes?/);
  expect(readsPerMinute).toBeGreaterThan(0);
  expect(writesPerMinute).toBeGreaterThan(0);
  for (const what of ["reads", "writes"] as const) {
    const verdict = oldColumn.getByTestId(`old-column-${what}`);
    await expect(verdict).toHaveAttribute("data-verdict", "seen");
    const [seen] = await numbersIn(verdict, new RegExp(`^${what === "reads" ? "Reads" : "Writes"} of orders\\.status: seen, ([\\d,]+) ${what.slice(0, -1)}s?`));
    expect(seen).toBeGreaterThan(0);
  }
  await panel.screenshot({ path: test.info().outputPath("demo-database-panel.png") });
});

test("a Prometheus scrape agrees with schema_v2's metrics API: per-path counters and last-minute quantiles", async ({ playwright }) => {
  const api = await adminApi(playwright);
  const series = (text: string, name: string, labels: string) =>
    Number(new RegExp(`^${name}\\{${labels}\\} (\\S+)$`, "m").exec(text)?.[1] ?? Number.NaN);
  const scrape = async () => {
    const response = await api.get("/metrics");
    expect(response.status()).toBe(200);
    return response.text();
  };
  const labels = (path: string) => `feature_flag_key="${SCHEMA_FLAG}",environment="${DEMO_ENVIRONMENT}",path="${path}"`;
  const total = (text: string) => series(text, "feature_flag_requests_total", labels("new")) + series(text, "feature_flag_requests_total", labels("legacy"));

  // The quantiles cover the last complete minute: wait for one that had traffic.
  let scrapedAt = Date.now();
  let before = await scrape();
  await expect
    .poll(async () => {
      scrapedAt = Date.now();
      before = await scrape();
      return Number.isFinite(series(before, "feature_flag_latency_seconds", `${labels("legacy")},quantile="0.99"`));
    }, { timeout: 75_000, intervals: [5_000] })
    .toBe(true);
  type Metrics = { totals: Record<"new" | "legacy", { requests: number }>; targeted: { requests: number }; series: Record<"new" | "legacy", { t: string; p99: number | null }[]> };
  const metrics = (await (await api.get(`/api/flags/${SCHEMA_FLAG}/metrics?env=${DEMO_ENVIRONMENT}&window=1h`)).json()) as Metrics;
  const after = await scrape();
  // Batches land every 10 s: the API's count falls between the two scrapes around it.
  const fromApi = metrics.totals.new.requests + metrics.totals.legacy.requests + metrics.targeted.requests;
  expect(total(before)).toBeGreaterThan(1_000);
  expect(fromApi).toBeGreaterThanOrEqual(total(before));
  expect(fromApi).toBeLessThanOrEqual(total(after));

  // The legacy path has no test tenants: its last complete minute is the same rows in both answers.
  const lastMinute = new Date(Math.floor(scrapedAt / 60_000) * 60_000 - 60_000).toISOString();
  const point = metrics.series.legacy.find((p) => p.t === lastMinute);
  expect(point?.p99, `the API's legacy point at ${lastMinute}`).toBeTruthy();
  const scrapedP99 = series(before, "feature_flag_latency_seconds", `${labels("legacy")},quantile="0.99"`) * 1000;
  expect(Math.abs(scrapedP99 - point!.p99!) / point!.p99!).toBeLessThan(0.01);
  await api.dispose();
});

test("a fault on the new path: the guard rolls schema_v2 back and the Slack sink receives it", async ({ playwright, request }) => {
  const faultOnAt = Date.now();
  const fault = await request.post(`${controlUrl}/fault/on`);
  expect(await fault.json()).toEqual({ fault: true });

  let rollback: SlackSinkMessage | undefined;
  await expect
    .poll(
      async () => {
        const { messages } = (await (await request.get(`${controlUrl}/slack`)).json()) as { messages: SlackSinkMessage[] };
        rollback = messages.find((message) => message.header?.includes(`Guard rolled back ${SCHEMA_FLAG}`));
        return rollback?.header;
      },
      { timeout: 60_000, intervals: [1_000] },
    )
    .toBe(`🔴 Guard rolled back ${SCHEMA_FLAG} in ${DEMO_ENVIRONMENT}`);
  const message = rollback!;
  test.info().annotations.push({ type: "fault on → Slack message", description: `${((Date.parse(message.receivedAt) - faultOnAt) / 1000).toFixed(1)} s` });

  expect(message.fields).toEqual([
    { label: "Flag", value: SCHEMA_FLAG },
    { label: "Environment", value: DEMO_ENVIRONMENT },
    { label: "By", value: "guard (controller)" },
    { label: "Severity", value: "critical" },
  ]);
  expect(message.reason).toMatch(/^Guard: new-path .+ at (5|25)%$/);
  expect(message.link).toEqual({ text: "Open in Rampart", url: `http://localhost:${DEMO_E2E_PORT}${flagPage}` });
  // What Slack itself would get: Block Kit with the header first, and the plain-text fallback.
  expect(message.body.blocks?.[0]).toEqual({ type: "header", text: { type: "plain_text", text: message.header, emoji: true } });
  expect(message.body.text).toBe(`Guard rolled back ${SCHEMA_FLAG} in ${DEMO_ENVIRONMENT}: ${message.reason}`);

  // Rampart's own record says the same.
  const api = await adminApi(playwright);
  expect(await rampPlan(api)).toMatchObject({ status: "rolled_back", statusReason: message.reason });
  await api.dispose();
});
