import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEnvironment } from "@/lib/environments/create-environment";
import { auditEvents, environments, flags, flagStates, getDb, notificationDeliveries, notificationDestinations } from "@/testing/db";
import { givenFlag, testContext } from "@/testing/api";
import { uniqueKey } from "@/testing/unique-key";
import { startWebhookReceiver, type WebhookReceiver } from "@/testing/webhook-receiver";
import { runDeliveries } from "./delivery-worker";
import { addDestination } from "./destinations";
import { notificationTick } from "./notification-tick";
import { verifySignature } from "./signing";
import { staleDigestSlackMessage } from "./slack-message";
import { digestSlot, queueStaleDigests, type StaleDigestPayload } from "./stale-digest";

const DAY = 86_400_000;

describe("digestSlot", () => {
  it("is the latest Monday 09:00 UTC at or before the time", () => {
    expect(digestSlot(new Date("2026-12-07T09:00:00Z")).toISOString()).toBe("2026-12-07T09:00:00.000Z"); // a Monday, on the minute
    expect(digestSlot(new Date("2026-12-07T08:59:59Z")).toISOString()).toBe("2026-11-30T09:00:00.000Z"); // before it: last week's
    expect(digestSlot(new Date("2026-12-03T14:00:00Z")).toISOString()).toBe("2026-11-30T09:00:00.000Z"); // a Thursday
    expect(digestSlot(new Date("2026-12-06T23:59:59Z")).toISOString()).toBe("2026-11-30T09:00:00.000Z"); // a Sunday
    expect(digestSlot(new Date("2027-01-01T12:00:00Z")).toISOString()).toBe("2026-12-28T09:00:00.000Z"); // across a year
  });
});

