import { randomUUID } from "node:crypto";
import { newLatencySketch } from "@rampart/sdk";
import type { MetricsBatch, MetricsEntry } from "@rampart/sdk";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { GET as readMetrics } from "@/app/api/flags/[key]/metrics/route";
import { POST as postMetrics } from "@/app/api/sdk/metrics/route";
import { flags, metricBatches, pathMetrics } from "@/testing/db";
import { getDb } from "@/testing/db";
import { updateFlagState } from "@/lib/flags/update-flag-state";
import { callRoute, givenFlag, givenSdkKey, readStateRow, testContext } from "@/testing/api";
import { encodeSketch } from "@/lib/metrics/latency-sketch";
import { readMetricsSummary } from "@/lib/metrics/read-metrics-summary";
import { applyMetricsRetention, MINUTE_RETENTION_MS } from "@/lib/metrics/retention";
import type { readFlagMetrics } from "@/lib/metrics/read-flag-metrics";

type FlagMetrics = Awaited<ReturnType<typeof readFlagMetrics>>;

/** Latencies in ms, skewed like real ones: most fast, a long tail. */
function latencies(n: number, scale: number, seed: number): number[] {
  let x = seed;
  return Array.from({ length: n }, () => {
    x = (x * 1_103_515_245 + 12_345) % 2 ** 31;
    return scale * Math.exp(3 * (x / 2 ** 31) ** 2);
  });
}

function entry(flag: string, path: "new" | "legacy", samples: number[], extra: Partial<MetricsEntry> = {}): MetricsEntry {
  const sketch = newLatencySketch();
  for (const value of samples) sketch.accept(value);
  return { flag, path, reason: "rollout", count: samples.length, errors: 0, sketch: encodeSketch(sketch), ...extra };
}

function batch(entries: MetricsEntry[], overrides: Partial<MetricsBatch> = {}): MetricsBatch {
  const now = Date.now();
  return { batchId: randomUUID(), instanceId: "orders-1", windowStart: now - 10_000, windowEnd: now, entries, dropped: 0, ...overrides };
}

async function post(sdkKey: string, body: unknown, rawBody?: string) {
  return callRoute<{ stored: boolean; samples: number; ignoredEntries: number }>(postMetrics, { method: "POST", path: "/api/sdk/metrics", body, rawBody, as: sdkKey });
}

async function metrics(key: string, window = "15m") {
  return callRoute<FlagMetrics>(readMetrics, { path: `/api/flags/${key}/metrics?env=production&window=${window}`, params: { key } });
}

function exactQuantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)];
}

async function storedRows(key: string) {
  const db = await getDb();
  return db.select({ row: pathMetrics }).from(pathMetrics).innerJoin(flags, eq(flags.id, pathMetrics.flagId)).where(eq(flags.key, key));
}

