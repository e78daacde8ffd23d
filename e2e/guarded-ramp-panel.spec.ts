import AxeBuilder from "@axe-core/playwright";
import { encodeSketch, newLatencySketch, type MetricsBatch } from "@rampart/sdk";
import type { APIRequestContext, Locator, Page } from "@playwright/test";
import { storageStateFor } from "./accounts";
import { uniqueKey } from "../testing/unique-key";
import { expect, test } from "./fixtures";

test.use({ storageState: storageStateFor("operator") });

async function givenFlag(api: APIRequestContext, prefix: string): Promise<string> {
  const key = uniqueKey(prefix);
  expect((await api.post("/api/flags", { data: { key, owner: "orders-team" } })).status()).toBe(201);
  return key;
}

const GUARD_WINDOW_MS = 10_000;

function sketch(ms: number, n: number): string {
  const s = newLatencySketch();
  for (let i = 0; i < n; i++) s.accept(ms + (i % 5));
  return Buffer.from(encodeSketch(s)).toString("base64");
}

async function startDemoRamp(api: APIRequestContext, key: string): Promise<{ stepStartedAt: string }> {
  const started = await api.post(`/api/flags/${key}/ramp-plan/start`, { data: { preset: "demo" } });
  expect(started.status()).toBe(201);
  return ((await started.json()) as { rampPlan: { stepStartedAt: string } }).rampPlan;
}

/**
 * One SDK batch of 2,000 requests a path in the step: the guard counts a batch in the 10-second
 * bucket it began in, so this waits for the first bucket that starts after the step did.
 */
async function sendStepTraffic(api: APIRequestContext, key: string, stepStartedAt: string, { newErrors, legacyErrors }: { newErrors: number; legacyErrors: number }) {
  const bucket = Math.ceil(Date.parse(stepStartedAt) / GUARD_WINDOW_MS) * GUARD_WINDOW_MS;
  const sdkKey = (await (await api.post("/api/sdk-keys", { data: { name: uniqueKey("guarded"), environment: "production" } })).json()).secret;
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, bucket + 1_000 - Date.now())));
  const batch: MetricsBatch = {
    batchId: crypto.randomUUID(),
    instanceId: "orders-guarded",
    windowStart: bucket,
    windowEnd: Date.now(),
    entries: [
      { flag: key, path: "new", reason: "rollout", count: 2_000, errors: newErrors, sketch: sketch(20, 2_000) },
      { flag: key, path: "legacy", reason: "rollout", count: 2_000, errors: legacyErrors, sketch: sketch(20, 2_000) },
    ],
    dropped: 0,
  };
  expect((await api.post("/api/sdk/metrics", { data: batch, headers: { authorization: `Bearer ${sdkKey}` } })).status()).toBe(201);
}

