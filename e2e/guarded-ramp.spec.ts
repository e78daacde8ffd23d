import { createClient, type RampartClient } from "@rampart/sdk";
import type { APIRequestContext } from "@playwright/test";
import { storageStateFor } from "./accounts";
import { uniqueKey } from "../testing/unique-key";
import { expect, test } from "./fixtures";

test.use({ storageState: storageStateFor("operator") });

// The server under test runs the guard every 2 s (RAMPART_GUARD_INTERVAL_MS in
// playwright.config.ts); a plan's hold is still at least a minute, so this test takes about two.
const PLAN = { steps: [25, 50, 100], holdMinutes: 1, minSamplesPerPath: 200 };
const REQUESTS_PER_SECOND = 100; // 25 a second on the new path at 25 %: 200 in the first 8 s of the hold
const FAULT_ERROR_RATE = 0.2;

interface AuditEvent {
  at: string;
  action: string;
  actor: string;
  source: string;
  reason: string | null;
  after: { percentage?: number; evidence?: { percentage: number; checks: { verdict: string }[] } } | null;
}

/**
 * A service gated with the real SDK: REQUESTS_PER_SECOND requests from 10,000 users, each through
 * `gate()`; the new path answers at once, the legacy path in ~5 ms, and once `fault` is on the new
 * path throws on FAULT_ERROR_RATE of requests. The SDK flushes its windows every 2 s.
 */
class GatedService {
  fault = false;
  calls = { new: 0, legacy: 0, newErrors: 0 };
  private timer: ReturnType<typeof setInterval> | undefined;
  private constructor(private readonly client: RampartClient) {}

  static async start(baseURL: string, sdkKey: string, flag: string): Promise<GatedService> {
    const client = createClient({ url: baseURL, sdkKey, flushIntervalMs: 2_000 });
    if (!(await client.ready({ timeoutMs: 10_000 }))) throw new Error("SDK not ready");
    const service = new GatedService(client);
    let request = 0;
    service.timer = setInterval(() => {
      for (let i = 0; i < REQUESTS_PER_SECOND / 10; i++) void service.handle(flag, `user-${request++ % 10_000}`);
    }, 100);
    return service;
  }

  private async handle(flag: string, user: string): Promise<void> {
    await this.client
      .gate(flag, { user_id: user }, {
        newPath: async () => {
          this.calls.new += 1;
          if (this.fault && Math.random() < FAULT_ERROR_RATE) {
            this.calls.newErrors += 1;
            throw new Error("new path: column order_status does not exist");
          }
        },
        legacyPath: async () => {
          this.calls.legacy += 1;
          await new Promise((resolve) => setTimeout(resolve, 5));
        },
      })
      .catch(() => undefined); // the service answers 500 and moves on
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.client.close(); // flushes the last window
  }
}

async function auditEvents(api: APIRequestContext, key: string, action: string): Promise<AuditEvent[]> {
  const response = await api.get(`/api/audit?flag=${key}&action=${action}`);
  expect(response.status()).toBe(200);
  return (await response.json()).events;
}

test("a guarded ramp advances by itself on healthy SDK traffic, and the guard kills it when the new path fails", async ({ page, api, baseURL }) => {
  test.setTimeout(240_000);
  const key = uniqueKey("guarded_v2");
  expect((await api.post("/api/flags", { data: { key, owner: "orders-team" } })).status()).toBe(201);
  const sdkKey = (await (await api.post("/api/sdk-keys", { data: { name: uniqueKey("orders"), environment: "production" } })).json()).secret;

  const started = await api.post(`/api/flags/${key}/ramp-plan/start`, { data: { plan: PLAN, reason: "e2e: guarded ramp" } });
  expect(started.status()).toBe(201);
  expect((await started.json()).rampPlan).toMatchObject({ status: "running", step: 0, percentage: 25, nextPercentage: 50 });

  const service = await GatedService.start(baseURL!, sdkKey, key);
  try {
    await page.goto(`/flags/${key}`);
    await expect(page.getByTestId("incident-state")).toHaveText("25%");

    // Healthy: after the 1-minute hold every guardrail passes and the guard moves the flag to 50 %.
    await expect(async () => {
      const plan = (await (await api.get(`/api/flags/${key}/ramp-plan`)).json()).rampPlan;
      expect(plan).toMatchObject({ status: "running", step: 1, percentage: 50 });
    }).toPass({ timeout: 120_000, intervals: [1_000] });
    const [advanced] = await auditEvents(api, key, "ramp.advanced");
    expect(advanced).toMatchObject({ actor: "guard", source: "controller" });
    expect(advanced!.reason).toMatch(/^Guard: every guardrail passed at 25% after 1 min/);
    expect(advanced!.after!.evidence!.checks.map((check) => check.verdict)).toEqual(["pass", "pass"]);
    const [moved] = await auditEvents(api, key, "flag.state_updated");
    expect(moved).toMatchObject({ actor: "guard", source: "controller" });
    expect(moved!.after!.percentage).toBe(50);
    // The open flag page follows the guard's change live.
    await expect(page.getByTestId("incident-state")).toHaveText("50%", { timeout: 15_000 });
    expect(service.calls.newErrors).toBe(0);

    // The fault: a fifth of new-path requests fail. The guard kills the flag through the kill path.
    service.fault = true;
    await expect(page.getByTestId("incident-state")).toHaveText("Killed", { timeout: 90_000 });
    expect(service.calls.newErrors).toBeGreaterThan(0);

    const plan = (await (await api.get(`/api/flags/${key}/ramp-plan`)).json()).rampPlan;
    expect(plan).toMatchObject({ status: "rolled_back", percentage: 50, summary: "killed by the guard at 50%" });
    expect(plan.statusReason).toMatch(/^Guard: new-path error rate .* at 50%$/);
    const [killed] = await auditEvents(api, key, "flag.killed");
    expect(killed).toMatchObject({ actor: "guard", source: "controller", reason: plan.statusReason });
    expect((await (await api.get(`/api/flags/${key}`)).json()).state).toMatchObject({ killed: true });

    // The guard's reason, on the flag page's audit trail and on the audit page.
    await page.reload();
    await expect(page.getByTestId("incident-state")).toHaveText("Killed");
    await expect(page.getByText(plan.statusReason).first()).toBeVisible();
    await page.goto(`/audit?flag=${key}&action=flag.killed`);
    const rows = page.getByRole("table").getByRole("row");
    await expect(rows).toHaveCount(2); // the header and the kill
    await expect(rows.nth(1)).toContainText(plan.statusReason);
    await expect(rows.nth(1)).toContainText("controller");
  } finally {
    await service.stop();
  }
});