describe("POST /api/sdk/metrics and GET /api/flags/{key}/metrics", () => {
  it("merges batches from two instances; p95/p99 match the raw samples within the sketch's 1%", async () => {
    const key = await givenFlag("schema_v2");
    const sdkKey = await givenSdkKey();
    const newA = latencies(4_000, 12, 1);
    const newB = latencies(3_000, 15, 2);
    const legacy = latencies(5_000, 10, 3);

    const first = await post(sdkKey, batch([entry(key, "new", newA, { errors: 40 }), entry(key, "legacy", legacy)]));
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ stored: true, samples: 9_000 });
    expect((await post(sdkKey, batch([entry(key, "new", newB)], { instanceId: "orders-2" }))).status).toBe(201);

    const { body, status } = await metrics(key);
    expect(status).toBe(200);
    expect(body.totals.new).toMatchObject({ requests: 7_000, errors: 40 });
    expect(body.totals.new.errorRate).toBeCloseTo(40 / 7_000, 10);
    expect(body.totals.legacy).toMatchObject({ requests: 5_000, errors: 0, errorRate: 0 });
    expect(body.newShare).toBeCloseTo(7_000 / 12_000, 10);
    const allNew = [...newA, ...newB];
    for (const [q, field] of [[0.95, "p95"], [0.99, "p99"]] as const) {
      expect(Math.abs(body.totals.new[field]! - exactQuantile(allNew, q)) / exactQuantile(allNew, q)).toBeLessThanOrEqual(0.0101);
      expect(Math.abs(body.totals.legacy[field]! - exactQuantile(legacy, q)) / exactQuantile(legacy, q)).toBeLessThanOrEqual(0.0101);
    }
    expect(body.series.new).toHaveLength(15);
    expect(body.series.new.reduce((sum, point) => sum + point.requests, 0)).toBe(7_000);
  });

  it("does not count a retried batch twice", async () => {
    const key = await givenFlag("retried");
    const sdkKey = await givenSdkKey();
    const once = batch([entry(key, "new", latencies(100, 5, 4))]);
    expect((await post(sdkKey, once)).body.stored).toBe(true);
    const again = await post(sdkKey, once);
    expect(again.status).toBe(200);
    expect(again.body.stored).toBe(false);
    expect((await metrics(key)).body.totals.new.requests).toBe(100);
  });

  it("counts pinned and unkeyed evaluations and records when the flag was last evaluated", async () => {
    const key = await givenFlag("reasons");
    const sdkKey = await givenSdkKey();
    const windowEnd = Date.now() - 1_000;
    await post(
      sdkKey,
      batch(
        [entry(key, "legacy", latencies(30, 5, 5), { reason: "unkeyed" }), entry(key, "legacy", latencies(20, 5, 6), { reason: "pinned" })],
        { windowEnd, windowStart: windowEnd - 10_000 },
      ),
    );
    const { body } = await metrics(key);
    expect(body.evaluations).toMatchObject({ unkeyed: 30, pinned: 20, rollout: 0 });
    expect(body.newShare).toBe(0);

    // The SDK key's environment: on a shared PostgreSQL the flag also has states in environments other files made.
    expect((await readStateRow(key))?.lastEvaluatedAt?.getTime()).toBe(windowEnd);
  });

  it("marks flags listed in `evaluated` last evaluated at windowEnd, even with no entries", async () => {
    const onlyEvaluated = await givenFlag("evaluated_only");
    const gated = await givenFlag("evaluated_gated");
    const untouched = await givenFlag("evaluated_untouched");
    const sdkKey = await givenSdkKey();
    const windowEnd = Date.now() - 2_000;
    const response = await post(
      sdkKey,
      batch([entry(gated, "new", [1, 2])], { windowStart: windowEnd - 10_000, windowEnd, evaluated: [onlyEvaluated, gated, "no_such_flag_here"] }),
    );
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ stored: true, samples: 2, ignoredEntries: 0 });
    expect((await readStateRow(onlyEvaluated))?.lastEvaluatedAt?.getTime()).toBe(windowEnd);
    expect((await readStateRow(gated))?.lastEvaluatedAt?.getTime()).toBe(windowEnd);
    expect((await readStateRow(untouched))?.lastEvaluatedAt ?? null).toBeNull();
    // Evaluated is not a sample: no metric rows for a flag only evaluated.
    expect(await storedRows(onlyEvaluated)).toEqual([]);

    // A batch with nothing but `evaluated` is stored too, and never moves the time backwards.
    const only = await post(sdkKey, batch([], { windowStart: windowEnd - 20_000, windowEnd: windowEnd - 10_000, evaluated: [onlyEvaluated] }));
    expect(only.status).toBe(201);
    expect(only.body).toMatchObject({ stored: true, samples: 0, ignoredEntries: 0 });
    expect((await readStateRow(onlyEvaluated))?.lastEvaluatedAt?.getTime()).toBe(windowEnd);
    const later = windowEnd + 1_000;
    expect((await post(sdkKey, batch([], { windowStart: windowEnd, windowEnd: later, evaluated: [onlyEvaluated] }))).status).toBe(201);
    expect((await readStateRow(onlyEvaluated))?.lastEvaluatedAt?.getTime()).toBe(later);
  });

  it("ignores a retried batch id's `evaluated`; an archived flag still evaluated is recorded, its samples are not", async () => {
    const first = await givenFlag("evaluated_retry_a");
    const second = await givenFlag("evaluated_retry_b");
    const archived = await givenFlag("evaluated_archived");
    const db = await getDb();
    await db.update(flags).set({ archivedAt: new Date() }).where(eq(flags.key, archived));
    const sdkKey = await givenSdkKey();
    const once = batch([entry(archived, "new", [3, 4])], { evaluated: [first, archived] });
    const stored = await post(sdkKey, once);
    expect(stored.status).toBe(201);
    expect(stored.body.ignoredEntries).toBe(1);
    expect((await readStateRow(first))?.lastEvaluatedAt?.getTime()).toBe(once.windowEnd);
    expect((await readStateRow(archived))?.lastEvaluatedAt?.getTime()).toBe(once.windowEnd);
    expect(await storedRows(archived)).toEqual([]);

    const retried = await post(sdkKey, { ...once, evaluated: [first, second] });
    expect(retried.status).toBe(200);
    expect(retried.body.stored).toBe(false);
    expect((await readStateRow(second))?.lastEvaluatedAt ?? null).toBeNull();
  });

  it("counts targeted requests apart: a `targeted` summary, left out of the ramp's series, totals and share", async () => {
    const key = await givenFlag("targeted_apart");
    const sdkKey = await givenSdkKey();
    await updateFlagState({
      ctx: await testContext(),
      input: { key, env: "production", patch: { targets: [{ attribute: "tenant_id", value: true, values: ["t-42", "t-7"] }] } },
    });
    expect((await metrics(key)).body.targeted).toEqual({ requests: 0, errors: 0, values: 2 });

    // "targeted" by name: the SDK's reason list may not have it in this build.
    const targeted = { ...entry(key, "new", latencies(12, 8, 7), { errors: 1 }), reason: "targeted" };
    expect((await post(sdkKey, batch([entry(key, "new", latencies(100, 5, 8)), entry(key, "legacy", latencies(50, 5, 9))]))).status).toBe(201);
    const withTargeted = batch([entry(key, "legacy", latencies(3, 5, 10), { reason: "pinned" })]);
    expect((await post(sdkKey, { ...withTargeted, entries: [...withTargeted.entries, targeted] })).body).toMatchObject({ stored: true, samples: 15 });

    const { body } = await metrics(key);
    expect(body.targeted).toEqual({ requests: 12, errors: 1, values: 2 });
    expect(body.totals.new).toMatchObject({ requests: 100, errors: 0 });
    expect(body.totals.legacy).toMatchObject({ requests: 53 });
    expect(body.series.new.reduce((sum, point) => sum + point.requests, 0)).toBe(100);
    expect(body.newShare).toBeCloseTo(100 / 153, 10);
    expect(body.evaluations).toMatchObject({ rollout: 150, pinned: 3 });
    expect(body.evaluations.targeted ?? 0).toBe(0);
    const cohorts = (await storedRows(key)).map(({ row }) => row.cohort);
    expect(new Set(cohorts)).toEqual(new Set(["ramp", "targeted"]));

    // A flag without targets: values is null.
    const plain = await givenFlag("targeted_none");
    expect((await metrics(plain)).body.targeted).toEqual({ requests: 0, errors: 0, values: null });
  });

  it("marks percentage changes in the window", async () => {
    const key = await givenFlag("marked");
    await updateFlagState({ ctx: await testContext(), input: { key, env: "production", patch: { percentage: 25 } } });
    const { body } = await metrics(key, "1h");
    expect(body.percentageChanges).toMatchObject([{ action: "flag.state_updated", from: 0, to: 25 }]);
    expect(body.series.legacy).toHaveLength(60);
  });

  it("ignores entries for unknown flags but stores the rest", async () => {
    const key = await givenFlag("known");
    const response = await post(await givenSdkKey(), batch([entry(key, "new", [1, 2]), entry("no_such_flag_here", "new", [1])]));
    expect(response.body).toMatchObject({ stored: true, ignoredEntries: 1 });
    expect((await metrics(key)).body.totals.new.requests).toBe(2);
  });

  const malformed: { name: string; field: string; make: (key: string) => unknown; raw?: (key: string) => string; status?: number }[] = [
    { name: "a sketch that is not a DDSketch", field: "entries.0.sketch", make: (key) => batch([{ ...entry(key, "new", [1]), sketch: Buffer.from("nonsense!").toString("base64") }]) },
    { name: "errors above count", field: "entries.0.errors", make: (key) => batch([entry(key, "new", [1], { errors: 5 })]) },
    { name: "an unknown path", field: "entries.0.path", make: (key) => batch([{ ...entry(key, "new", [1]), path: "sideways" } as unknown as MetricsEntry]) },
    { name: "an unknown field", field: "extra", make: (key) => ({ ...batch([entry(key, "new", [1])]), extra: 1 }) },
    { name: "a window from last week", field: "windowStart", make: (key) => batch([entry(key, "new", [1])], { windowStart: Date.now() - 7 * 86_400_000, windowEnd: Date.now() - 7 * 86_400_000 + 10_000 }) },
    { name: "a bad flag key in evaluated", field: "evaluated.1", make: (key) => batch([entry(key, "new", [1])], { evaluated: [key, "Not A Flag Key"] }) },
    { name: "a flag key in evaluated that is not a string", field: "evaluated.0", make: (key) => ({ ...batch([]), evaluated: [42, key] }) },
    { name: "evaluated that is not a list", field: "evaluated", make: (key) => ({ ...batch([]), evaluated: key }) },
    { name: "more than 5,000 evaluated flags", field: "evaluated", make: (key) => batch([], { evaluated: [key, ...Array.from({ length: 5_000 }, (_, i) => `flag_${i}`)] }) },
    { name: "malformed JSON", field: "body", make: () => null, raw: () => '{"batchId": ' },
    { name: "a body over 1 MiB", field: "body", make: () => null, raw: (key) => JSON.stringify(batch([{ ...entry(key, "new", [1]), flag: key }], { instanceId: "x".repeat(1_100_000) })), status: 413 },
  ];
  for (const bad of malformed) {
    it(`refuses ${bad.name} naming ${bad.field}, writing nothing`, async () => {
      const key = await givenFlag("malformed");
      const body = bad.make(key);
      const response = await post(await givenSdkKey(), body ?? undefined, bad.raw?.(key));
      expect(response.status).toBe(bad.status ?? 400);
      expect(response.body.error?.details?.[0]?.path).toBe(bad.field);
      expect(await storedRows(key)).toEqual([]);
      expect((await readStateRow(key))?.lastEvaluatedAt ?? null).toBeNull();
      if (body && typeof body === "object" && "batchId" in body) {
        const db = await getDb();
        expect(await db.select().from(metricBatches).where(eq(metricBatches.batchId, String(body.batchId)))).toEqual([]);
      }
    });
  }

  it("refuses an API token: only SDK keys post metrics", async () => {
    const key = await givenFlag("token_post");
    const response = await callRoute(postMetrics, { method: "POST", path: "/api/sdk/metrics", body: batch([entry(key, "new", [1])]) });
    expect(response.status).toBe(403);
  });

  it("retention drops minute rows older than the cutoff and keeps hour rows", async () => {
    const key = await givenFlag("retention");
    const old = Date.now() - 3_600_000 * 2;
    await post(await givenSdkKey(), batch([entry(key, "new", [1, 2, 3])], { windowStart: old, windowEnd: old + 10_000 }));
    expect((await storedRows(key)).map(({ row }) => row.resolution).sort()).toEqual(["hour", "minute"]);
    // Retention keeps a week of minute rows: seen from 7 days later, this hour's row is due.
    expect(await applyMetricsRetention(await getDb(), new Date(old + MINUTE_RETENTION_MS + 60_000))).not.toBeNull();
    const left = await storedRows(key);
    expect(left.map(({ row }) => row.resolution)).toEqual(["hour"]);
    expect(left[0].row.requests).toBe(3);
  });
});

describe("readMetricsSummary", () => {
  it("gives the flags list each flag's last-hour new-path share, error-rate delta and sparkline", async () => {
    const key = await givenFlag("summary");
    await post(await givenSdkKey(), batch([entry(key, "new", latencies(300, 5, 7), { errors: 6 }), entry(key, "legacy", latencies(100, 5, 8), { errors: 1 })]));
    const db = await getDb();
    const { requireEnvironment } = await import("@/lib/environments/environment-store");
    const summary = (await readMetricsSummary(db, await requireEnvironment(db, "production")))[key];
    expect(summary.requests).toBe(400);
    expect(summary.newShare).toBeCloseTo(0.75, 10);
    expect(summary.errorRateDelta).toBeCloseTo(6 / 300 - 1 / 100, 10);
    expect(summary.newShareSparkline).toHaveLength(12);
    expect(summary.newShareSparkline.filter((value) => value !== null)).toEqual([0.75]);
  });
});
