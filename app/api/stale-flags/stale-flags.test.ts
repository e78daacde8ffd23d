import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { environments, flagStates, flags } from "@/testing/db";
import { getDb } from "@/testing/db";
import type { StaleFlag } from "@/lib/lifecycle/stale-flags";
import { callRoute, givenFlag, testAdminToken } from "@/testing/api";
import { GET as staleRoute } from "./route";

describe("GET /api/stale-flags", () => {
  it("lists a flag left at 0% past the threshold, with a count, and exports CSV", async () => {
    const key = await givenFlag("stale_off");
    const fresh = await givenFlag("fresh_off");
    const db = await getDb();
    const [production] = await db.select().from(environments).where(eq(environments.key, "production"));
    const [flag] = await db.select().from(flags).where(eq(flags.key, key));
    await db
      .update(flagStates)
      .set({ updatedAt: new Date(Date.now() - 20 * 86_400_000), servedSince: new Date(Date.now() - 20 * 86_400_000), lastEvaluatedAt: new Date() })
      .where(and(eq(flagStates.flagId, flag.id), eq(flagStates.environmentId, production.id)));

    const json = await callRoute<{ count: number; flags: StaleFlag[] }>(staleRoute, { path: "/api/stale-flags?env=production&sort=owner" });
    expect(json.status).toBe(200);
    expect(json.body.count).toBe(json.body.flags.length);
    expect(json.body.flags.find((f) => f.key === key)).toMatchObject({ owner: "payments-team", ageDays: 20, reasons: [{ kind: "constant_value", served: "0%" }] });
    expect(json.body.flags.map((f) => f.key)).not.toContain(fresh);

    const request = new Request("http://localhost/api/stale-flags?env=production&format=csv", {
      headers: { authorization: `Bearer ${await testAdminToken()}` },
    });
    const csv = await staleRoute(request, { params: Promise.resolve({}) });
    expect(csv.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(csv.headers.get("content-disposition")).toContain("rampart-stale-flags-production.csv");
    expect(await csv.text()).toContain(`${key},production,payments-team,20,at 0% for 20 days (threshold 14)`);
  });

  it("reports a flag at 0% whose only changes for 40 days were target edits as constant", async () => {
    const key = await givenFlag("stale_targets_only");
    const db = await getDb();
    const [production] = await db.select().from(environments).where(eq(environments.key, "production"));
    const [flag] = await db.select().from(flags).where(eq(flags.key, key));
    const fortyDaysAgo = new Date(Date.now() - 40 * 86_400_000);
    await db
      .update(flagStates)
      .set({ updatedAt: fortyDaysAgo, servedSince: fortyDaysAgo, lastEvaluatedAt: new Date() })
      .where(and(eq(flagStates.flagId, flag.id), eq(flagStates.environmentId, production.id)));
    const { PATCH } = await import("@/app/api/flags/[key]/route");
    for (const values of [["t-42"], ["t-42", "t-7"], []]) {
      const edit = await callRoute(PATCH, { method: "PATCH", path: `/api/flags/${key}`, params: { key }, body: { targets: [{ attribute: "tenant_id", value: true, values }] } });
      expect(edit.status).toBe(200);
    }

    const json = await callRoute<{ flags: StaleFlag[] }>(staleRoute, { path: "/api/stale-flags?env=production" });
    expect(json.body.flags.find((f) => f.key === key)).toMatchObject({ ageDays: 40, reasons: [{ kind: "constant_value", served: "0%", days: 40 }] });
  });

  it("answers 400 naming a bad sort", async () => {
    const response = await callRoute(staleRoute, { path: "/api/stale-flags?sort=color" });
    expect(response.status).toBe(400);
    expect(response.body.error?.details[0].path).toBe("sort");
  });
});
