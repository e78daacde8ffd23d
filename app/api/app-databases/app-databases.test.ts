import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appDatabases, auditEvents, environments, getDb } from "@/testing/db";
import { createEnvironment } from "@/lib/environments/create-environment";
import { callRoute, givenToken, testContext } from "@/testing/api";
import { uniqueKey } from "@/testing/unique-key";
import * as listRoute from "./route";
import * as oneRoute from "./[id]/route";
import * as testRoute from "./[id]/test/route";

const PASSWORD = "Orders-monitor-pw-41";
const POSTGRES_DSN = `postgres://postgres:${PASSWORD}@127.0.0.1:5432/postgres`;
const saved = process.env.RAMPART_SECRET_KEY;

beforeAll(() => {
  process.env.RAMPART_SECRET_KEY = "a test key that is long enough to use 0123456789";
});
afterAll(() => {
  if (saved === undefined) delete process.env.RAMPART_SECRET_KEY;
  else process.env.RAMPART_SECRET_KEY = saved;
});

type View = { id: number; environment: string; name: string; kind: string; health: string; healthDetail?: string | null; serverVersion?: string | null };

async function add(env: string, body: unknown, as?: string) {
  return callRoute<View>(listRoute.POST, { method: "POST", path: `/api/app-databases?env=${env}`, body, as });
}

// Environments of this file's own: an application database in production would change what
// other test files' teardowns verify when they share one PostgreSQL database.
const ENVIRONMENTS = { main: uniqueKey("appdb").replace(/_/g, "-"), second: uniqueKey("appdb").replace(/_/g, "-") };

beforeAll(async () => {
  for (const key of Object.values(ENVIRONMENTS)) await createEnvironment({ ctx: await testContext(), input: { key, name: key } });
});
// Left behind, a connection would make later files' stage-4 confirmations in these environments verify against it.
afterAll(async () => {
  for (const which of Object.keys(ENVIRONMENTS) as (keyof typeof ENVIRONMENTS)[]) await givenEnvironment(which);
});

/** One of this file's environments, with no application database yet. */
async function givenEnvironment(which: keyof typeof ENVIRONMENTS = "main"): Promise<string> {
  const db = await getDb();
  const key = ENVIRONMENTS[which];
  const [environment] = await db.select().from(environments).where(eq(environments.key, key));
  await db.delete(appDatabases).where(eq(appDatabases.environmentId, environment!.id));
  return key;
}