describe("the weekly stale digest", () => {
  const saved = { key: process.env.RAMPART_SECRET_KEY, allow: process.env.RAMPART_WEBHOOK_ALLOW_PRIVATE };
  let env: string;
  let quietEnv: string;
  let stale: string;
  let fresh: string;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    process.env.RAMPART_SECRET_KEY = "stale digest test key 0123456789abcdef0123";
    process.env.RAMPART_WEBHOOK_ALLOW_PRIVATE = "1";
    const ctx = await testContext();
    // An underscore, which a destination's environment filter once refused.
    env = uniqueKey("digest").slice(0, 32);
    quietEnv = uniqueKey("quiet").slice(0, 32);
    stale = await givenFlag("digest_stale");
    fresh = await givenFlag("digest_fresh");
    for (const key of [env, quietEnv]) await createEnvironment({ ctx, input: { key, name: key } });
    // At 0% for 20 days in `env`: past the default 14-day threshold.
    const db = await getDb();
    const [{ id: environmentId }] = await db.select({ id: environments.id }).from(environments).where(eq(environments.key, env));
    const [{ id: flagId }] = await db.select({ id: flags.id }).from(flags).where(eq(flags.key, stale));
    await db.update(flagStates).set({ servedSince: new Date(Date.now() - 20 * DAY) }).where(and(eq(flagStates.flagId, flagId), eq(flagStates.environmentId, environmentId)));
    receiver = await startWebhookReceiver();
  });
  afterAll(async () => {
    await receiver?.close();
    for (const [name, value] of [["RAMPART_SECRET_KEY", saved.key], ["RAMPART_WEBHOOK_ALLOW_PRIVATE", saved.allow]] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  async function destination(name: string, input: { environments: string[]; staleDigest: boolean; enabled?: boolean }) {
    return addDestination(await testContext(), { name: uniqueKey(name), kind: "webhook", url: receiver.url, eventTypes: ["kill"], minSeverity: "critical", enabled: input.enabled ?? true, environments: input.environments, staleDigest: input.staleDigest });
  }

  async function digestsOf(destinationId: number) {
    const db = await getDb();
    return db.select().from(notificationDeliveries).where(and(eq(notificationDeliveries.destinationId, destinationId), eq(notificationDeliveries.eventType, "stale_digest")));
  }

  it("queues one digest a week per destination that asks, listing the stale flags of its environments", async () => {
    const manager = await destination("managers", { environments: [env], staleDigest: true });
    const onCall = await destination("oncall", { environments: [env], staleDigest: false });
    const disabled = await destination("disabled", { environments: [env], staleDigest: true, enabled: false });
    const now = new Date();

    await queueStaleDigests(await getDb(), now);
    const [digest, ...more] = await digestsOf(manager.id);
    expect(more).toEqual([]);
    expect(digest.severity).toBe("info");
    expect(digest.flagId).toBeNull();
    const payload = digest.payload as StaleDigestPayload;
    expect(payload.week).toBe(digestSlot(now).toISOString());
    expect(payload.environments.map((e) => e.environment)).toEqual([env]);
    const listed = payload.environments[0].flags.find((flag) => flag.key === stale);
    expect(listed).toMatchObject({ reasons: ["at 0% for 20 days (threshold 14)"], removalOverdue: false, ageDays: 20 });
    expect(listed!.link).toMatch(new RegExp(`/flags/${stale}\\?env=${env}$`));
    expect(payload.environments[0].flags.map((flag) => flag.key)).not.toContain(fresh);
    // Other files' flags with overdue removal tickets are stale everywhere on a shared database.
    expect(payload.summary).toMatch(new RegExp(`^Stale flags this week: \\d+ in ${env}( \\(\\d+ removal tickets? overdue\\))?$`));

    expect(await digestsOf(onCall.id)).toEqual([]);
    expect(await digestsOf(disabled.id)).toEqual([]);
    const db = await getDb();
    const audited = await db.select().from(auditEvents).where(eq(auditEvents.action, "notification_destination.stale_digest"));
    expect(audited.map((event) => event.after)).toContainEqual(expect.objectContaining({ name: manager.name, sent: true, week: payload.week }));

    // Again the same week: nothing new. The next week: one more.
    await queueStaleDigests(await getDb(), new Date(now.getTime() + 60_000));
    expect(await digestsOf(manager.id)).toHaveLength(1);
    await queueStaleDigests(await getDb(), new Date(now.getTime() + 7 * DAY));
    expect(await digestsOf(manager.id)).toHaveLength(2);
  });

  it("with nothing stale where it listens, marks the week and audits it, and sends nothing", async () => {
    const quiet = await destination("quiet", { environments: [quietEnv], staleDigest: true });
    // Before any flag here existed, nothing can be stale, whatever other files left on the database.
    const then = new Date("2000-01-03T10:00:00Z");
    await queueStaleDigests(await getDb(), then);
    expect(await digestsOf(quiet.id)).toEqual([]);
    const db = await getDb();
    const [row] = await db.select().from(notificationDestinations).where(eq(notificationDestinations.id, quiet.id));
    expect(row.staleDigestSlot?.toISOString()).toBe("2000-01-03T09:00:00.000Z");
    const audited = await db.select().from(auditEvents).where(eq(auditEvents.action, "notification_destination.stale_digest"));
    expect(audited.map((event) => event.after)).toContainEqual({ name: quiet.name, week: "2000-01-03T09:00:00.000Z", staleFlags: 0, sent: false });
  });

  it("is queued by the delivery leader's first tick, and delivered in the same tick", async () => {
    const added = await destination("ticked", { environments: [env], staleDigest: true });
    await notificationTick(await getDb())();
    const [digest] = await digestsOf(added.id);
    expect(digest?.status).toBe("delivered");
    expect(receiver.accepted().map((request) => request.json.id)).toContain(digest!.eventId);
  });

  it("is delivered as signed JSON with its own event type, like any notification", async () => {
    const added = await destination("signed", { environments: [env], staleDigest: true });
    await queueStaleDigests(await getDb(), new Date());
    const [queued] = await digestsOf(added.id);
    await runDeliveries(await getDb());
    const got = receiver.accepted().find((request) => request.json.id === queued.eventId);
    expect(got?.headers["rampart-event-type"]).toBe("stale_digest");
    expect(got?.headers["rampart-event-id"]).toBe(queued.eventId);
    expect(verifySignature(added.signingSecret!, got!.body, String(got!.headers["rampart-signature"]), new Date())).toBe(true);
    expect((got!.json as unknown as StaleDigestPayload).environments[0].flags.map((flag) => flag.key)).toContain(stale);
  });
});

describe("the stale digest in Slack", () => {
  const flag = (i: number) => ({ key: `flag_${i}`, owner: "<!channel> team", ageDays: 30 - i, reasons: ["at 100% for 30 days (threshold 14)"], removalOverdue: false, dueDate: null, link: `https://rampart.example/flags/flag_${i}?env=production` });
  const payload = (environments: StaleDigestPayload["environments"]): StaleDigestPayload => ({
    id: "d1",
    type: "stale_digest",
    severity: "info",
    summary: "Stale flags this week: 12 in production",
    link: "https://rampart.example/stale",
    occurredAt: "2026-12-07T09:30:00.000Z",
    week: "2026-12-07T09:00:00.000Z",
    environments,
  });

  it("lists ten flags per environment with links, counts the rest, and escapes what people typed", () => {
    const message = staleDigestSlackMessage(payload([{ environment: "production", count: 12, overdueTickets: 0, flags: Array.from({ length: 12 }, (_, i) => flag(i)), more: 0 }]));
    expect(message.blocks.map((block) => block.type)).toEqual(["header", "section", "context"]);
    const section = (message.blocks[1] as { text: { text: string } }).text.text.split("\n");
    expect(section[0]).toBe("*production*: 12 stale");
    expect(section.slice(1, 11)).toHaveLength(10);
    expect(section[1]).toBe("• <https://rampart.example/flags/flag_0?env=production|flag_0> · &lt;!channel&gt; team · at 100% for 30 days (threshold 14)");
    expect(section[11]).toBe("…and 2 more");
    expect((message.blocks[2] as { elements: { text: string }[] }).elements[0].text).toBe("<https://rampart.example/stale|Open the stale list in Rampart> · week of 2026-12-07");
  });

  it("stays within Slack's 50 blocks however many environments there are", () => {
    const many = Array.from({ length: 45 }, (_, i) => ({ environment: `env-${i}`, count: 1, overdueTickets: 0, flags: [flag(i)], more: 0 }));
    const message = staleDigestSlackMessage(payload(many));
    expect(message.blocks).toHaveLength(42);
    expect((message.blocks.at(-1) as { elements: { text: string }[] }).elements[0].text).toMatch(/· 5 more environments there$/);
  });
});
