import { and, asc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { POST as archive } from "@/app/api/flags/[key]/archive/route";
import { POST as kill } from "@/app/api/flags/[key]/kill/route";
import { POST as restore } from "@/app/api/flags/[key]/restore/route";
import { PATCH as patchFlag } from "@/app/api/flags/[key]/route";
import { GET as readTeardownRoute } from "@/app/api/flags/[key]/teardown/route";
import { POST as confirmContracted } from "@/app/api/flags/[key]/teardown/schema-contracted/route";
import { POST as confirmZeroFallback } from "@/app/api/flags/[key]/teardown/zero-fallback/route";
import { GET as sdkFlags } from "@/app/api/sdk/flags/route";
import { auditEvents, flags, removalTickets, teardownProgress } from "@/testing/db";
import { getDb } from "@/testing/db";
import { listEnvironments } from "@/lib/environments/environment-store";
import { findFlagByKey } from "@/lib/flags/flag-store";
import { readFlagChangesSince } from "@/lib/sdk/flag-snapshot";
import { callRoute, givenFlag, givenSdkKey, givenToken } from "@/testing/api";
import { givenTraffic } from "@/testing/traffic";
import type { TeardownResult, TeardownView } from "@/lib/lifecycle/read-teardown";

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
const ago = (ms: number) => new Date(Date.now() - ms);

async function teardown(key: string, env = "production") {
  const response = await callRoute<TeardownView>(readTeardownRoute, { path: `/api/flags/${key}/teardown?env=${env}`, params: { key } });
  expect(response.status).toBe(200);
  return response.body;
}

async function step(handler: typeof archive, key: string, suffix: string, env = "production", as?: string) {
  return callRoute<TeardownResult>(handler, { method: "POST", path: `/api/flags/${key}/${suffix}?env=${env}`, params: { key }, body: {}, as });
}

const confirmFallback = (key: string, env?: string, as?: string) => step(confirmZeroFallback, key, "teardown/zero-fallback", env, as);
const archiveFlag = (key: string, as?: string) => step(archive, key, "archive", "production", as);
const confirmSchema = (key: string, env?: string) => step(confirmContracted, key, "teardown/schema-contracted", env);

async function rampTo(key: string, percentage: number, env = "production") {
  const response = await callRoute(patchFlag, { method: "PATCH", path: `/api/flags/${key}?env=${env}`, params: { key }, body: { percentage } });
  expect(response.status).toBe(200);
}

async function auditActions(key: string): Promise<string[]> {
  const db = await getDb();
  const rows = await db
    .select({ action: auditEvents.action })
    .from(auditEvents)
    .innerJoin(flags, eq(flags.id, auditEvents.flagId))
    .where(eq(flags.key, key))
    .orderBy(asc(auditEvents.id));
  return rows.map((row) => row.action);
}

async function progressRow(key: string) {
  const db = await getDb();
  const flag = await findFlagByKey(db, key);
  const rows = await db.select().from(teardownProgress).where(eq(teardownProgress.flagId, flag!.id));
  return rows;
}

async function ticketStatus(key: string) {
  const db = await getDb();
  const [row] = await db
    .select({ status: removalTickets.status })
    .from(removalTickets)
    .innerJoin(flags, eq(flags.id, removalTickets.flagId))
    .where(eq(flags.key, key));
  return row.status;
}

/** A flag at 100% in production with a week of new-path-only traffic that ended `lastTraffic` ago. */
async function givenRampedWithCleanWeek(prefix: string, lastTraffic = 2 * DAY) {
  const key = await givenFlag(prefix, { removalTicket: { contraction: { table: "orders", oldColumn: "legacy_total", newColumn: "new_total" } } });
  await rampTo(key, 100);
  await givenTraffic(key, { path: "new", requests: 500, at: ago(5 * DAY) });
  await givenTraffic(key, { path: "new", requests: 300, at: ago(lastTraffic) });
  return key;
}

describe("teardown stage 1: ramped", () => {
  it("starts the hold when the flag reaches 100% and shows it", async () => {
    const key = await givenFlag("orders_v2_ramp");
    expect((await teardown(key)).completed).toBe(0);
    const before = Date.now();
    await rampTo(key, 100);

    const view = await teardown(key);
    expect(view).toMatchObject({ completed: 1, stage: "ramped", ramped: { done: true, percentage: 100, killed: false, blockedBy: null } });
    expect(Date.parse(view.ramped.since!)).toBeGreaterThanOrEqual(before - 1000);
    expect((await teardown(key, "staging")).ramped).toMatchObject({ done: false, since: null, blockedBy: { code: "not_ramped" } });
  });
});

describe("teardown stage 2: zero fallback confirmed", () => {
  it("is refused before the ramp, and nothing is written", async () => {
    const key = await givenFlag("orders_v2_early");
    await rampTo(key, 50);
    await givenTraffic(key, { path: "new", requests: 100, at: ago(HOUR) });
    const actionsBefore = await auditActions(key);

    const response = await confirmFallback(key);

    expect(response.status).toBe(409);
    expect(response.body.error).toMatchObject({ code: "not_ramped", message: expect.stringContaining("at 50%") });
    expect(await progressRow(key)).toEqual([]);
    expect(await auditActions(key)).toEqual(actionsBefore);
  });

  it("is refused while the legacy path served anything in the window, pinned and unkeyed included", async () => {
    const key = await givenFlag("orders_v2_legacy");
    await rampTo(key, 100);
    await givenTraffic(key, { path: "new", requests: 900, at: ago(2 * DAY) });
    await givenTraffic(key, { path: "legacy", requests: 3, reason: "pinned", at: ago(3 * DAY) });
    await givenTraffic(key, { path: "legacy", requests: 2, reason: "unkeyed", at: ago(6 * DAY) });
    const actionsBefore = await auditActions(key);

    const response = await confirmFallback(key);

    expect(response.status).toBe(409);
    expect(response.body.error).toMatchObject({ code: "legacy_traffic", message: expect.stringContaining("served 5 requests") });
    const view = await teardown(key);
    expect(view.zeroFallback).toMatchObject({
      done: false,
      evidence: { legacyRequests: 5, newRequests: 900, legacyByReason: { pinned: 3, unkeyed: 2 } },
      blockedBy: { code: "legacy_traffic" },
    });
    expect(view.completed).toBe(1);
    expect((await progressRow(key))[0].zeroFallbackConfirmedAt).toBeNull();
    expect(await auditActions(key)).toEqual(actionsBefore);
  });

  it("counts a test tenant's targeted request on the legacy path as legacy traffic", async () => {
    const key = await givenFlag("orders_v2_targeted");
    await rampTo(key, 100);
    await givenTraffic(key, { path: "new", requests: 900, at: ago(2 * DAY) });
    await givenTraffic(key, { path: "legacy", requests: 4, reason: "targeted", at: ago(DAY) });
    const actionsBefore = await auditActions(key);

    const response = await confirmFallback(key);

    expect(response.status).toBe(409);
    expect(response.body.error).toMatchObject({ code: "legacy_traffic", message: expect.stringContaining("served 4 requests") });
    expect((await teardown(key)).zeroFallback).toMatchObject({
      done: false,
      evidence: { legacyRequests: 4, newRequests: 900, legacyByReason: { targeted: 4 } },
    });
    expect(await auditActions(key)).toEqual(actionsBefore);
  });

  it("is refused with no traffic at all: nothing measured is not zero", async () => {
    const key = await givenFlag("orders_v2_silent");
    await rampTo(key, 100);
    const response = await confirmFallback(key);
    expect(response.status).toBe(409);
    expect(response.body.error?.code).toBe("no_traffic");
  });

  it("passes once the legacy path read zero over the trigger window, and keeps the counts", async () => {
    const key = await givenFlag("orders_v2_clean", { removalTicket: { legacyZeroDays: 3 } });
    await rampTo(key, 100);
    // Legacy traffic four days ago is outside a three-day window.
    await givenTraffic(key, { path: "legacy", requests: 40, at: ago(4 * DAY) });
    await givenTraffic(key, { path: "new", requests: 250, at: ago(DAY) });

    const response = await confirmFallback(key);

    expect(response.status).toBe(200);
    expect(response.body.changed).toBe(true);
    expect(response.body.teardown).toMatchObject({
      completed: 2,
      stage: "zero_fallback_confirmed",
      zeroFallback: { done: true, confirmedBy: expect.stringMatching(/^token:/), evidence: { legacyRequests: 0, newRequests: 250 } },
    });
    expect(Date.parse(response.body.teardown.zeroFallback.evidence.from)).toBeLessThanOrEqual(Date.now() - 3 * DAY);
    expect((await auditActions(key)).at(-1)).toBe("teardown.zero_fallback_confirmed");
    // A second confirmation changes nothing.
    const again = await confirmFallback(key);
    expect(again.body.changed).toBe(false);
    expect((await auditActions(key)).filter((a) => a === "teardown.zero_fallback_confirmed")).toHaveLength(1);
  });

  it("is for operators: a viewer is refused and nothing is written", async () => {
    const key = await givenRampedWithCleanWeek("orders_v2_viewer");
    const viewer = await givenToken("viewer");
    const response = await confirmFallback(key, "production", viewer.secret);
    expect(response.status).toBe(403);
    expect((await progressRow(key))[0].zeroFallbackConfirmedAt).toBeNull();
  });
});

describe("moving back after the ramp", () => {
  it("a kill undoes ramped and zero fallback, audited with the stage it left", async () => {
    const key = await givenRampedWithCleanWeek("orders_v2_killed");
    expect((await confirmFallback(key)).status).toBe(200);

    const killed = await callRoute(kill, { method: "POST", path: `/api/flags/${key}/kill?env=production`, params: { key }, body: { reason: "p99 regression" } });
    expect(killed.status).toBe(200);

    const view = await teardown(key);
    expect(view).toMatchObject({
      completed: 0,
      stage: "ramping",
      ramped: { done: false, since: null, killed: true },
      zeroFallback: { done: false, confirmedAt: null },
      movedBack: { from: "zero_fallback_confirmed", action: "flag.killed", by: expect.stringMatching(/^token:/) },
    });
    const db = await getDb();
    const [event] = await db
      .select()
      .from(auditEvents)
      .innerJoin(flags, eq(flags.id, auditEvents.flagId))
      .where(and(eq(flags.key, key), eq(auditEvents.action, "teardown.moved_back")));
    expect(event.audit_events).toMatchObject({ before: { stage: "zero_fallback_confirmed" }, after: { stage: "ramping", killed: true }, reason: "p99 regression" });

    // Restoring ramps again, but zero fallback must be confirmed anew.
    await callRoute(restore, { method: "POST", path: `/api/flags/${key}/restore?env=production`, params: { key }, body: {} });
    expect(await teardown(key)).toMatchObject({ completed: 1, zeroFallback: { done: false } });
  });

  it("a percentage drop moves a ramped flag back too", async () => {
    const key = await givenRampedWithCleanWeek("orders_v2_drop");
    await rampTo(key, 25);
    expect(await teardown(key)).toMatchObject({ completed: 0, movedBack: { from: "ramped", action: "flag.state_updated" } });
    expect((await auditActions(key)).at(-1)).toBe("teardown.moved_back");
  });
});

describe("teardown stage 3: flag removed from code", () => {
  it("refuses to archive before zero fallback is confirmed", async () => {
    const key = await givenRampedWithCleanWeek("orders_v2_archive_early");
    const response = await archiveFlag(key);
    expect(response.status).toBe(409);
    expect(response.body.error).toMatchObject({ code: "zero_fallback_unconfirmed", message: expect.stringContaining("production") });
    expect((await findFlagByKey(await getDb(), key))!.archivedAt).toBeNull();
  });

  it("refuses to archive while SDKs still evaluate the flag, and the flag stays in snapshots", async () => {
    const key = await givenRampedWithCleanWeek("orders_v2_still_used", HOUR);
    expect((await confirmFallback(key)).status).toBe(200);
    const actionsBefore = await auditActions(key);

    const response = await archiveFlag(key);

    expect(response.status).toBe(409);
    expect(response.body.error).toMatchObject({ code: "still_evaluated", message: expect.stringContaining("flag not found") });
    expect((await findFlagByKey(await getDb(), key))!.archivedAt).toBeNull();
    expect(await auditActions(key)).toEqual(actionsBefore);
    const snapshot = await callRoute<{ flags: { key: string }[] }>(sdkFlags, { path: "/api/sdk/flags", as: await givenSdkKey() });
    expect(snapshot.body.flags.map((f) => f.key)).toContain(key);
    expect((await teardown(key)).flagRemoved.blockedBy?.code).toBe("still_evaluated");
  });

  it("refuses to archive while another environment that evaluated the flag has no confirmation", async () => {
    const key = await givenRampedWithCleanWeek("orders_v2_staging_used");
    expect((await confirmFallback(key)).status).toBe(200);
    await givenTraffic(key, { env: "staging", path: "legacy", requests: 7, at: ago(3 * DAY) });
    const response = await archiveFlag(key);
    expect(response.status).toBe(409);
    expect(response.body.error).toMatchObject({ code: "zero_fallback_unconfirmed", message: expect.stringContaining("staging") });
  });

  it("archives once quiet: SDK snapshots drop it, the stream says archived, the ticket moves on", async () => {
    const key = await givenRampedWithCleanWeek("orders_v2_archive", 2 * DAY);
    expect((await confirmFallback(key)).status).toBe(200);
    const db = await getDb();
    const production = (await listEnvironments(db)).find((e) => e.key === "production")!;
    const flag = (await findFlagByKey(db, key))!;
    const seqBefore = Math.max(...(await readFlagChangesSince(db, production.id, 0)).map((c) => c.seq));

    const response = await archiveFlag(key);

    expect(response.status).toBe(200);
    expect(response.body.teardown).toMatchObject({ completed: 3, stage: "flag_removed", flagRemoved: { done: true, evaluatedSinceArchive: [] } });
    expect((await findFlagByKey(db, key))!.archivedAt).not.toBeNull();
    expect(await ticketStatus(key)).toBe("flag_removed");
    expect((await auditActions(key)).at(-1)).toBe("flag.archived");
    const snapshot = await callRoute<{ flags: { key: string }[] }>(sdkFlags, { path: "/api/sdk/flags", as: await givenSdkKey() });
    expect(snapshot.body.flags.map((f) => f.key)).not.toContain(key);
    const changes = await readFlagChangesSince(db, production.id, seqBefore);
    expect(changes).toContainEqual(expect.objectContaining({ type: "archived", key }));
    expect(flag.id).toBeGreaterThan(0);
    // Code still asking for it after the archive shows up as a warning, not as traffic.
    await givenTraffic(key, { path: "new", requests: 5, at: new Date() });
    expect((await teardown(key)).flagRemoved.evaluatedSinceArchive).toEqual(["production"]);
    // Its state is frozen: a kill after archiving is refused.
    const killed = await callRoute(kill, { method: "POST", path: `/api/flags/${key}/kill?env=production`, params: { key }, body: {} });
    expect(killed.status).toBe(409);
  });

  it("takes every environment, so an environment-scoped operator token may not archive", async () => {
    const key = await givenRampedWithCleanWeek("orders_v2_scoped");
    expect((await confirmFallback(key)).status).toBe(200);
    const scoped = await givenToken("operator", "production");
    const response = await archiveFlag(key, scoped.secret);
    expect(response.status).toBe(403);
    expect((await findFlagByKey(await getDb(), key))!.archivedAt).toBeNull();
  });
});

describe("teardown stage 4: schema contracted", () => {
  it("is refused while the flag is not archived", async () => {
    const key = await givenRampedWithCleanWeek("orders_v2_drop_early");
    expect((await confirmFallback(key)).status).toBe(200);
    const response = await confirmSchema(key);
    expect(response.status).toBe(409);
    expect(response.body.error?.code).toBe("flag_not_removed");
    expect((await progressRow(key))[0].schemaContractedAt).toBeNull();
  });

  it("closes the ticket once the old column is confirmed dropped in every environment", async () => {
    const key = await givenRampedWithCleanWeek("orders_v2_contract");
    expect((await confirmFallback(key)).status).toBe(200);
    expect((await archiveFlag(key)).status).toBe(200);
    const environments = (await listEnvironments(await getDb())).map((e) => e.key);

    const first = await confirmSchema(key, "production");
    expect(first.status).toBe(200);
    expect(first.body.teardown).toMatchObject({
      completed: 4,
      stage: "schema_contracted",
      schemaContracted: { done: true, contraction: { table: "orders", oldColumn: "legacy_total", newColumn: "new_total" } },
    });
    expect(first.body.teardown.schemaContracted.pendingEnvironments).toEqual(environments.filter((e) => e !== "production"));
    expect(await ticketStatus(key)).toBe("flag_removed");

    for (const env of environments.filter((e) => e !== "production")) expect((await confirmSchema(key, env)).status).toBe(200);
    expect(await ticketStatus(key)).toBe("done");
    expect((await teardown(key)).ticketStatus).toBe("done");
    expect((await auditActions(key)).filter((a) => a === "teardown.schema_contracted")).toHaveLength(environments.length);
  });
});
