import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import * as deliveriesRoute from "@/app/api/notifications/destinations/[id]/deliveries/route";
import * as destinationRoute from "@/app/api/notifications/destinations/[id]/route";
import * as testRoute from "@/app/api/notifications/destinations/[id]/test/route";
import * as destinationsRoute from "@/app/api/notifications/destinations/route";
import * as redeliverRoute from "@/app/api/notifications/deliveries/[id]/redeliver/route";
import * as killRoute from "@/app/api/flags/[key]/kill/route";
import * as restoreRoute from "@/app/api/flags/[key]/restore/route";
import * as flagRoute from "@/app/api/flags/[key]/route";
import { createEnvironment } from "@/lib/environments/create-environment";
import { recordAuditEvent } from "@/lib/audit/audit-store";
import { noticeOverdueTickets } from "@/lib/lifecycle/overdue-tickets";
import { auditEvents, environments, flags, getDb, notificationDeliveries, notificationDestinations, removalTickets } from "@/testing/db";
import { callRoute, givenFlag, givenToken, testContext } from "@/testing/api";
import { uniqueKey } from "@/testing/unique-key";
import { startWebhookReceiver, type WebhookReceiver } from "@/testing/webhook-receiver";
import { runDeliveries, RETRY_FOR_MS } from "@/lib/notifications/delivery-worker";
import { verifySignature } from "@/lib/notifications/signing";

const saved = { key: process.env.RAMPART_SECRET_KEY, allow: process.env.RAMPART_WEBHOOK_ALLOW_PRIVATE };
let env: string;
let receiver: WebhookReceiver;

