import { randomBytes, randomUUID } from "node:crypto";
import { newLatencySketch } from "@rampart/sdk";
import { describe, expect, it } from "vitest";
import { GET as readFleet } from "@/app/api/fleet/route";
import { POST as postMetrics } from "@/app/api/sdk/metrics/route";
import { metricBatches } from "@/testing/db";
import { getDb } from "@/testing/db";
import { createEnvironment } from "@/lib/environments/create-environment";
import { requireEnvironment } from "@/lib/environments/environment-store";
import { callRoute, givenFlag, givenSdkKey, givenToken, testContext } from "@/testing/api";
import type { FleetHealth } from "@/lib/metrics/fleet-health";
import { encodeSketch } from "@/lib/metrics/latency-sketch";

// Each test gets environments of its own, so the totals are exact even on a shared database.
async function givenEnvironment(): Promise<string> {
  const key = `fleet_${randomBytes(4).toString("hex")}`;
  await createEnvironment({ ctx: await testContext(), input: { key, name: key } });
  return key;
}

/** One SDK batch through the real route: `samples` requests on the new path and `dropped` reported. */
async function postBatch(sdkKey: string, flag: string, instanceId: string, samples: number, dropped: number) {
  const sketch = newLatencySketch();
  sketch.accept(5);
  const now = Date.now();
  const body = {
    batchId: randomUUID(),
    instanceId,
    windowStart: now - 10_000,
    windowEnd: now,
    dropped,
    entries: samples > 0 ? [{ flag, path: "new", reason: "rollout", count: samples, errors: 0, sketch: encodeSketch(sketch) }] : [],
  };
  const response = await callRoute(postMetrics, { method: "POST", path: "/api/sdk/metrics", body, as: sdkKey });
  expect(response.status).toBe(201);
}

async function fleet(query: string, as?: string | null) {
  return callRoute<FleetHealth>(readFleet, { path: `/api/fleet?${query}`, as });
}

