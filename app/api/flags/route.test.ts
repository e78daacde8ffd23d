import { describe, expect, it } from "vitest";
import type { createFlag } from "@/lib/flags/create-flag";
import type { listFlags } from "@/lib/flags/read-flags";
import { listEnvironments } from "@/lib/environments/environment-store";
import { callRoute, countAuditEvents, givenFlag, testContext } from "@/testing/api";
import { uniqueKey } from "@/testing/unique-key";
import { GET, POST } from "./route";

type CreatedFlag = Awaited<ReturnType<typeof createFlag>>;
type FlagList = Awaited<ReturnType<typeof listFlags>>;

function createFlagRequest(body: unknown) {
  return callRoute<CreatedFlag>(POST, { method: "POST", path: "/api/flags", body });
}

describe("POST /api/flags", () => {
  it("creates the flag, off at 0% in every environment, with a default removal ticket", async () => {
    const key = uniqueKey("orders_v2_total");
    const before = Date.now();
    // Other tests on a shared database may add environments; every one present before must get a state.
    const environments = (await listEnvironments((await testContext()).db)).map((environment) => environment.key);

    const response = await createFlagRequest({ key, owner: "payments-team", description: "read orders.new_total" });

    expect(response.status).toBe(201);
    expect(response.body.flag).toMatchObject({ key, name: key, owner: "payments-team", archivedAt: null });
    expect(environments).toEqual(expect.arrayContaining(["production", "staging"]));
    expect(Object.keys(response.body.states)).toEqual(expect.arrayContaining(environments));
    for (const state of Object.values(response.body.states)) {
      expect(state).toMatchObject({ default: false, percentage: 0, killed: false, version: 1, contexts: {} });
    }
    const ticket = response.body.removalTicket;
    expect(ticket).toMatchObject({ owner: "payments-team", legacyZeroDays: 7, quietHours: 24, staleAfterDays: null, status: "open" });
    const dueInDays = (Date.parse(ticket?.dueDate ?? "") - before) / 86_400_000;
    expect(dueInDays).toBeGreaterThan(89.99);
    expect(dueInDays).toBeLessThan(90.01);
    expect(await countAuditEvents(key)).toBe(1);
  });

  it("keeps the removal ticket's owner, trigger, due date, contraction and link", async () => {
    const key = uniqueKey("enable_orders_v2_total");
    const response = await createFlagRequest({
      key,
      owner: "payments-team",
      removalTicket: {
        owner: "dba-team",
        legacyZeroDays: 14,
        quietHours: 48,
        staleAfterDays: 30,
        dueDate: "2099-01-31",
        contraction: { table: "orders", oldColumn: "legacy_total", newColumn: "new_total" },
        link: "https://tracker.example/ORD-42",
      },
    });

    expect(response.status).toBe(201);
    expect(response.body.removalTicket).toMatchObject({
      owner: "dba-team",
      legacyZeroDays: 14,
      quietHours: 48,
      staleAfterDays: 30,
      dueDate: "2099-01-31T00:00:00.000Z",
      contraction: { table: "orders", oldColumn: "legacy_total", newColumn: "new_total" },
      link: "https://tracker.example/ORD-42",
    });
  });

  it("answers 409 naming key for a key that exists, and writes nothing", async () => {
    const key = await givenFlag("taken");
    const response = await createFlagRequest({ key, owner: "someone-else" });

    expect(response.status).toBe(409);
    expect(response.body.error).toMatchObject({ code: "flag_exists", details: [{ path: "key" }] });
    expect(await countAuditEvents(key)).toBe(1);
  });

  const badCreates: { name: string; body: unknown; field: string }[] = [
    { name: "a key with capitals", body: { key: "Schema_V2", owner: "a" }, field: "key" },
    { name: "a key starting with a dash", body: { key: "-x", owner: "a" }, field: "key" },
    { name: "a key of 65 characters", body: { key: "a".repeat(65), owner: "a" }, field: "key" },
    { name: "no owner", body: { key: "x_no_owner" }, field: "owner" },
    { name: "an unknown field", body: { key: "x_unknown", owner: "a", percentage: 5 }, field: "percentage" },
    { name: "a due date in the past", body: { key: "x_past", owner: "a", removalTicket: { dueDate: "2001-01-01" } }, field: "removalTicket.dueDate" },
    { name: "a malformed due date", body: { key: "x_baddate", owner: "a", removalTicket: { dueDate: "next week" } }, field: "removalTicket.dueDate" },
    { name: "a contraction without a column", body: { key: "x_nocol", owner: "a", removalTicket: { contraction: { table: "orders" } } }, field: "removalTicket.contraction.oldColumn" },
    { name: "a column that is not an identifier", body: { key: "x_badcol", owner: "a", removalTicket: { contraction: { table: "orders", oldColumn: "status; drop table orders" } } }, field: "removalTicket.contraction.oldColumn" },
    { name: "a link that is not http", body: { key: "x_badlink", owner: "a", removalTicket: { link: "javascript:alert(1)" } }, field: "removalTicket.link" },
  ];

  for (const bad of badCreates) {
    it(`refuses ${bad.name} with 400 naming ${bad.field}, creating nothing`, async () => {
      const response = await createFlagRequest(bad.body);

      expect(response.status).toBe(400);
      expect(response.body.error?.details.map((d) => d.path)).toContain(bad.field);
      const key = (bad.body as { key?: string }).key;
      if (key && /^[a-z0-9][a-z0-9_.-]{0,63}$/.test(key)) {
        const lookup = await callRoute<FlagList>(GET, { path: "/api/flags" });
        expect(lookup.body.flags.map((f) => f.key)).not.toContain(key);
      }
    });
  }
});