/** A click before React has hydrated a fresh page does nothing: click until what it opens shows. */
async function clickUntilShown(button: Locator, shown: Locator) {
  await expect(async () => {
    if (!(await shown.isVisible())) await button.click();
    await expect(shown).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
}

/** Serious or critical axe violations inside the panel, by rule and target. */
async function panelViolations(page: Page) {
  const { violations } = await new AxeBuilder({ page }).include('[data-testid="guarded-ramp"]').analyze();
  return violations
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .map((violation) => ({ rule: violation.id, targets: violation.nodes.slice(0, 5).map((node) => node.target.join(" ")) }));
}

/** Pause, resume or abort: the button opens a confirm step, whose button is focused and does it. */
async function confirmAction(panel: Locator, action: "pause" | "resume" | "abort") {
  await panel.getByTestId(`ramp-${action}`).click();
  const confirm = panel.getByTestId("ramp-action-panel").getByTestId("ramp-action-confirm");
  await expect(confirm).toBeFocused();
  await confirm.click();
}

test("an operator starts a Demo guarded ramp at 1%, sees its steps and hold, and pauses, resumes and aborts it", async ({ page, api }) => {
  const key = await givenFlag(api, "guarded_ramp_panel");
  await page.goto(`/flags/${key}`);
  const panel = page.getByTestId("guarded-ramp");
  await clickUntilShown(panel.getByTestId("ramp-plan-open"), panel.getByTestId("ramp-plan-editor"));

  await panel.getByText("Demo", { exact: true }).click();
  await expect(panel.getByLabel("Hold per step (min)")).toHaveValue("1");
  await expect(panel.getByLabel("Steps (%)")).toHaveValue("1, 5, 25, 50, 100");
  await panel.getByTestId("ramp-plan-review").click();
  const confirmPanel = panel.getByTestId("ramp-start-confirm-panel");
  await expect(confirmPanel).toContainText("Start guarded ramp at 1%?");
  await expect(confirmPanel).toContainText("The guard will hold each step 1 min");
  await expect(confirmPanel.getByTestId("ramp-start-confirm")).toBeFocused();
  await confirmPanel.getByTestId("ramp-start-confirm").click();

  await expect(panel.getByTestId("ramp-status")).toHaveText("Running");
  await expect(panel.getByTestId("ramp-step-1")).toHaveAttribute("data-state", "current");
  await expect(panel.getByTestId("ramp-step-5")).toHaveAttribute("data-state", "next");
  await expect(panel.getByTestId("ramp-steps")).toHaveText("● 1% (current)5% (next)25% (later)50% (later)100% (later)");
  await expect(panel.getByTestId("hold-countdown")).toHaveText(/^[01]:\d\d left in the hold$/);
  await expect(page.getByTestId("incident-state")).toHaveText("1%");

  const list = await page.context().newPage();
  await list.goto("/");
  await expect(list.getByTestId(`list-guarded-ramp-${key}`)).toHaveText(/1% → 5% (in 1 min|once there is enough traffic)/);
  await list.close();

  await confirmAction(panel, "pause");
  await expect(panel.getByTestId("ramp-status")).toHaveText("Paused");
  await expect(panel.getByTestId("ramp-summary")).toContainText("Paused by e2e-operator@rampart.test");
  await expect(panel.getByTestId("hold-countdown")).toHaveCount(0);

  await confirmAction(panel, "resume");
  await expect(panel.getByTestId("ramp-status")).toHaveText("Running");
  await expect(panel.getByTestId("ramp-step-1")).toHaveAttribute("data-state", "current");
  await expect(panel.getByTestId("hold-countdown")).toBeVisible();

  await confirmAction(panel, "abort");
  await expect(panel.getByTestId("ramp-status")).toHaveText("Aborted");
  await expect(panel.getByTestId("ramp-summary")).toContainText("Ramp aborted by e2e-operator@rampart.test");
  await expect(panel.getByTestId("ramp-plan-open")).toBeVisible();
  await expect(page.getByTestId("incident-state")).toHaveText("1%");
});

test("the plan editor shows the API's refusal next to the field it names", async ({ page, api }) => {
  const key = await givenFlag(api, "guarded_ramp_editor");
  await page.goto(`/flags/${key}`);
  const panel = page.getByTestId("guarded-ramp");
  await clickUntilShown(panel.getByTestId("ramp-plan-open"), panel.getByTestId("ramp-plan-editor"));
  await panel.getByLabel("Steps (%)").fill("1, 5, 50");
  await panel.getByTestId("ramp-plan-review").click();
  await panel.getByTestId("ramp-start-confirm").click();
  await expect(panel.getByLabel("Steps (%)")).toHaveAttribute("aria-invalid", "true");
  await expect(panel.getByText("must end at 100")).toBeVisible();
  await expect(panel.getByTestId("ramp-status")).toHaveCount(0);
});

test("a viewer sees a guarded ramp but no start, pause or abort", async ({ browser, api }) => {
  const key = await givenFlag(api, "guarded_ramp_viewer");
  expect((await api.post(`/api/flags/${key}/ramp-plan/start`, { data: { preset: "demo" } })).status()).toBe(201);
  const viewer = await browser.newContext({ storageState: storageStateFor("viewer") });
  const page = await viewer.newPage();
  await page.goto(`/flags/${key}`);
  const panel = page.getByTestId("guarded-ramp");
  await expect(panel.getByTestId("ramp-status")).toHaveText("Running");
  await expect(panel.getByTestId("ramp-step-1")).toHaveAttribute("data-state", "current");
  await expect(panel.getByTestId("ramp-pause")).toHaveCount(0);
  await expect(panel.getByTestId("ramp-abort")).toHaveCount(0);

  expect((await api.post(`/api/flags/${key}/ramp-plan/abort`, { data: {} })).status()).toBe(200);
  await page.reload();
  await expect(panel.getByTestId("ramp-status")).toHaveText("Aborted");
  await expect(panel.getByTestId("ramp-plan-open")).toHaveCount(0);
  await viewer.close();
});

test("the guard's first check shows each guardrail, and the panel has no serious axe violations, editor open or ramp running", async ({ page, api }) => {
  test.slow();
  const key = await givenFlag(api, "guarded_ramp_axe");
  await page.goto(`/flags/${key}`);
  const panel = page.getByTestId("guarded-ramp");
  await clickUntilShown(panel.getByTestId("ramp-plan-open"), panel.getByTestId("ramp-plan-editor"));
  expect(await panelViolations(page)).toEqual([]);

  expect((await api.post(`/api/flags/${key}/ramp-plan/start`, { data: { preset: "demo" } })).status()).toBe(201);
  // The guard checks running plans every 10 s; the panel polls every 5 s.
  await expect(panel.getByTestId("ramp-last-check")).toContainText("Last check", { timeout: 30_000 });
  await expect(panel.getByTestId("guardrail-errorRate").getByTestId("guardrail-verdict")).toHaveText("collecting evidence");
  await expect(panel.getByTestId("guardrail-p99")).toBeVisible();
  await expect(panel.getByTestId("guardrail-errorRate").getByRole("img")).toHaveAccessibleName(/^Error rate vs legacy: no estimate yet; threshold \+0\.50 pp\.$/);
  await expect(panel.getByTestId("guardrail-errorRate").getByTestId("guardrail-evidence")).toHaveText("new 0 / 200 requests · legacy 0 / 200 requests; no traffic yet to estimate when");
  expect(await panelViolations(page)).toEqual([]);
});

test("with step traffic each guardrail draws its estimate and interval against the limit", async ({ page, api }) => {
  test.slow();
  const key = await givenFlag(api, "guarded_ramp_interval");
  const { stepStartedAt } = await startDemoRamp(api, key);
  await sendStepTraffic(api, key, stepStartedAt, { newErrors: 4, legacyErrors: 4 });
  await page.goto(`/flags/${key}`);
  const errorRate = page.getByTestId("guarded-ramp").getByTestId("guardrail-errorRate");
  await expect(errorRate.getByRole("img")).toHaveAccessibleName(/^Error rate vs legacy: estimate 0\.00 pp, 95% interval −\d\.\d\d pp to \+\d\.\d\d pp; threshold \+0\.50 pp\.$/, { timeout: 30_000 });
  await expect(errorRate.getByTestId("guardrail-verdict")).toHaveText(/^(passes|collecting evidence)$/);
  await expect(errorRate.getByTestId("guardrail-evidence")).toContainText("new 2,000 / ");
  expect(await panelViolations(page)).toEqual([]);
  await page.getByTestId("guarded-ramp").screenshot({ path: "test-results/guarded-ramp-panel.png" });
});

test("a guard kill leaves its reason on the flag page, and the flags list says the guard killed it", async ({ page, api }) => {
  test.slow();
  const key = await givenFlag(api, "guarded_ramp_kill");
  const { stepStartedAt } = await startDemoRamp(api, key);
  await page.goto(`/flags/${key}`);
  const panel = page.getByTestId("guarded-ramp");
  await expect(panel.getByTestId("ramp-status")).toHaveText("Running");
  // The page must be following the live feed before the kill, as an on-call's open page would be.
  await page.waitForTimeout(500);
  await sendStepTraffic(api, key, stepStartedAt, { newErrors: 200, legacyErrors: 8 });
  await expect(panel.getByTestId("ramp-status")).toHaveText("Killed by the guard", { timeout: 30_000 });
  const { rampPlan } = (await (await api.get(`/api/flags/${key}/ramp-plan`)).json()) as { rampPlan: { statusReason: string } };
  expect(rampPlan.statusReason).toMatch(/^Guard: new-path error rate 10\.0% vs legacy 0\.40% .* at 1%$/);
  await expect(panel.getByTestId("guard-kill-reason")).toHaveText(rampPlan.statusReason);
  await expect(panel.getByTestId("guard-kill")).toContainText("Guard killed this flag at 1%");
  await expect(page.getByTestId("incident-state")).toHaveText("Killed", { timeout: 10_000 });
  await expect(panel.getByTestId("ramp-plan-open")).toHaveCount(0);
  await page.screenshot({ path: "test-results/guarded-ramp-kill.png", fullPage: true });

  await page.goto("/");
  await expect(page.getByTestId(`list-guarded-ramp-${key}`)).toHaveText(/killed by the guard at 1%/);
});
