import { describe, expect, it } from "vitest";
import type { AuditEventView } from "@/lib/audit/audit-store";
import { callRoute, givenFlag } from "@/testing/api";
import { PATCH } from "../flags/[key]/route";
import { GET } from "./route";

type AuditPage = { events: AuditEventView[]; nextCursor: string | null };

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
});
