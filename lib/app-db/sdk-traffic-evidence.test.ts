import { createClient, type RampartClient } from "@rampart/sdk";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appDatabases, environments, getDb } from "@/testing/db";
import { addAppDatabase } from "@/lib/app-db/app-databases";
import { readDatabaseEvidence } from "@/lib/app-db/database-evidence";
import { sampleApplicationDatabases } from "@/lib/app-db/evidence-sampler";
import { createEnvironment } from "@/lib/environments/create-environment";
import { updateFlagState } from "@/lib/flags/update-flag-state";
import { startControlPlaneServer, type ControlPlaneServer } from "@/testing/control-plane-server";
import { startEmbeddedAppPostgres, type EmbeddedAppPostgres } from "@/testing/embedded-app-postgres";
import { givenFlag, givenSdkKey, testContext } from "@/testing/api";
import { givenScratchAppDb, type ScratchAppDb } from "@/testing/scratch-app-db";
import { uniqueKey } from "@/testing/unique-key";

// The seeds' migration end to end: a service gated with the real SDK reads and writes the real
// orders table, and Rampart's evidence follows the ramp from the application database alone.

const savedKey = process.env.RAMPART_SECRET_KEY;
let server: EmbeddedAppPostgres;
let app: ScratchAppDb;
let controlPlane: ControlPlaneServer;
let client: RampartClient;
let env: string;

beforeAll(async () => {
  process.env.RAMPART_SECRET_KEY = "sdk traffic evidence test key 0123456789abcdef";
  server = await startEmbeddedAppPostgres();
  app = await givenScratchAppDb("postgresql", { server: server.server });
  await app.exec("insert into orders (status, order_status) select s, s from unnest(array['paid', 'shipped', 'refunded']) s, generate_series(1, 2000); analyze orders");
  env = uniqueKey("sdkdb").replace(/_/g, "-").slice(0, 30);
  await createEnvironment({ ctx: await testContext(), input: { key: env, name: env } });
  await addAppDatabase({ ctx: await testContext(), env, input: { name: "orders", kind: "postgresql", dsn: app.dsn } });
  controlPlane = await startControlPlaneServer();
  client = createClient({ url: controlPlane.url, sdkKey: await givenSdkKey(env) });
}, 60_000);
afterAll(async () => {
  await client?.close();
  await controlPlane?.close();
  const db = await getDb();
  const [environment] = await db.select().from(environments).where(eq(environments.key, env));
  if (environment) await db.delete(appDatabases).where(eq(appDatabases.environmentId, environment.id));
  await app?.drop();
  await server?.stop();
  if (savedKey === undefined) delete process.env.RAMPART_SECRET_KEY;
  else process.env.RAMPART_SECRET_KEY = savedKey;
});

/** The seed's orders service: the new path reads order_status through its index and dual-writes; the legacy path uses status. */
async function serveOrders(flag: string, requests: number): Promise<{ new: number; legacy: number }> {
  const { Client } = await import("pg");
  const connection = new Client({ connectionString: app.dsn });
  await connection.connect();
  // A table this small would be read sequentially; the production-sized one goes through the index.
  await connection.query("set enable_seqscan = off");
  const served = { new: 0, legacy: 0 };
  try {
    for (let i = 0; i < requests; i++) {
      const id = 1 + (i % 6000);
      await client.gate(flag, { user_id: `user-${i}` }, {
        newPath: async () => {
          served.new += 1;
          await connection.query("select id from orders where order_status = $1 limit 1", ["shipped"]);
          await connection.query("update orders set status = $1, order_status = $1 where id = $2", ["paid", id]);
        },
        legacyPath: async () => {
          served.legacy += 1;
          await connection.query("select id, status from orders where id = $1", [id]);
          await connection.query("update orders set status = $1 where id = $2", ["paid", id]);
        },
      });
    }
  } finally {
    await connection.end();
  }
  return served;
}

describe("evidence from a service ramped with the real SDK", () => {
  it("sees idx_scan climb with the percentage, and old-column reads stop at 100%", async () => {
    const key = await givenFlag("sdk_orders", {
      removalTicket: { contraction: { table: "orders", oldColumn: "status", newColumn: "order_status", newIndex: "idx_orders_order_status" } },
    });
    expect(await client.ready({ timeoutMs: 5_000 })).toBe(true);
    const db = await getDb();
    const setPercentage = async (percentage: number) => {
      await updateFlagState({ ctx: await testContext(), input: { key, env, patch: { percentage } } });
      const deadline = Date.now() + 5_000;
      while (client.evaluate(key, { user_id: "probe" }).reason === "fallback" && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    };
    // Samples a minute apart, as the sampler takes them; the rates are per minute.
    const start = Date.now() - 5 * 60_000;
    const sampleAt = async (minute: number) => {
      await new Promise((resolve) => setTimeout(resolve, 700)); // the statistics collector's flush
      await sampleApplicationDatabases(db, new Date(start + minute * 60_000));
    };

    await sampleAt(0);
    expect(await serveOrders(key, 200)).toEqual({ new: 0, legacy: 200 });
    await sampleAt(1);
    await setPercentage(50);
    const half = await serveOrders(key, 200);
    expect(half.new).toBeGreaterThan(60);
    expect(half.legacy).toBeGreaterThan(60);
    await sampleAt(2);
    await setPercentage(100);
    expect(await serveOrders(key, 200)).toEqual({ new: 200, legacy: 0 });
    await sampleAt(3);

    const evidence = await readDatabaseEvidence(db, key, env);
    if (evidence.indexUsage.status !== "checked" || evidence.oldColumnUsage.status !== "checked") throw new Error(JSON.stringify(evidence));
    const scans = evidence.indexUsage.rates.map((rate) => rate.perMinute);
    expect(scans).toEqual([0, half.new, 200]);
    if (evidence.oldColumnUsage.statements.source === null) throw new Error("pg_stat_statements should be read");
    expect(evidence.oldColumnUsage.statements.minutes.map((m) => [m.reads, m.writes])).toEqual([
      [200, 200],
      [half.legacy, 200],
      [0, 200],
    ]);
  });
});
