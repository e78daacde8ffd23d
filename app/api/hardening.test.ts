import { randomUUID } from "node:crypto";
import { newLatencySketch } from "@rampart/sdk";
import { and, count, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { GET as listAudit } from "@/app/api/audit/route";
import { POST as archiveFlag } from "@/app/api/flags/[key]/archive/route";
import { POST as killFlag } from "@/app/api/flags/[key]/kill/route";
import { GET as readMetrics } from "@/app/api/flags/[key]/metrics/route";
import { PATCH as patchTicket } from "@/app/api/flags/[key]/removal-ticket/route";
import { POST as restoreFlag } from "@/app/api/flags/[key]/restore/route";
import { GET as readFlag, PATCH as patchFlag } from "@/app/api/flags/[key]/route";
import { GET as readTeardown } from "@/app/api/flags/[key]/teardown/route";
import { POST as confirmSchemaContracted } from "@/app/api/flags/[key]/teardown/schema-contracted/route";
import { POST as confirmZeroFallback } from "@/app/api/flags/[key]/teardown/zero-fallback/route";
import { GET as listFlags, POST as createFlag } from "@/app/api/flags/route";
import { POST as revokeSdkKey } from "@/app/api/sdk-keys/[id]/revoke/route";
import { POST as postMetrics } from "@/app/api/sdk/metrics/route";
import { GET as listStale } from "@/app/api/stale-flags/route";
import { POST as revokeToken } from "@/app/api/tokens/[id]/revoke/route";
import { PATCH as updateUser } from "@/app/api/users/[id]/route";
import { auditEvents, environments, metricBatches } from "@/testing/db";
import { getDb } from "@/testing/db";
import { encodeSketch } from "@/lib/metrics/latency-sketch";
import { readFlagMetrics } from "@/lib/metrics/read-flag-metrics";
import { callRoute, countAuditEvents, givenFlag, givenSdkKey, givenToken, readStateRow } from "@/testing/api";

type Handler = Parameters<typeof callRoute>[0];

const environmentRoutes: { name: string; handler: Handler; method: string; suffix: string; body?: unknown }[] = [
  { name: "GET /api/flags/{key}", handler: readFlag, method: "GET", suffix: "" },
  { name: "PATCH /api/flags/{key}", handler: patchFlag, method: "PATCH", suffix: "", body: { percentage: 50 } },
  { name: "POST kill", handler: killFlag, method: "POST", suffix: "/kill", body: {} },
  { name: "POST restore", handler: restoreFlag, method: "POST", suffix: "/restore", body: {} },
  { name: "GET metrics", handler: readMetrics, method: "GET", suffix: "/metrics" },
  { name: "GET teardown", handler: readTeardown, method: "GET", suffix: "/teardown" },
  { name: "POST zero-fallback", handler: confirmZeroFallback, method: "POST", suffix: "/teardown/zero-fallback", body: {} },
  { name: "POST schema-contracted", handler: confirmSchemaContracted, method: "POST", suffix: "/teardown/schema-contracted", body: {} },
];

async function auditTotal(): Promise<number> {
  const [row] = await (await getDb()).select({ n: count() }).from(auditEvents);
  return row.n;
}

describe("a staging-scoped token stays in staging", () => {
  for (const route of environmentRoutes) {
    it(`${route.name}: a repeated env is refused before anything is read or written`, async () => {
      const key = await givenFlag("scope_escape");
      const { secret } = await givenToken("operator", "staging");
      const before = { production: await readStateRow(key, "production"), audit: await auditTotal() };
      for (const query of ["env=staging&env=production", "env=production&env=staging"]) {
        const response = await callRoute(route.handler, {
          method: route.method, path: `/api/flags/${key}${route.suffix}?${query}`, params: { key }, body: route.body, as: secret,
        });
        expect(response.status).toBe(400);
        expect(response.body.error).toMatchObject({ code: "duplicate_parameter", details: [{ path: "env", message: "must be given at most once" }] });
      }
      const alone = await callRoute(route.handler, {
        method: route.method, path: `/api/flags/${key}${route.suffix}?env=production`, params: { key }, body: route.body, as: secret,
      });
      expect(alone.status).toBe(403);
      expect(await readStateRow(key, "production")).toEqual(before.production);
      expect(await auditTotal()).toBe(before.audit);
    });
  }

  it("list routes refuse a repeated env too: flags, stale flags, audit", async () => {
    const { secret } = await givenToken("viewer", "staging");
    for (const [handler, path] of [[listFlags, "/api/flags"], [listStale, "/api/stale-flags"], [listAudit, "/api/audit"]] as const) {
      const duplicated = await callRoute(handler, { path: `${path}?env=staging&env=production`, as: secret });
      expect(duplicated.status).toBe(400);
      expect(duplicated.body.error?.code).toBe("duplicate_parameter");
      expect((await callRoute(handler, { path: `${path}?env=staging`, as: secret })).status).toBe(200);
    }
  });

  it("any repeated or unknown query parameter is a 400 naming it", async () => {
    const key = await givenFlag("ambiguous");
    const repeated = await callRoute(readMetrics, { path: `/api/flags/${key}/metrics?window=1h&window=7d`, params: { key } });
    expect(repeated.status).toBe(400);
    expect(repeated.body.error?.details).toEqual([{ path: "window", message: "must be given at most once" }]);
    const proto = await callRoute(listStale, { path: "/api/stale-flags?__proto__=a&__proto__=b" });
    expect(proto.status).toBe(400);
    expect(proto.body.error?.details).toEqual([{ path: "__proto__", message: "must be given at most once" }]);
    const unknown = await callRoute(readFlag, { path: `/api/flags/${key}?envv=staging`, params: { key } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toMatchObject({ code: "unknown_field", details: [{ path: "envv", message: "is not a known field" }] });
  });

  it("archive takes every environment, so a scoped token may not, whatever env it names", async () => {
    const key = await givenFlag("scoped_archive");
    const { secret } = await givenToken("operator", "staging");
    const response = await callRoute(archiveFlag, { method: "POST", path: `/api/flags/${key}/archive?env=staging`, params: { key }, body: {}, as: secret });
    expect(response.status).toBe(403);
  });
});

describe("the audit source comes from how the caller authenticated", () => {
  it("a token claiming to be the UI is recorded as api", async () => {
    const key = await givenFlag("claimed_source");
    const { secret } = await givenToken("operator");
    const response = await callRoute(killFlag, {
      method: "POST", path: `/api/flags/${key}/kill`, params: { key }, body: {}, as: secret, headers: { "x-rampart-client": "ui" },
    });
    expect(response.status).toBe(200);
    const db = await getDb();
    const [event] = await db.select().from(auditEvents).where(eq(auditEvents.requestId, response.headers.get("x-request-id")!));
    expect(event.source).toBe("api");
  });
});

describe("free text is refused, not stored altered or failed on", () => {
  const cases: { name: string; body: Record<string, unknown>; path: string }[] = [
    { name: "NUL in owner", body: { owner: "a\u0000b" }, path: "owner" },
    { name: "NUL in name", body: { owner: "a", name: "x\u0000" }, path: "name" },
    { name: "NUL in description", body: { owner: "a", description: "\u0000" }, path: "description" },
    { name: "NUL in the ticket owner", body: { owner: "a", removalTicket: { owner: "b\u0000" } }, path: "removalTicket.owner" },
    { name: "a bell character", body: { owner: "a\u0007" }, path: "owner" },
    { name: "a lone high surrogate", body: { owner: "a\ud800" }, path: "owner" },
    { name: "a lone low surrogate", body: { owner: "\udc00b" }, path: "owner" },
    { name: "a prototype key", body: JSON.parse('{"owner":"a","__proto__":{"x":1}}'), path: "__proto__" },
  ];
  for (const { name, body, path } of cases) {
    it(`${name}: 400 naming ${path}, no flag created`, async () => {
      const key = `text_${randomUUID().slice(0, 8)}`;
      const response = await callRoute(createFlag, { method: "POST", path: "/api/flags", body: { key, ...body } });
      expect(response.status).toBe(400);
      expect(response.body.error?.details?.[0]?.path).toBe(path);
      expect(await readStateRow(key)).toBeUndefined();
    });
  }

  it("keeps tabs, newlines and paired surrogates (emoji) in free text", async () => {
    const key = `text_${randomUUID().slice(0, 8)}`;
    const response = await callRoute(createFlag, { method: "POST", path: "/api/flags", body: { key, owner: "team 🚀", description: "line 1\n\tline 2" } });
    expect(response.status).toBe(201);
  });

  it("a kill whose reason holds NUL is refused and the flag stays as it was", async () => {
    const key = await givenFlag("nul_reason");
    const before = await readStateRow(key);
    const response = await callRoute(killFlag, { method: "POST", path: `/api/flags/${key}/kill`, params: { key }, body: { reason: "db \u0000 down" } });
    expect(response.status).toBe(400);
    expect(response.body.error?.details).toEqual([{ path: "reason", message: "must not contain control characters such as NUL" }]);
    expect(await readStateRow(key)).toEqual(before);
    expect(await countAuditEvents(key)).toBe(1);
  });

  it("a pinned context named __proto__ is a 400 naming it, not a silent no-op", async () => {
    const key = await givenFlag("proto_pin");
    const response = await callRoute(patchFlag, {
      method: "PATCH", path: `/api/flags/${key}`, params: { key }, rawBody: '{"contexts": {"__proto__": true}}',
    });
    expect(response.status).toBe(400);
    expect(response.body.error?.details).toEqual([{ path: "contexts.__proto__", message: "is not allowed as a key" }]);
    expect((await readStateRow(key))?.version).toBe(1);
  });

  it("a user id holding NUL is a 400, not a database error", async () => {
    const response = await callRoute(updateUser, { method: "PATCH", path: "/api/users/a%00b", params: { id: "a\u0000b" }, body: { role: "viewer" } });
    expect(response.status).toBe(400);
    expect(response.body.error?.details?.[0]?.path).toBe("id");
  });
});

describe("numbers and dates stay in range", () => {
  for (const id of ["2147483648", "99999999999999999999", " 3", "3 ", "+3", "0", "-1", "3.0", "1e3", "0x10"]) {
    it(`credential id ${JSON.stringify(id)} is a 400 naming id`, async () => {
      for (const handler of [revokeToken, revokeSdkKey]) {
        const response = await callRoute(handler, { method: "POST", path: `/api/tokens/${encodeURIComponent(id)}/revoke`, params: { id } });
        expect(response.status).toBe(400);
        expect(response.body.error?.details?.[0]?.path).toBe("id");
      }
    });
  }

  it("the largest int32 id is a 404, not a 500", async () => {
    const response = await callRoute(revokeToken, { method: "POST", path: "/api/tokens/2147483647/revoke", params: { id: "2147483647" } });
    expect(response.status).toBe(404);
  });

  for (const dueDate of ["9999-12-31T23:59:59-12:00", "2027-02-31", "2999-01-01", "0000-01-01"]) {
    it(`due date ${dueDate} is a 400 naming dueDate`, async () => {
      const key = await givenFlag("due_bound");
      const response = await callRoute(patchTicket, { method: "PATCH", path: `/api/flags/${key}/removal-ticket`, params: { key }, body: { dueDate } });
      expect(response.status).toBe(400);
      expect(response.body.error?.details?.[0]?.path).toBe("dueDate");
      expect(await countAuditEvents(key)).toBe(1);
    });
  }
});

function batch(flag: string, counts: number[], batchId = randomUUID()) {
  const sketch = newLatencySketch();
  sketch.accept(12);
  const now = Date.now();
  return {
    batchId,
    instanceId: "hardening-test",
    windowStart: now - 10_000,
    windowEnd: now,
    dropped: 0,
    entries: counts.map((n, i) => ({ flag, path: i % 2 ? "legacy" : "new", reason: "rollout", count: n, errors: 0, sketch: encodeSketch(sketch) })),
  };
}

describe("metrics batches", () => {
  it("counts adding up past 2^31 are stored exactly, once", async () => {
    const key = await givenFlag("huge_counts");
    const sdkKey = await givenSdkKey();
    const body = batch(key, [1e9, 1e9, 1e9, 1e9, 1e9]);
    const first = await callRoute(postMetrics, { method: "POST", path: "/api/sdk/metrics", body, as: sdkKey });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ stored: true, samples: 5e9 });
    const retry = await callRoute(postMetrics, { method: "POST", path: "/api/sdk/metrics", body, as: sdkKey });
    expect(retry.status).toBe(200);
    expect(retry.body).toMatchObject({ stored: false });
    const metrics = await readFlagMetrics({ db: await getDb(), key, env: "production", window: "15m" });
    expect(metrics.totals.new.requests).toBe(3e9);
    expect(metrics.totals.legacy.requests).toBe(2e9);
  });

  it("a batch past the sample bound is a 400 naming entries, and nothing is stored", async () => {
    const key = await givenFlag("too_many_samples");
    const body = batch(key, Array.from({ length: 1001 }, () => 1e9));
    const response = await callRoute(postMetrics, { method: "POST", path: "/api/sdk/metrics", body, as: await givenSdkKey() });
    expect(response.status).toBe(400);
    expect(response.body.error?.details?.[0]?.path).toBe("entries");
    const db = await getDb();
    expect(await db.select().from(metricBatches).where(eq(metricBatches.batchId, body.batchId))).toEqual([]);
  });

  it("a sketch with another accuracy, which would not merge, is a 400 naming it, not a failed write", async () => {
    const key = await givenFlag("foreign_sketch");
    const { LogCollapsingLowestDenseDDSketch } = await import("@datadog/sketches-js");
    const foreign = new LogCollapsingLowestDenseDDSketch({ relativeAccuracy: 0.05, binLimit: 2048 });
    foreign.accept(10);
    const { encodeSketch: encodeBytes } = await import("@rampart/sdk");
    const body = batch(key, [1]);
    body.entries[0].sketch = Buffer.from(encodeBytes(foreign)).toString("base64");
    const response = await callRoute(postMetrics, { method: "POST", path: "/api/sdk/metrics", body, as: await givenSdkKey() });
    expect(response.status).toBe(400);
    expect(response.body.error?.details?.[0]?.path).toBe("entries.0.sketch");
  });

  it("batch ids are de-duplicated per environment: a production batch reusing a staging id is stored", async () => {
    const key = await givenFlag("batch_per_env");
    const batchId = randomUUID();
    const staging = await callRoute(postMetrics, { method: "POST", path: "/api/sdk/metrics", body: batch(key, [7], batchId), as: await givenSdkKey("staging") });
    const production = await callRoute(postMetrics, { method: "POST", path: "/api/sdk/metrics", body: batch(key, [9], batchId), as: await givenSdkKey("production") });
    expect([staging.status, production.status]).toEqual([201, 201]);
    const db = await getDb();
    const rows = await db
      .select({ env: environments.key, samples: metricBatches.samples })
      .from(metricBatches)
      .innerJoin(environments, eq(environments.id, metricBatches.environmentId))
      .where(and(eq(metricBatches.batchId, batchId)));
    expect(rows.sort((a, b) => a.env.localeCompare(b.env))).toEqual([
      { env: "production", samples: 9 },
      { env: "staging", samples: 7 },
    ]);
  });
});