describe("GET /api/flags", () => {
  it("lists flags with their state in the environment, production by default", async () => {
    const key = await givenFlag("listed");
    const { PATCH } = await import("./[key]/route");
    await callRoute(PATCH, { method: "PATCH", path: `/api/flags/${key}?env=staging`, params: { key }, body: { percentage: 5 } });

    const production = await callRoute<FlagList>(GET, { path: "/api/flags" });
    const staging = await callRoute<FlagList>(GET, { path: "/api/flags?env=staging" });

    expect(production.status).toBe(200);
    expect(production.body.environment).toBe("production");
    expect(production.body.flags.find((f) => f.key === key)?.state.percentage).toBe(0);
    expect(staging.body.flags.find((f) => f.key === key)?.state.percentage).toBe(5);
  });

  it("shows each environment's targets, since when, and whether they outlived the ramp", async () => {
    const key = await givenFlag("listed_targets");
    const { PATCH } = await import("./[key]/route");
    const targets = [{ attribute: "tenant_id", value: true, values: ["t-42"] }];
    const set = await callRoute<{ state: { targetsSince: string } }>(PATCH, { method: "PATCH", path: `/api/flags/${key}?env=staging`, params: { key }, body: { targets } });
    await callRoute(PATCH, { method: "PATCH", path: `/api/flags/${key}?env=staging`, params: { key }, body: { percentage: 100 } });

    const production = await callRoute<FlagList>(GET, { path: "/api/flags" });
    const staging = await callRoute<FlagList>(GET, { path: "/api/flags?env=staging" });

    expect(production.body.flags.find((f) => f.key === key)?.state).toMatchObject({ targets: [], targetsSince: null, targetsOutlivedRamp: false });
    expect(staging.body.flags.find((f) => f.key === key)?.state).toMatchObject({ targets, targetsSince: set.body.state.targetsSince, targetsOutlivedRamp: true });
  });

  it("answers 404 naming env for an unknown environment, 400 for a malformed one", async () => {
    const unknown = await callRoute<FlagList>(GET, { path: "/api/flags?env=qa" });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toMatchObject({ code: "environment_not_found", details: [{ path: "env" }] });

    const malformed = await callRoute<FlagList>(GET, { path: "/api/flags?env=Prod%20EU" });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error?.details[0].path).toBe("env");
  });
});