describe("GET /api/fleet", () => {
  it("counts batches, samples and drops per instance of one environment, droppers first", async () => {
    const flag = await givenFlag("fleet_counts");
    const env = await givenEnvironment();
    const other = await givenEnvironment();
    const sdkKey = await givenSdkKey(env);
    await postBatch(sdkKey, flag, "orders-7f9c", 10, 0);
    await postBatch(sdkKey, flag, "orders-7f9c", 20, 5);
    await postBatch(sdkKey, flag, "billing-1", 7, 0);
    await postBatch(sdkKey, flag, "cron-2", 3, 1);
    // The same instance name in another environment, dropping a lot: none of it may show here.
    await postBatch(await givenSdkKey(other), flag, "orders-7f9c", 100, 900);

    const { status, body } = await fleet(`env=${env}&window=1h`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ environment: env, window: "1h", truncated: false });
    expect(body.totals).toEqual({ instances: 3, droppingInstances: 2, batches: 4, samples: 40, dropped: 6, droppedShare: 6 / 46 });
    expect(body.instances.map(({ firstSeen, lastSeen, ...counts }) => counts)).toEqual([
      { instanceId: "orders-7f9c", batches: 2, samples: 30, dropped: 5, droppedShare: 5 / 35 },
      { instanceId: "cron-2", batches: 1, samples: 3, dropped: 1, droppedShare: 1 / 4 },
      { instanceId: "billing-1", batches: 1, samples: 7, dropped: 0, droppedShare: 0 },
    ]);
    const [orders] = body.instances;
    expect(Date.parse(orders.firstSeen)).toBeLessThanOrEqual(Date.parse(orders.lastSeen));
    expect(Date.parse(body.asOf) - Date.parse(orders.lastSeen)).toBeLessThan(60_000);

    const elsewhere = await fleet(`env=${other}`);
    expect(elsewhere.body.totals).toEqual({ instances: 1, droppingInstances: 1, batches: 1, samples: 100, dropped: 900, droppedShare: 0.9 });
  });

  it("an environment without batches reports nobody and no share", async () => {
    const env = await givenEnvironment();
    const { status, body } = await fleet(`env=${env}`);
    expect(status).toBe(200);
    expect(body.totals).toEqual({ instances: 0, droppingInstances: 0, batches: 0, samples: 0, dropped: 0, droppedShare: null });
    expect(body.instances).toEqual([]);
  });

  it("the window leaves out batches received before it", async () => {
    const flag = await givenFlag("fleet_window");
    const env = await givenEnvironment();
    await postBatch(await givenSdkKey(env), flag, "fresh-1", 50, 0);
    const db = await getDb();
    const { id: environmentId } = await requireEnvironment(db, env);
    const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000);
    await db.insert(metricBatches).values([
      { batchId: randomUUID(), environmentId, instanceId: "gone-30m", samples: 8, dropped: 2, receivedAt: ago(30) },
      { batchId: randomUUID(), environmentId, instanceId: "gone-2h", samples: 40, dropped: 60, receivedAt: ago(120) },
      { batchId: randomUUID(), environmentId, instanceId: "gone-30h", samples: 1, dropped: 1, receivedAt: ago(30 * 60) },
    ]);

    const instancesIn = async (window: string) => {
      const { status, body } = await fleet(`env=${env}&window=${window}`);
      expect(status).toBe(200);
      return { ids: body.instances.map((instance) => instance.instanceId), totals: body.totals };
    };
    expect(await instancesIn("15m")).toEqual({
      ids: ["fresh-1"],
      totals: { instances: 1, droppingInstances: 0, batches: 1, samples: 50, dropped: 0, droppedShare: 0 },
    });
    expect(await instancesIn("1h")).toEqual({
      ids: ["gone-30m", "fresh-1"],
      totals: { instances: 2, droppingInstances: 1, batches: 2, samples: 58, dropped: 2, droppedShare: 2 / 60 },
    });
    expect(await instancesIn("24h")).toEqual({
      ids: ["gone-2h", "gone-30m", "fresh-1"],
      totals: { instances: 3, droppingInstances: 2, batches: 3, samples: 98, dropped: 62, droppedShare: 62 / 160 },
    });
  });

  it("limit lists the worst droppers and still counts every instance; 0 answers the totals only", async () => {
    const flag = await givenFlag("fleet_limit");
    const env = await givenEnvironment();
    const sdkKey = await givenSdkKey(env);
    await postBatch(sdkKey, flag, "a-quiet", 10, 0);
    await postBatch(sdkKey, flag, "b-worst", 10, 9);
    await postBatch(sdkKey, flag, "c-some", 10, 1);

    const two = await fleet(`env=${env}&limit=2`);
    expect(two.body.instances.map((instance) => instance.instanceId)).toEqual(["b-worst", "c-some"]);
    expect(two.body).toMatchObject({ truncated: true, totals: { instances: 3, droppingInstances: 2, dropped: 10 } });
    const none = await fleet(`env=${env}&limit=0`);
    expect(none.body).toMatchObject({ instances: [], truncated: true, totals: { instances: 3, droppingInstances: 2 } });
  });

  it("a staging-scoped viewer reads staging and is refused production", async () => {
    const { secret } = await givenToken("viewer", "staging");
    expect((await fleet("env=staging", secret)).status).toBe(200);
    for (const query of ["env=production", "", "window=1h"]) {
      const refused = await fleet(query, secret);
      expect(refused.status).toBe(403);
      expect(refused.body.error).toMatchObject({ code: "forbidden", details: [{ path: "env", message: "must be staging" }] });
    }
    expect((await fleet("env=staging&env=production", secret)).status).toBe(400);
  });

  it("any viewer may read it; an SDK key may not; bad input names the field", async () => {
    const { secret: viewer } = await givenToken("viewer");
    expect((await fleet("env=production", viewer)).status).toBe(200);
    expect((await fleet("env=production", await givenSdkKey())).status).toBe(403);
    expect((await fleet("env=production", null)).status).toBe(401);

    const cases: [string, number, string][] = [
      ["window=7d", 400, "window"],
      ["limit=501", 400, "limit"],
      ["limit=-1", 400, "limit"],
      ["limit=", 400, "limit"],
      ["instance=x", 400, "instance"],
      ["env=nowhere_at_all", 404, "env"],
    ];
    for (const [query, status, path] of cases) {
      const response = await fleet(query);
      expect(response.status, query).toBe(status);
      expect(response.body.error?.details?.[0]?.path, query).toBe(path);
    }
  });
});
