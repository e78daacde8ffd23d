import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as appDatabasesRoute from "@/app/api/app-databases/route";
import { createEnvironment } from "@/lib/environments/create-environment";
import { callRoute, givenFlag, testContext } from "@/testing/api";
import { givenScratchAppDb, type ScratchAppDb } from "@/testing/scratch-app-db";
import { uniqueKey } from "@/testing/unique-key";
import * as route from "./route";

const savedKey = process.env.RAMPART_SECRET_KEY;
let app: ScratchAppDb;
let env: string;

beforeAll(async () => {
  process.env.RAMPART_SECRET_KEY = "database evidence test key 0123456789abcdef";
  app = await givenScratchAppDb("postgresql");
  // Its own environment: the application-database tests add and remove production's and staging's.
  env = uniqueKey("evidence").replace(/_/g, "-").slice(0, 30);
  await createEnvironment({ ctx: await testContext(), input: { key: env, name: env } });
});
afterAll(async () => {
  await app?.drop();
  if (savedKey === undefined) delete process.env.RAMPART_SECRET_KEY;
  else process.env.RAMPART_SECRET_KEY = savedKey;
});

type Evidence = { appDatabase: { name: string } | null; columns: { status: string; verdict?: string; detail?: string; old?: { present: boolean } } };

async function evidenceOf(key: string, environment = env) {
  return callRoute<Evidence>(route.GET, { path: `/api/flags/${key}/database?env=${environment}`, params: { key } });
}

describe("a flag's database evidence", () => {
  it("is not applicable without an application database, or without a contraction on the ticket", async () => {
    const key = await givenFlag("evidence_none", { removalTicket: { contraction: { table: "orders", oldColumn: "status", newColumn: "order_status" } } });
    const response = await evidenceOf(key);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ appDatabase: null, columns: { status: "not_applicable", detail: `No application database is connected for ${env}.` } });
  });

  it("reads the columns from the real application database, read-only, and sees the drop", async () => {
    const added = await callRoute(appDatabasesRoute.POST, { method: "POST", path: `/api/app-databases?env=${env}`, body: { name: "orders", kind: "postgresql", dsn: app.dsn } });
    expect(added.status).toBe(201);
    const key = await givenFlag("evidence_orders", { removalTicket: { contraction: { table: "orders", oldColumn: "legacy_total", newColumn: "new_total" } } });
    const before = await evidenceOf(key);
    expect(before.body.columns).toMatchObject({ status: "checked", verdict: "expanded", old: { present: true } });

    await app.exec("alter table orders drop column legacy_total");
    const after = await evidenceOf(key);
    expect(after.body.columns).toMatchObject({ status: "checked", verdict: "contracted", old: { present: false } });

    const bare = await givenFlag("evidence_bare");
    expect((await evidenceOf(bare)).body.columns).toMatchObject({ status: "not_applicable", detail: "The removal ticket names no table and old column to contract." });
  });
});
