import { describe, expect, it } from "vitest";
import type { AuditEventView } from "@/lib/audit/audit-store";
import { callRoute, givenFlag, givenToken, testAdminTokenInfo } from "@/testing/api";
import type { NamedAuditEvent } from "@/lib/audit-trail/list-audit-events";
import { PATCH } from "../flags/[key]/route";
import { GET } from "./route";

type AuditPage = { events: (AuditEventView & Partial<NamedAuditEvent>)[]; nextCursor: string | null };

describe("GET /api/audit", () => {
  it("pages through one flag's events newest first", async () => {
    const key = await givenFlag("paged");
    for (const percentage of [1, 5, 25, 50, 100]) {
      await callRoute(PATCH, { method: "PATCH", path: `/api/flags/${key}`, params: { key }, body: { percentage } });
    }

    const first = await callRoute<AuditPage>(GET, { path: `/api/audit?flag=${key}&limit=4` });
    expect(first.status).toBe(200);
    expect(first.body.events.map((e) => (e.after as { percentage?: number })?.percentage)).toEqual([100, 50, 25, 5]);
    expect(first.body.nextCursor).not.toBeNull();

    const second = await callRoute<AuditPage>(GET, { path: `/api/audit?flag=${key}&limit=4&cursor=${first.body.nextCursor}` });
    expect(second.body.events.map((e) => e.action)).toEqual(["flag.state_updated", "flag.created"]);
    expect(second.body.nextCursor).toBeNull();
  });

  it("filters by environment", async () => {
    const key = await givenFlag("env_filter");
    await callRoute(PATCH, { method: "PATCH", path: `/api/flags/${key}?env=staging`, params: { key }, body: { percentage: 5 } });

    const staging = await callRoute<AuditPage>(GET, { path: `/api/audit?flag=${key}&env=staging` });
    const production = await callRoute<AuditPage>(GET, { path: `/api/audit?flag=${key}&env=production` });

    expect(staging.body.events.map((e) => e.environment)).toEqual(["staging"]);
    expect(production.body.events).toEqual([]);
  });

  it("answers 404 for an unknown flag and 400 for a malformed cursor", async () => {
    const unknown = await callRoute<AuditPage>(GET, { path: "/api/audit?flag=does_not_exist_anywhere" });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error?.details[0].path).toBe("key");

    const badCursor = await callRoute<AuditPage>(GET, { path: "/api/audit?cursor=abc" });
    expect(badCursor.status).toBe(400);
    expect(badCursor.body.error?.details[0].path).toBe("cursor");
  });

  it("filters by action, by part of the actor in any case, and by time", async () => {
    const key = await givenFlag("filters");
    const operator = await givenToken("operator");
    await callRoute(PATCH, { method: "PATCH", path: `/api/flags/${key}`, params: { key }, body: { percentage: 5 }, as: operator.secret });
    await callRoute(PATCH, { method: "PATCH", path: `/api/flags/${key}`, params: { key }, body: { percentage: 10 } });

    const updates = await callRoute<AuditPage>(GET, { path: `/api/audit?flag=${key}&action=flag.state_updated` });
    expect(updates.body.events.map((e) => (e.after as { percentage: number }).percentage)).toEqual([10, 5]);

    const byOperator = await callRoute<AuditPage>(GET, { path: `/api/audit?flag=${key}&actor=${operator.name.toUpperCase()}` });
    expect(byOperator.body.events.map((e) => [e.actor, (e.after as { percentage: number }).percentage])).toEqual([[`token:${operator.name}`, 5]]);
    // A LIKE wildcard typed into the filter matches only itself.
    expect((await callRoute<AuditPage>(GET, { path: `/api/audit?flag=${key}&actor=%25` })).body.events).toEqual([]);

    const all = (await callRoute<AuditPage>(GET, { path: `/api/audit?flag=${key}` })).body.events;
    const newest = new Date(all[0].at);
    const since = new Date(newest.getTime() - 1).toISOString();
    const recent = await callRoute<AuditPage>(GET, { path: `/api/audit?flag=${key}&from=${since}` });
    expect(recent.body.events.map((e) => e.id)).toEqual(all.filter((e) => new Date(e.at) >= new Date(since)).map((e) => e.id));
    const until = await callRoute<AuditPage>(GET, { path: `/api/audit?flag=${key}&to=${encodeURIComponent(newest.toISOString())}` });
    expect(until.body.events.map((e) => e.id)).toEqual(all.filter((e) => new Date(e.at) < newest).map((e) => e.id));
    // A bare date as `to` includes that whole day; one in the past excludes everything.
    const today = newest.toISOString().slice(0, 10);
    expect((await callRoute<AuditPage>(GET, { path: `/api/audit?flag=${key}&to=${today}` })).body.events).toHaveLength(all.length);
    expect((await callRoute<AuditPage>(GET, { path: `/api/audit?flag=${key}&to=2001-01-01` })).body.events).toEqual([]);
  });

  it("names a token's actor by its name, keeping the recorded actor in a title", async () => {
    const key = await givenFlag("actor_names");
    const operator = await givenToken("operator");
    await callRoute(PATCH, { method: "PATCH", path: `/api/flags/${key}`, params: { key }, body: { percentage: 5 }, as: operator.secret });
    await callRoute(PATCH, { method: "PATCH", path: `/api/flags/${key}`, params: { key }, body: { percentage: 6 } });
    const admin = await testAdminTokenInfo();

    const page = await callRoute<AuditPage>(GET, { path: `/api/audit?flag=${key}&action=flag.state_updated` });
    expect(page.body.events.map((e) => [e.actor, e.actorName])).toEqual([
      [`token:${admin.name}`, admin.name],
      [`token:${operator.name}`, operator.name],
    ]);
    expect(page.body.events[1].actorTitle).toBe(`API token ${operator.name}, operator, created by test-user (token:${operator.name})`);
  });

  it.each([
    ["action", "action=killed", "must be an action such as flag.killed"],
    ["from", "from=yesterday", "must be a date or date-time such as 2026-03-01 or 2026-03-01T09:30"],
    ["to", "to=2026-02-30T25:00", "must be a date or date-time such as 2026-03-02 or 2026-03-01T17:00"],
    ["to", "from=2026-03-02&to=2026-03-01", "must be later than from"],
    ["actor", "actor=", "must not be empty"],
  ])("answers 400 naming %s for a bad filter (%s)", async (field, search, message) => {
    const response = await callRoute<AuditPage>(GET, { path: `/api/audit?${search}` });
    expect(response.status).toBe(400);
    expect(response.body.error?.details).toContainEqual({ path: field, message });
  });
});