beforeAll(async () => {
  process.env.RAMPART_SECRET_KEY = "notification test key 0123456789abcdef0123";
  process.env.RAMPART_WEBHOOK_ALLOW_PRIVATE = "1";
  env = uniqueKey("notify").replace(/_/g, "-").slice(0, 30);
  await createEnvironment({ ctx: await testContext(), input: { key: env, name: env } });
});
afterEach(async () => {
  await receiver?.close();
  const db = await getDb();
  await db.delete(notificationDestinations);
});
afterAll(() => {
  for (const [name, value] of [["RAMPART_SECRET_KEY", saved.key], ["RAMPART_WEBHOOK_ALLOW_PRIVATE", saved.allow]] as const) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

type Destination = { id: number; name: string; urlHost: string; signed: boolean; signingSecret?: string; staleDigest: boolean; staleDigestWeek: string | null; environments: string[] | null };

async function givenDestination(body: Record<string, unknown> = {}): Promise<Destination> {
  receiver = await startWebhookReceiver();
  const added = await callRoute<Destination>(destinationsRoute.POST, {
    method: "POST",
    path: "/api/notifications/destinations",
    body: { name: uniqueKey("hook"), kind: "webhook", url: receiver.url, environments: [env], ...body },
  });
  expect(added.status, JSON.stringify(added.body)).toBe(201);
  return added.body;
}

const kill = (key: string, reason = "p99 doubled on the new path") => callRoute(killRoute.POST, { method: "POST", path: `/api/flags/${key}/kill?env=${env}`, params: { key }, body: { reason } });
const restore = (key: string) => callRoute(restoreRoute.POST, { method: "POST", path: `/api/flags/${key}/restore?env=${env}`, params: { key }, body: { reason: "fixed the query" } });
const ramp = (key: string, percentage: number) => callRoute(flagRoute.PATCH, { method: "PATCH", path: `/api/flags/${key}?env=${env}`, params: { key }, body: { percentage } });

describe("the weekly stale digest setting", () => {
  it("is off unless asked for, turned on and off by PATCH, and refused as anything but a boolean", async () => {
    const added = await givenDestination();
    expect(added).toMatchObject({ staleDigest: false, staleDigestWeek: null });
    const patch = (body: unknown) => callRoute<{ staleDigest: boolean }>(destinationRoute.PATCH, { method: "PATCH", path: `/api/notifications/destinations/${added.id}`, params: { id: String(added.id) }, body });
    expect((await patch({ staleDigest: true })).body.staleDigest).toBe(true);
    const refused = await patch({ staleDigest: "yes" });
    expect(refused.status).toBe(400);
    expect(refused.body.error?.details.map((detail) => detail.path)).toEqual(["staleDigest"]);
    const db = await getDb();
    const [row] = await db.select().from(notificationDestinations).where(eq(notificationDestinations.id, added.id));
    expect(row.staleDigest).toBe(true);
  });

  it("takes environment keys with underscores, as environments allow", async () => {
    const underscored = uniqueKey("notify_env").slice(0, 32);
    await createEnvironment({ ctx: await testContext(), input: { key: underscored, name: underscored } });
    const added = await givenDestination({ environments: [underscored], staleDigest: true });
    expect(added).toMatchObject({ environments: [underscored], staleDigest: true });
  });
});

describe("a webhook destination", () => {
  it("gets each event signed, with its id as the idempotency key, in order", async () => {
    const destination = await givenDestination();
    expect(destination.signingSecret).toMatch(/^whsec_/);
    const key = await givenFlag("notify_order");
    await ramp(key, 25);
    await kill(key);
    await restore(key);
    expect(await runDeliveries(await getDb())).toMatchObject({ delivered: 3, retrying: 0 });

    const got = receiver.accepted();
    expect(got.map((r) => r.json.type)).toEqual(["percentage_change", "kill", "restore"]);
    for (const request of got) {
      expect(verifySignature(destination.signingSecret!, request.body, String(request.headers["rampart-signature"]))).toBe(true);
      expect(request.headers["rampart-event-id"]).toBe(request.json.id);
    }
    expect(verifySignature("whsec_wrong", got[0]!.body, String(got[0]!.headers["rampart-signature"]))).toBe(false);
    expect(got[1]!.json).toMatchObject({
      type: "kill",
      severity: "critical",
      summary: `Killed: ${key} in ${env}`,
      flag: key,
      environment: env,
      reason: "p99 doubled on the new path",
      source: "api",
      link: expect.stringMatching(new RegExp(`/flags/${key}\\?env=${env}$`)),
      audit: { action: "flag.killed", after: { killed: true } },
    });
    expect(got[0]!.json.summary).toBe(`${key} in ${env}: 0% → 25%`);
  });

  it("while the receiver is down for 30 s: everything arrives once, in order per flag, after it is back", async () => {
    await givenDestination();
    const [first, second] = [await givenFlag("notify_a"), await givenFlag("notify_b")];
    receiver.setDown(true);
    const db = await getDb();
    let clock = Date.now();
    const now = () => new Date(clock);
    await kill(first);
    await kill(second);
    await restore(first);
    await runDeliveries(db, { now });
    for (let second_ = 0; second_ <= 30; second_ += 2) {
      clock += 2_000;
      await runDeliveries(db, { now });
    }
    expect(receiver.accepted()).toEqual([]);
    expect(receiver.received.length).toBeGreaterThan(2);
    // Nothing behind an undelivered kill was tried: the restore waited its turn.
    expect(receiver.received.some((r) => (JSON.parse(r.body) as { type: string; flag: string }).type === "restore")).toBe(false);

    receiver.setDown(false);
    for (let i = 0; i < 60 && receiver.accepted().length < 3; i++) {
      clock += 10_000;
      await runDeliveries(db, { now });
    }
    const got = receiver.accepted().map((r) => `${r.json.flag}:${r.json.type}`);
    expect(got.filter((line) => line.startsWith(first))).toEqual([`${first}:kill`, `${first}:restore`]);
    expect(got.filter((line) => line.startsWith(second))).toEqual([`${second}:kill`]);
    expect(new Set(receiver.accepted().map((r) => r.json.id)).size).toBe(3);
  });

  it("gives up an hour after queuing, and an admin's redeliver sends it again", async () => {
    const destination = await givenDestination();
    const key = await givenFlag("notify_fail");
    receiver.setDown(true);
    await kill(key);
    const db = await getDb();
    let clock = Date.now();
    const now = () => new Date(clock);
    for (let i = 0; i < 40; i++) {
      await runDeliveries(db, { now });
      clock += RETRY_FOR_MS / 20;
    }
    type Log = { deliveries: { id: number; status: string; attempts: number; lastStatusCode: number; lastResponseExcerpt: string }[] };
    const log = await callRoute<Log>(deliveriesRoute.GET, { path: `/api/notifications/destinations/${destination.id}/deliveries`, params: { id: String(destination.id) } });
    expect(log.body.deliveries[0]).toMatchObject({ status: "failed", lastStatusCode: 503, lastResponseExcerpt: "receiver is down" });
    expect(log.body.deliveries[0]!.attempts).toBeGreaterThan(3);

    receiver.setDown(false);
    const id = String(log.body.deliveries[0]!.id);
    expect((await callRoute(redeliverRoute.POST, { method: "POST", path: `/api/notifications/deliveries/${id}/redeliver`, params: { id } })).status).toBe(202);
    expect((await callRoute(redeliverRoute.POST, { method: "POST", path: `/api/notifications/deliveries/${id}/redeliver`, params: { id } })).status).toBe(409);
    await runDeliveries(db);
    expect(receiver.accepted().map((r) => r.json.type)).toEqual(["kill"]);
  });

  it("hears only what its filters let through: types, environments, severity", async () => {
    await givenDestination({ eventTypes: ["kill", "percentage_change"], minSeverity: "critical" });
    const key = await givenFlag("notify_filter");
    await ramp(key, 5);
    await kill(key);
    await restore(key);
    await callRoute(killRoute.POST, { method: "POST", path: `/api/flags/${key}/kill?env=production`, params: { key }, body: { reason: "elsewhere" } });
    await runDeliveries(await getDb());
    expect(receiver.accepted().map((r) => `${r.json.environment}:${r.json.type}`)).toEqual([`${env}:kill`]);
  });

  it("gets nothing from a change that rolled back", async () => {
    await givenDestination();
    const key = await givenFlag("notify_rollback");
    const db = await getDb();
    const [flag] = await db.select().from(flags).where(eq(flags.key, key));
    const [environment] = await db.select().from(environments).where(eq(environments.key, env));
    // The audit event and its outbox rows are written, then the change fails after them.
    await expect(
      db.transaction(async (tx) => {
        await recordAuditEvent(tx, { actor: "someone", source: "api", action: "flag.killed", flagId: flag!.id, environmentId: environment!.id, after: { killed: true } });
        expect(await tx.select().from(notificationDeliveries)).toHaveLength(1);
        throw new Error("the change after it failed");
      }),
    ).rejects.toThrow("the change after it failed");
    expect(await db.select().from(notificationDeliveries)).toEqual([]);
  });
});

describe("destinations", () => {
  it("refuse a private address without RAMPART_WEBHOOK_ALLOW_PRIVATE, and anything but http(s), naming the field", async () => {
    delete process.env.RAMPART_WEBHOOK_ALLOW_PRIVATE;
    try {
      for (const url of ["http://127.0.0.1:9/x", "http://localhost/x", "http://10.1.2.3/x", "http://169.254.169.254/latest/meta-data", "http://[::1]/x", "ftp://hooks.example.com/x", "https://user:pw@hooks.example.com/x"]) {
        const refused = await callRoute(destinationsRoute.POST, { method: "POST", path: "/api/notifications/destinations", body: { name: uniqueKey("bad"), kind: "webhook", url } });
        expect(refused.status, url).toBe(400);
        expect(refused.body.error!.details[0]!.path, url).toBe("url");
        expect(JSON.stringify(refused.body), url).not.toContain(url);
      }
      const db = await getDb();
      expect(await db.select().from(notificationDestinations)).toEqual([]);
    } finally {
      process.env.RAMPART_WEBHOOK_ALLOW_PRIVATE = "1";
    }
  });

  it("never show the URL or the signing secret: not in answers, not in the audit trail", async () => {
    const destination = await givenDestination({ kind: "slack", url: "http://127.0.0.1:9/services/T000/B000/XXXXSECRETXXXX" });
    const rotated = await callRoute<Destination>(destinationRoute.PATCH, { method: "PATCH", path: `/api/notifications/destinations/${destination.id}`, params: { id: String(destination.id) }, body: { url: "http://127.0.0.1:9/services/T000/B000/YYYYSECRETYYYY", enabled: false } });
    expect(rotated.status).toBe(200);
    const listed = await callRoute(destinationsRoute.GET, { path: "/api/notifications/destinations" });
    const db = await getDb();
    const audit = await db.select().from(auditEvents);
    for (const text of [JSON.stringify(destination), JSON.stringify(rotated.body), JSON.stringify(listed.body), JSON.stringify(audit)]) {
      expect(text).not.toContain("SECRET");
    }
    expect(rotated.body).toMatchObject({ urlHost: "127.0.0.1:9", signed: false });
    const [stored] = await db.select().from(notificationDestinations).where(eq(notificationDestinations.id, destination.id));
    expect(stored!.urlCiphertext).toMatch(/^v1:/);
  });

  it("are for admins only", async () => {
    const operator = await givenToken("operator");
    expect((await callRoute(destinationsRoute.GET, { path: "/api/notifications/destinations", as: operator.secret })).status).toBe(403);
    const refused = await callRoute(destinationsRoute.POST, { method: "POST", path: "/api/notifications/destinations", as: operator.secret, body: { name: "x", kind: "webhook", url: "https://hooks.example.com/x" } });
    expect(refused.status).toBe(403);
  });

  it("send a test message now and log it", async () => {
    const destination = await givenDestination();
    const sent = await callRoute<{ status: string; lastStatusCode: number; eventType: string }>(testRoute.POST, { method: "POST", path: `/api/notifications/destinations/${destination.id}/test`, params: { id: String(destination.id) } });
    expect(sent.body).toMatchObject({ status: "delivered", lastStatusCode: 200, eventType: "test" });
    expect(receiver.accepted()[0]!.json).toMatchObject({ type: "test", summary: `Test message from Rampart to ${destination.name}` });
  });
});

describe("an overdue removal ticket", () => {
  it("is told once per due date, as a warning, and again only when the date moves and passes", async () => {
    await givenDestination({ eventTypes: ["removal_ticket_overdue"], environments: null, minSeverity: "warning" });
    const key = await givenFlag("notify_overdue");
    const db = await getDb();
    const [flag] = await db.select().from(flags).where(eq(flags.key, key));
    await db.update(removalTickets).set({ dueAt: new Date(Date.now() - 3 * 86_400_000) }).where(eq(removalTickets.flagId, flag!.id));
    expect(await noticeOverdueTickets(db)).toBeGreaterThanOrEqual(1);
    expect(await noticeOverdueTickets(db)).toBe(0);
    await runDeliveries(db);
    const ours = () => receiver.accepted().filter((r) => r.json.flag === key);
    expect(ours().map((r) => [r.json.type, r.json.severity])).toEqual([["removal_ticket_overdue", "warning"]]);
    expect(ours()[0]!.json.summary).toBe(`Removal ticket for ${key} is overdue`);
    expect(ours()[0]!.json.reason).toMatch(/^Removal ticket owned by payments-team was due \d{4}-\d\d-\d\d, 3 days ago\.$/);

    await db.update(removalTickets).set({ dueAt: new Date(Date.now() - 86_400_000) }).where(eq(removalTickets.flagId, flag!.id));
    await noticeOverdueTickets(db);
    await runDeliveries(db);
    expect(ours()).toHaveLength(2);
  });
});
