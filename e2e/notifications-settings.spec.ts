import type { Page } from "@playwright/test";
import { storageStateFor } from "./accounts";
import { verifySignature } from "../lib/notifications/signing";
import { uniqueKey } from "../testing/unique-key";
import { startWebhookReceiver, type WebhookReceiver } from "../testing/webhook-receiver";
import { clickUntilShown, expect, test } from "./fixtures";

// The server runs with RAMPART_WEBHOOK_ALLOW_PRIVATE=1 (playwright.config.ts), so a receiver on
// 127.0.0.1 is a destination it may send to.

test.describe("an admin", () => {
  test.use({ storageState: storageStateFor("admin") });
  let receiver: WebhookReceiver;
  test.beforeEach(async () => {
    receiver = await startWebhookReceiver();
  });
  test.afterEach(async () => {
    await receiver.close();
  });

  test("adds a webhook for kills, keeps its secret once, tests it, sees a kill delivered, redelivers it and deletes the destination", async ({ page, api }) => {
    const name = uniqueKey("on-call");
    await page.goto("/settings/notifications");
    const addForm = page.getByRole("form", { name: "Add a destination" });
    await addForm.getByLabel("Name").fill(name);
    await addForm.getByLabel("Kind").selectOption({ label: "Generic JSON webhook" });
    await addForm.getByLabel("Webhook URL").fill(receiver.url);
    await hearOnlyKills(page);
    await addForm.getByRole("button", { name: "Add destination" }).click();

    const secret = (await page.getByTestId("secret-value").textContent())?.trim() ?? "";
    expect(secret).toMatch(/^whsec_/);
    const card = page.getByTestId("destination").filter({ hasText: name });
    await expect(card.getByTestId("destination-events")).toHaveText("Kills");
    await expect(card).toContainText("Generic JSON webhook to 127.0.0.1:");
    await expect(card).toContainText("All environments");
    await page.getByRole("button", { name: "Done, I have stored it" }).click();
    await expect(page.getByTestId("secret-value")).toHaveCount(0);
    await page.reload();
    await expect(card).toBeVisible();
    await expect(page.getByTestId("secret-value")).toHaveCount(0);

    await clickUntilShown(card.getByRole("button", { name: "Send test" }), card.getByTestId("test-result").filter({ hasText: /\S/ }));
    await expect(card.getByTestId("test-result")).toHaveText("Delivered: 200");
    const [testMessage] = receiver.accepted();
    expect(testMessage?.json).toMatchObject({ type: "test", summary: `Test message from Rampart to ${name}` });
    expect(verifySignature(secret, testMessage!.body, String(testMessage!.headers["rampart-signature"]))).toBe(true);

    const key = uniqueKey("notify_checkout");
    expect((await api.post("/api/flags", { data: { key, owner: "orders-team" } })).status()).toBe(201);
    expect((await api.patch(`/api/flags/${key}`, { data: { percentage: 25 } })).status()).toBe(200);
    expect((await api.post(`/api/flags/${key}/kill`, { data: { reason: "p99 doubled on the new path" } })).status()).toBe(200);

    await card.getByRole("link", { name: /Delivery log/ }).click();
    await expect(page).toHaveURL(/\/settings\/notifications\/\d+$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Delivery log: ${name}`);
    const killDelivery = page.getByTestId("delivery").filter({ hasText: `Killed: ${key}` });
    // The delivery loop runs every second and the log polls every 5 s.
    await expect(killDelivery.getByTestId("delivery-status")).toHaveText("Delivered: 200", { timeout: 15_000 });
    await expect(killDelivery).toContainText(/Attempts\s*1/);
    await expect(killDelivery).toContainText("critical");
    await expect(killDelivery.getByTestId("response-excerpt")).toHaveText("ok");
    await expect(page.getByTestId("delivery").filter({ hasText: "Test message" })).toContainText("Delivered: 200");
    // The percentage change is not a kill, so it was filtered out.
    await expect(page.getByTestId("delivery")).toHaveCount(2);
    const kills = () => receiver.accepted().filter((request) => request.json.type === "kill");
    expect(kills().map((request) => request.json.flag)).toEqual([key]);

    await killDelivery.getByRole("button", { name: /Redeliver/ }).click();
    await expect.poll(() => kills().length, { timeout: 15_000 }).toBe(2);
    expect(kills()[1]!.headers["rampart-event-id"]).toBe(kills()[0]!.headers["rampart-event-id"]);
    await expect(killDelivery.getByTestId("delivery-status")).toHaveText("Delivered: 200", { timeout: 15_000 });
    await expect(killDelivery).toContainText(/Attempts\s*2/);

    await page.getByRole("link", { name: "All destinations" }).click();
    await card.getByRole("button", { name: `Delete ${name}` }).click();
    await card.getByRole("button", { name: "Yes, delete" }).click();
    await expect(card).toHaveCount(0);
    const listed = (await (await api.get("/api/notifications/destinations")).json()) as { destinations: { name: string }[] };
    expect(listed.destinations.map((destination) => destination.name)).not.toContain(name);
  });

  test("edits a destination: a taken name shows at its field, an empty URL keeps the old one, and it can be disabled", async ({ page, api }) => {
    const name = uniqueKey("slack-ops");
    const added = await api.post("/api/notifications/destinations", { data: { name, kind: "webhook", url: receiver.url } });
    expect(added.status()).toBe(201);
    const other = uniqueKey("taken");
    expect((await api.post("/api/notifications/destinations", { data: { name: other, kind: "webhook", url: receiver.url } })).status()).toBe(201);

    await page.goto("/settings/notifications");
    const card = page.getByTestId("destination").filter({ has: page.getByRole("heading", { name }) });
    const editForm = card.getByRole("form", { name: `Edit “${name}”` });
    await clickUntilShown(card.getByRole("button", { name: `Edit ${name}` }), editForm);
    await expect(editForm.getByLabel("New URL")).toHaveValue("");
    await editForm.getByLabel("Name").fill(other);
    await editForm.getByRole("button", { name: "Save changes" }).click();
    await expect(editForm.getByText("is taken")).toBeVisible();

    await editForm.getByLabel("Name").fill(name);
    await editForm.getByRole("group", { name: "Events" }).getByLabel("Restores").uncheck();
    await editForm.getByLabel("Minimum severity").selectOption("warning");
    await expect(card.getByTestId("destination-digest")).toHaveCount(0);
    await editForm.getByLabel("Weekly stale digest").check();
    await editForm.getByRole("button", { name: "Save changes" }).click();
    await expect(editForm).toHaveCount(0);
    await expect(card.getByTestId("destination-events")).toContainText("Kills, percentage changes, guard rollbacks");
    await expect(card).toContainText("Warnings and critical");
    await expect(card.getByTestId("destination-digest")).toHaveText("weekly stale digest");

    await clickUntilShown(card.getByRole("button", { name: "Send test" }), card.getByTestId("test-result").filter({ hasText: /\S/ }));
    await expect(card.getByTestId("test-result")).toHaveText("Delivered: 200");
    expect(receiver.accepted().map((request) => request.json.summary)).toEqual([`Test message from Rampart to ${name}`]);

    await card.getByRole("switch", { name: `Enabled: ${name}` }).uncheck();
    await expect(card.getByTestId("destination-state")).toHaveText("disabled: sends nothing");
    const listed = (await (await api.get("/api/notifications/destinations")).json()) as { destinations: { id: number; name: string; enabled: boolean; minSeverity: string; staleDigest: boolean }[] };
    expect(listed.destinations.find((destination) => destination.name === name)).toMatchObject({ enabled: false, minSeverity: "warning", staleDigest: true });

    for (const { id } of listed.destinations.filter((destination) => destination.name === name || destination.name === other)) {
      expect((await api.delete(`/api/notifications/destinations/${id}`)).status()).toBe(204);
    }
  });
});

/** Unticks every event type in the add form, then ticks Kills. */
async function hearOnlyKills(page: Page) {
  const events = page.getByRole("form", { name: "Add a destination" }).getByRole("group", { name: "Events" });
  for (const checkbox of await events.getByRole("checkbox").all()) await checkbox.uncheck();
  await events.getByLabel("Kills").check();
}

for (const role of ["viewer", "operator"] as const) {
  test.describe(`signed in as ${role}`, () => {
    test.use({ storageState: storageStateFor(role) });

    test("cannot reach Settings → Notifications, in the page or the API", async ({ page }) => {
      await page.goto("/settings/notifications");
      await expect(page.getByText("This page needs the admin role.")).toBeVisible();
      await expect(page.getByRole("form", { name: "Add a destination" })).toHaveCount(0);
      expect((await page.request.get("/api/notifications/destinations")).status()).toBe(403);
    });
  });
}