describe("application databases", () => {
  it("an admin adds one; the DSN is stored encrypted and never comes back, not in the audit either", async () => {
    const env = await givenEnvironment();
    const response = await add(env, { name: "orders primary", kind: "postgresql", dsn: POSTGRES_DSN });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ environment: env, name: "orders primary", kind: "postgresql", health: "unknown" });
    expect(JSON.stringify(response.body)).not.toContain(PASSWORD);

    const db = await getDb();
    const [row] = await db.select().from(appDatabases).where(eq(appDatabases.id, response.body.id));
    expect(row!.dsnCiphertext).toMatch(/^v1:/);
    expect(row!.dsnCiphertext).not.toContain(PASSWORD);
    const events = await db.select().from(auditEvents).where(eq(auditEvents.action, "app_database.added"));
    const event = events.find((e) => JSON.stringify(e.after).includes("orders primary"))!;
    expect(event.after).toEqual({ name: "orders primary", kind: "postgresql" });
    expect(JSON.stringify(events)).not.toContain(PASSWORD);

    const listed = await callRoute<{ appDatabases: View[] }>(listRoute.GET, { path: "/api/app-databases" });
    expect(JSON.stringify(listed.body)).not.toContain(PASSWORD);
  });

  it("tests it read-only against the real server and records its health", async () => {
    const env = await givenEnvironment();
    const { id } = (await add(env, { name: "orders", kind: "postgresql", dsn: POSTGRES_DSN })).body;
    const tested = await callRoute<View>(testRoute.POST, { method: "POST", path: `/api/app-databases/${id}/test`, params: { id: String(id) } });
    expect(tested.status).toBe(200);
    expect(tested.body).toMatchObject({ health: "ok", healthDetail: null });
    expect(tested.body.serverVersion).toMatch(/^PostgreSQL \d+/);

    const maria = await givenEnvironment("second");
    const mariaId = (await add(maria, { name: "orders mysql", kind: "mysql", dsn: "mysql://root@127.0.0.1:3306/mysql" })).body.id;
    const mariaTested = await callRoute<View>(testRoute.POST, { method: "POST", path: `/api/app-databases/${mariaId}/test`, params: { id: String(mariaId) } });
    expect(mariaTested.body).toMatchObject({ health: "ok" });
    expect(mariaTested.body.serverVersion).toMatch(/MariaDB/);
  });

  it("one that does not answer reads unavailable, says why without its password, and the call still answers", async () => {
    const env = await givenEnvironment();
    const { id } = (await add(env, { name: "gone", kind: "postgresql", dsn: `postgres://monitor:${PASSWORD}@127.0.0.1:1/orders` })).body;
    const tested = await callRoute<View>(testRoute.POST, { method: "POST", path: `/api/app-databases/${id}/test`, params: { id: String(id) } });
    expect(tested.status).toBe(200);
    expect(tested.body.health).toBe("unavailable");
    expect(tested.body.healthDetail).toMatch(/ECONNREFUSED|connect/);
    expect(JSON.stringify(tested.body)).not.toContain(PASSWORD);
  });

  it("a DSN stored under another key reads unavailable and says so, instead of failing the call", async () => {
    const env = await givenEnvironment();
    const { id } = (await add(env, { name: "orders", kind: "postgresql", dsn: POSTGRES_DSN })).body;
    process.env.RAMPART_SECRET_KEY = "another key, as after a careless redeploy 0123456789";
    try {
      const tested = await callRoute<View>(testRoute.POST, { method: "POST", path: `/api/app-databases/${id}/test`, params: { id: String(id) } });
      expect(tested.status).toBe(200);
      expect(tested.body).toMatchObject({ health: "unavailable" });
      expect(tested.body.healthDetail).toMatch(/^The stored DSN cannot be decrypted with this instance's key/);
    } finally {
      process.env.RAMPART_SECRET_KEY = "a test key that is long enough to use 0123456789";
    }
  });

  it("viewers see only name, kind and health; only admins add, test or remove", async () => {
    const env = await givenEnvironment();
    const { id } = (await add(env, { name: "orders", kind: "postgresql", dsn: POSTGRES_DSN })).body;
    const viewer = await givenToken("viewer");
    const listed = await callRoute<{ appDatabases: Record<string, unknown>[] }>(listRoute.GET, { path: "/api/app-databases", as: viewer.secret });
    const mine = listed.body.appDatabases.find((each) => each.id === id)!;
    expect(Object.keys(mine).sort()).toEqual(["checkedAt", "environment", "health", "id", "kind", "name"]);

    const operator = await givenToken("operator");
    expect((await add(ENVIRONMENTS.second, { name: "x", kind: "postgresql", dsn: POSTGRES_DSN }, operator.secret)).status).toBe(403);
    expect((await callRoute(testRoute.POST, { method: "POST", path: `/api/app-databases/${id}/test`, params: { id: String(id) }, as: operator.secret })).status).toBe(403);
    expect((await callRoute(oneRoute.DELETE, { method: "DELETE", path: `/api/app-databases/${id}`, params: { id: String(id) }, as: operator.secret })).status).toBe(403);
    const scoped = await givenToken("admin", "staging");
    const refused = await add(env, { name: "x", kind: "postgresql", dsn: POSTGRES_DSN }, scoped.secret);
    expect(refused.status).toBe(403);
    expect(refused.body.error!.details[0]!.path).toBe("env");
  });

  it("refuses bad input naming the field, never echoing the DSN, and writes nothing", async () => {
    const env = await givenEnvironment();
    const cases: [unknown, string, RegExp][] = [
      [{ name: "a", kind: "postgresql", dsn: `mysql://root:${PASSWORD}@h/db` }, "dsn", /must start with postgres:\/\/ or postgresql:\/\//],
      [{ name: "a", kind: "mysql", dsn: `not a url ${PASSWORD}` }, "dsn", /must be a URL/],
      [{ name: "a", kind: "oracle", dsn: POSTGRES_DSN }, "kind", /postgresql or mysql/],
      [{ name: "", kind: "postgresql", dsn: POSTGRES_DSN }, "name", /letters/],
      [{ name: "a", kind: "postgresql", dsn: "x".repeat(2_001) }, "dsn", /at most 2000/],
      [{ name: "a\u0000b", kind: "postgresql", dsn: POSTGRES_DSN }, "name", /control characters|letters/],
      [{ name: "a", kind: "postgresql", dsn: POSTGRES_DSN, extra: 1 }, "extra", /./],
    ];
    for (const [body, field, message] of cases) {
      const response = await add(env, body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      const detail = response.body.error!.details.find((d) => d.path === field);
      expect(detail?.message, JSON.stringify(response.body)).toMatch(message);
      expect(JSON.stringify(response.body)).not.toContain(PASSWORD);
    }
    const db = await getDb();
    const [environment] = await db.select().from(environments).where(eq(environments.key, env));
    expect(await db.select().from(appDatabases).where(eq(appDatabases.environmentId, environment!.id))).toEqual([]);
  });

  it("one per environment, even when two admins add at once; removal is audited", async () => {
    const env = await givenEnvironment();
    const results = await Promise.all(Array.from({ length: 5 }, (_, i) => add(env, { name: `orders ${i}`, kind: "postgresql", dsn: POSTGRES_DSN })));
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409]);
    const id = results.find((r) => r.status === 201)!.body.id;
    const removed = await callRoute(oneRoute.DELETE, { method: "DELETE", path: `/api/app-databases/${id}`, params: { id: String(id) } });
    expect(removed.status).toBe(204);
    const again = await callRoute(oneRoute.DELETE, { method: "DELETE", path: `/api/app-databases/${id}`, params: { id: String(id) } });
    expect(again.status).toBe(404);
    const db = await getDb();
    const removals = await db.select().from(auditEvents).where(eq(auditEvents.action, "app_database.removed"));
    expect(removals.some((e) => JSON.stringify(e.before).includes(results.find((r) => r.status === 201)!.body.name))).toBe(true);
  });
});
