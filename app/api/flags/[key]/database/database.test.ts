import { randomBytes } from "node:crypto";
import { and, eq } from "drizzle-orm";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appDatabases, environments, getDb, oldColumnStatementSamples } from "@/testing/db";
import * as appDatabasesRoute from "@/app/api/app-databases/route";
import { createEnvironment } from "@/lib/environments/create-environment";
import { callRoute, givenFlag, testContext } from "@/testing/api";
import { startEmbeddedAppPostgres, type EmbeddedAppPostgres } from "@/testing/embedded-app-postgres";
import { givenScratchAppDb, type ScratchAppDb } from "@/testing/scratch-app-db";
import { uniqueKey } from "@/testing/unique-key";
import * as contractedRoute from "@/app/api/flags/[key]/teardown/schema-contracted/route";
import { saveFlagArchived } from "@/lib/flags/flag-store";
import { auditEvents, flags } from "@/testing/db";
import { evidenceTick, sampleActivity, sampleApplicationDatabases } from "@/lib/app-db/evidence-sampler";
import * as flagRoute from "@/app/api/flags/[key]/route";
import * as zeroFallbackRoute from "@/app/api/flags/[key]/teardown/zero-fallback/route";
import { givenToken } from "@/testing/api";
import { givenTraffic } from "@/testing/traffic";
import * as teardownRoute from "@/app/api/flags/[key]/teardown/route";
import { verifyPendingContractions } from "@/lib/lifecycle/contraction-watch";
import * as scanRoute from "./divergence-scan/route";
import * as route from "./route";

const savedKey = process.env.RAMPART_SECRET_KEY;
// Rampart follows every ticket's (table, old column) in every connected database: tables of this
// run only, so a flag left in a reused database by an earlier run adds no samples here.
const RUN = randomBytes(3).toString("hex");
// A PostgreSQL with pg_stat_statements, so stage 2 can be proven; lib/app-db/checks covers servers without.
let server: EmbeddedAppPostgres;
let app: ScratchAppDb;
let env: string;

beforeAll(async () => {
  process.env.RAMPART_SECRET_KEY = "database evidence test key 0123456789abcdef";
  server = await startEmbeddedAppPostgres();
  app = await givenScratchAppDb("postgresql", { server: server.server });
  // Its own environment: the application-database tests add and remove production's and staging's.
  env = uniqueKey("evidence").replace(/_/g, "-").slice(0, 30);
  await createEnvironment({ ctx: await testContext(), input: { key: env, name: env } });
});
afterAll(async () => {
  // Left behind, the connection would make later files' stage-4 confirmations here verify against a dropped database.
  const db = await getDb();
  const [environment] = await db.select().from(environments).where(eq(environments.key, env));
  if (environment) await db.delete(appDatabases).where(eq(appDatabases.environmentId, environment.id));
  await app?.drop();
  await server?.stop();
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

describe("the new index's scans", () => {
  it("are sampled each minute and shown as a rate, with a stats reset shown as such", async () => {
    const key = await givenFlag("evidence_index", {
      removalTicket: { contraction: { table: "orders", oldColumn: "status", newColumn: "order_status", newIndex: "idx_orders_order_status" } },
    });
    const db = await getDb();
    // The rates are read over the last six hours, so the samples are dated just now.
    const base = Date.now() - 3 * 60_000;
    expect(await sampleApplicationDatabases(db, new Date(base))).toMatchObject({ unavailable: 0 });
    await app.exec("set enable_seqscan = off; " + Array.from({ length: 6 }, () => "select count(*) from orders where order_status = 'shipped'").join("; "));
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await sampleApplicationDatabases(db, new Date(base + 60_000));
    await app.exec("select pg_stat_reset()");
    await new Promise((resolve) => setTimeout(resolve, 500));
    await sampleApplicationDatabases(db, new Date(base + 120_000));

    const evidence = (await callRoute<{ indexUsage: { status: string; rates: { perMinute: number | null; reset: boolean }[]; index: string } }>(route.GET, {
      path: `/api/flags/${key}/database?env=${env}`,
      params: { key },
    })).body.indexUsage;
    expect(evidence).toMatchObject({ status: "checked", index: "idx_orders_order_status" });
    // orders.status is NOT NULL in the application database: the steps start by dropping the constraint.
    const steps = (await callRoute<{ contractionSql: { sql: string | null }[] }>(route.GET, { path: `/api/flags/${key}/database?env=${env}`, params: { key } })).body.contractionSql;
    expect(steps.map((step) => step.sql)).toEqual(["ALTER TABLE orders ALTER COLUMN status DROP NOT NULL;", null, null, "ALTER TABLE orders DROP COLUMN IF EXISTS status;"]);
    expect(evidence.rates.map((rate) => [rate.perMinute, rate.reset])).toEqual([
      [6, false],
      [null, true],
    ]);
  });
});

describe("running queries and lock waits", () => {
  it("are sampled every 5 s into minutes: the seed's pg_stat_activity check, and sessions waiting on the table", async () => {
    await app.exec(`create table shipments_${RUN} (id bigint primary key, carrier text, carrier_code text); insert into shipments_${RUN} values (1, 'ups', 'UPS')`);
    const key = await givenFlag("evidence_activity", { removalTicket: { contraction: { table: `shipments_${RUN}`, oldColumn: "carrier", newColumn: "carrier_code" } } });
    const db = await getDb();
    const { Client } = await import("pg");
    const [holder, waiter] = [new Client({ connectionString: app.dsn }), new Client({ connectionString: app.dsn })];
    await Promise.all([holder.connect(), waiter.connect()]);
    try {
      await holder.query(`begin; update shipments_${RUN} set carrier = 'dhl' where id = 1`);
      const blocked = waiter.query(`update shipments_${RUN} set carrier = 'fedex' where id = 1`);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const now = Date.now();
      await sampleActivity(db, new Date(now));
      await sampleActivity(db, new Date(now + 5_000));
      await holder.query("commit");
      await blocked;
      await sampleActivity(db, new Date(now + 10_000));
    } finally {
      await Promise.all([holder.end(), waiter.end()]);
    }
    type Body = { oldColumnUsage: { activity: { minutes: { samples: number; writes: number; reads: number }[] } }; lockWaits: { status: string; minutes: { samples: number; waitingSamples: number; maxWaiting: number }[] } };
    const body = (await callRoute<Body>(route.GET, { path: `/api/flags/${key}/database?env=${env}`, params: { key } })).body;
    const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
    expect(sum(body.oldColumnUsage.activity.minutes.map((m) => m.samples))).toBe(3);
    expect(sum(body.oldColumnUsage.activity.minutes.map((m) => m.writes))).toBe(2);
    expect(sum(body.oldColumnUsage.activity.minutes.map((m) => m.reads))).toBe(0);
    expect(body.lockWaits.status).toBe("checked");
    expect(sum(body.lockWaits.minutes.map((m) => m.waitingSamples))).toBe(2);
    expect(Math.max(...body.lockWaits.minutes.map((m) => m.maxWaiting))).toBe(1);
  });

  it("and the counters once a minute, however often the 5-second tick runs", async () => {
    await app.exec(`create table parcels_${RUN} (id bigint primary key, weight_lb numeric, weight_kg numeric)`);
    const key = await givenFlag("evidence_tick", { removalTicket: { contraction: { table: `parcels_${RUN}`, oldColumn: "weight_lb", newColumn: "weight_kg" } } });
    const db = await getDb();
    const samples = () => db.select().from(oldColumnStatementSamples).where(eq(oldColumnStatementSamples.tableName, `parcels_${RUN}`));
    // One connection is kept for the ticks, not one opened per sample.
    const evidenceSessions = async () => {
      const client = new pg.Client({ connectionString: app.dsn });
      await client.connect();
      try {
        return (await client.query("select pid from pg_stat_activity where datname = current_database() and application_name = 'rampart-evidence'")).rows.map((row) => Number(row.pid));
      } finally {
        await client.end();
      }
    };
    const tick = evidenceTick(db);
    await tick();
    const afterFirst = await evidenceSessions();
    await tick();
    expect(afterFirst).toHaveLength(1);
    expect(await evidenceSessions()).toEqual(afterFirst);
    expect((await samples()).map((sample) => [sample.source, sample.reads, sample.writes])).toEqual([["pg_stat_statements", 0, 0]]);
    type Body = { oldColumnUsage: { statements: { source: string | null }; activity: { minutes: { samples: number }[] }; lastSampledAt: string | null } };
    const usage = (await callRoute<Body>(route.GET, { path: `/api/flags/${key}/database?env=${env}`, params: { key } })).body.oldColumnUsage;
    expect(usage.statements).toMatchObject({ source: "pg_stat_statements" });
    expect(usage.activity.minutes.reduce((sum, minute) => sum + minute.samples, 0)).toBe(2);
  });
});

describe("divergent rows", () => {
  it("are scanned on demand, one scan at a time, and the result shows in the evidence", async () => {
    // A table of its own: the tests above drop columns of orders.
    await app.exec(`create table invoices_${RUN} (id bigint primary key, legacy_amount numeric, new_amount numeric);
      insert into invoices_${RUN} select g, g, case when g % 500 = 0 then g + 1 else g end from generate_series(1, 2000) g`);
    const key = await givenFlag("evidence_divergence", { removalTicket: { contraction: { table: `invoices_${RUN}`, oldColumn: "legacy_amount", newColumn: "new_amount" } } });
    const start = () => callRoute(scanRoute.POST, { method: "POST", path: `/api/flags/${key}/database/divergence-scan?env=${env}`, params: { key }, body: {} });
    const [first, second] = await Promise.all([start(), start()]);
    expect([first.status, second.status].sort(), JSON.stringify([first.body, second.body])).toEqual([202, 409]);

    type Rows = { divergentRows: { status: string; scan: string; rowsScanned: number; divergent: number } };
    let rows = (await callRoute<Rows>(route.GET, { path: `/api/flags/${key}/database?env=${env}`, params: { key } })).body.divergentRows;
    for (let i = 0; i < 60 && rows.scan !== "done"; i++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      rows = (await callRoute<Rows>(route.GET, { path: `/api/flags/${key}/database?env=${env}`, params: { key } })).body.divergentRows;
    }
    expect(rows).toMatchObject({ status: "checked", scan: "done", rowsScanned: 2_000, divergent: 4 });
  });
});

describe("stage 2 where an application database is connected", () => {
  const DAY = 86_400_000;
  type Refused = { teardown: { zeroFallback: { done: boolean; override: { by: string; reason: string } | null } } };
  const confirm = (key: string, body: Record<string, unknown> = {}, as?: string) =>
    callRoute<Refused>(zeroFallbackRoute.POST, { method: "POST", path: `/api/flags/${key}/teardown/zero-fallback?env=${env}`, params: { key }, body, as });
  /** What the teardown view says keeps stage 2's button shut, before anyone presses it. */
  const blockedBy = async (key: string) =>
    (await callRoute<{ zeroFallback: { blockedBy: { code: string; message: string; details: { path: string; message: string }[] } | null } }>(teardownRoute.GET, { path: `/api/flags/${key}/teardown?env=${env}`, params: { key } })).body.zeroFallback.blockedBy;

  /**
   * A flag at 100% here whose legacy path read zero for the ticket's week, contracting a table of
   * its own; the statement counters were first sampled before that week began.
   */
  async function givenRampedFlag(table: string, divergentEvery: number): Promise<string> {
    await app.exec(`create table ${table} (id bigint primary key, legacy_amount numeric, new_amount numeric);
      insert into ${table} select g, g, case when g % ${divergentEvery} = 0 then g + 1 else g end from generate_series(1, 1500) g`);
    const key = await givenFlag(`evidence_${table.slice(0, 8)}`, { removalTicket: { contraction: { table, oldColumn: "legacy_amount", newColumn: "new_amount" } } });
    await callRoute(flagRoute.PATCH, { method: "PATCH", path: `/api/flags/${key}?env=${env}`, params: { key }, body: { percentage: 100 } });
    await givenTraffic(key, { env, path: "new", requests: 500, at: new Date(Date.now() - 5 * DAY) });
    await givenTraffic(key, { env, path: "new", requests: 300, at: new Date(Date.now() - 2 * DAY) });
    await sampleApplicationDatabases(await getDb(), new Date(Date.now() - 8 * DAY));
    return key;
  }
  const sampledNow = async () => sampleApplicationDatabases(await getDb());

  type Usage = { oldColumnUsage: { status: string; window: { reads: { verdict: string; count: number; detail: string }; writes: { verdict: string; count: number } }; statements: { source: string | null; minutes: { reads: number | null; writes: number | null }[] } } };
  const usageOf = async (key: string) => (await callRoute<Usage>(route.GET, { path: `/api/flags/${key}/database?env=${env}`, params: { key } })).body.oldColumnUsage;

  async function scanned(key: string) {
    expect((await callRoute(scanRoute.POST, { method: "POST", path: `/api/flags/${key}/database/divergence-scan?env=${env}`, params: { key }, body: {} })).status).toBe(202);
    type Rows = { divergentRows: { scan: string } };
    for (let i = 0; i < 60; i++) {
      const rows = (await callRoute<Rows>(route.GET, { path: `/api/flags/${key}/database?env=${env}`, params: { key } })).body.divergentRows;
      if (rows.scan === "done") return;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error("the scan did not finish");
  }

  it("is unproven without a finished scan or a recent sample, refused while rows differ, and passes once they agree and nothing reads the old column", async () => {
    const key = await givenRampedFlag(`payments_${RUN}`, 300);
    const unproven = await confirm(key);
    expect(unproven.status).toBe(409);
    expect(unproven.body.error).toMatchObject({
      code: "evidence_unproven",
      details: [
        { path: "oldColumnUsage", message: "unproven" },
        { path: "divergentRows", message: "unproven" },
      ],
    });
    expect(unproven.body.error!.message).toMatch(/newest sample of the statement statistics is from .*has not run yet.*An admin may confirm anyway with overrideUnproven and a reason\.$/);
    // Unproven is for the confirm to refuse, where an admin may override it: the button stays open.
    expect(await blockedBy(key)).toBeNull();

    await scanned(key);
    await sampledNow();
    const differ = await confirm(key);
    expect(differ.body.error).toMatchObject({ code: "divergent_rows" });
    expect(differ.body.error!.message).toMatch(/^5 of 1,500 rows still differ between the old and the new column/);
    expect(await blockedBy(key)).toMatchObject({ code: "divergent_rows", message: differ.body.error!.message, details: [{ path: "divergentRows", message: "rows differ" }] });
    // Rows that differ are a fact, not a gap in the evidence: no override lets them through.
    expect((await confirm(key, { overrideUnproven: true, reason: "we know about these rows" })).body.error!.code).toBe("divergent_rows");

    // The backfill names the old column, but to write the new one: a write, not a read.
    await app.exec(`update payments_${RUN} set new_amount = legacy_amount`);
    await scanned(key);
    await sampledNow();
    expect((await usageOf(key)).window).toMatchObject({ reads: { verdict: "zero", count: 0 }, writes: { verdict: "seen", count: 1 } });
    expect(await blockedBy(key)).toBeNull();
    const confirmed = await confirm(key);
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.teardown.zeroFallback).toMatchObject({ done: true, override: null });
    const db = await getDb();
    const [event] = await db
      .select({ after: auditEvents.after })
      .from(auditEvents)
      .innerJoin(flags, eq(flags.id, auditEvents.flagId))
      .where(and(eq(flags.key, key), eq(auditEvents.action, "teardown.zero_fallback_confirmed")));
    expect(event!.after).toMatchObject({ evidence: { legacyRequests: 0, oldColumnReads: { verdict: "zero" }, oldColumnWrites: { verdict: "seen", count: 1 } } });
  });

  it("is refused while the old column is still read, whatever the override, and the minutes show the reads stop", async () => {
    const key = await givenRampedFlag(`ledger_${RUN}`, 1_000_000);
    await scanned(key);
    await sampledNow();
    await app.exec(`select legacy_amount from ledger_${RUN} where id = 1; select legacy_amount from ledger_${RUN} where id = 2`);
    await sampledNow();
    const refused = await confirm(key, { overrideUnproven: true, reason: "reads must be from a report" });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: "old_column_read", details: [{ path: "oldColumnUsage", message: "still read" }] });
    expect(refused.body.error!.message).toMatch(/still read in .*2 calls counted by the statement statistics/);
    expect(await blockedBy(key)).toMatchObject({ code: "old_column_read", details: [{ path: "oldColumnUsage", message: "still read" }] });

    // A minute later nothing has read it: the newest minute shows zero, the window still holds the two.
    await sampleApplicationDatabases(await getDb(), new Date(Date.now() + 60_000));
    const usage = await usageOf(key);
    expect(usage.statements).toMatchObject({ source: "pg_stat_statements" });
    expect(usage.statements.minutes.at(-1)).toMatchObject({ reads: 0, writes: 0 });
    expect(usage.statements.minutes.some((minute) => minute.reads === 2)).toBe(true);
    expect(usage.window.reads).toMatchObject({ verdict: "seen", count: 2 });
  });

  it("is unproven, never zero, when the statement statistics were reset inside the window", async () => {
    const key = await givenRampedFlag(`credits_${RUN}`, 1_000_000);
    await scanned(key);
    await sampledNow();
    await app.exec("select pg_stat_statements_reset()");
    await sampledNow();
    const usage = await usageOf(key);
    expect(usage.window.reads).toMatchObject({ verdict: "unproven", count: 0 });
    expect(usage.window.reads.detail).toMatch(/reset, or entries evicted, once/);
    const refused = await confirm(key);
    expect(refused.body.error).toMatchObject({ code: "evidence_unproven", details: [{ path: "oldColumnUsage", message: "unproven" }] });
    expect((await confirm(key, { overrideUnproven: true, reason: "stats were reset by the DBA's upgrade" })).status).toBe(200);
  });

  it("unproven evidence passes only for an admin with a reason, and the strip says who and why", async () => {
    const key = await givenRampedFlag(`refunds_${RUN}`, 1_000_000);
    const operator = await givenToken("operator");
    const byOperator = await confirm(key, { overrideUnproven: true, reason: "scan cannot run on this replica" }, operator.secret);
    expect(byOperator.status).toBe(403);
    expect(byOperator.body.error!.details[0]!.path).toBe("overrideUnproven");
    const noReason = await confirm(key, { overrideUnproven: true });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error!.details[0]!.path).toBe("reason");

    const overridden = await confirm(key, { overrideUnproven: true, reason: "scan cannot run on this replica" });
    expect(overridden.status).toBe(200);
    expect(overridden.body.teardown.zeroFallback.override).toMatchObject({ by: expect.stringMatching(/^token:/), reason: "scan cannot run on this replica" });
    const db = await getDb();
    const [event] = await db
      .select({ after: auditEvents.after })
      .from(auditEvents)
      .innerJoin(flags, eq(flags.id, auditEvents.flagId))
      .where(and(eq(flags.key, key), eq(auditEvents.action, "teardown.zero_fallback_confirmed")));
    expect(event!.after).toMatchObject({ overrodeUnproven: { reason: "scan cannot run on this replica" } });
  });
});

describe("stage 4 where an application database is connected", () => {
  const confirm = (key: string, environment: string) =>
    callRoute<{ teardown: { schemaContracted: { done: boolean; verified: boolean | null } } }>(contractedRoute.POST, {
      method: "POST",
      path: `/api/flags/${key}/teardown/schema-contracted?env=${environment}`,
      params: { key },
      body: {},
    });

  async function givenArchivedFlag(prefix: string): Promise<string> {
    const key = await givenFlag(prefix, { removalTicket: { contraction: { table: "orders", oldColumn: "status", newColumn: "order_status" } } });
    const db = await getDb();
    const [flag] = await db.select().from(flags).where(eq(flags.key, key));
    await saveFlagArchived(db, flag!.id, new Date());
    return key;
  }

  it("is refused while the old column is still there, and verified by Rampart once it is gone", async () => {
    const key = await givenArchivedFlag("evidence_contract");
    const refused = await confirm(key, env);
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: "schema_not_contracted", details: [{ path: "contraction.oldColumn", message: "is still present" }] });
    expect(refused.body.error!.message).toMatch(/^orders\.status is still in .+'s application database \(as of /);

    await app.exec("drop index if exists idx_orders_order_status; alter table orders drop column status");
    const verified = await confirm(key, env);
    expect(verified.status).toBe(200);
    expect(verified.body.teardown.schemaContracted).toMatchObject({ done: true, verified: true });
    const db = await getDb();
    const [event] = await db
      .select({ after: auditEvents.after })
      .from(auditEvents)
      .innerJoin(flags, eq(flags.id, auditEvents.flagId))
      .where(and(eq(flags.key, key), eq(auditEvents.action, "teardown.schema_contracted")));
    expect(event!.after).toMatchObject({ stage: "schema_contracted", verified: true });
  });

  it("is verified by Rampart's own hourly check once the column is gone, audited as Rampart's", async () => {
    await app.exec(`create table coupons_${RUN} (id bigint primary key, code_old text, code text)`);
    const key = await givenFlag("evidence_watch", { removalTicket: { contraction: { table: `coupons_${RUN}`, oldColumn: "code_old", newColumn: "code" } } });
    const db = await getDb();
    const [flag] = await db.select().from(flags).where(eq(flags.key, key));
    await saveFlagArchived(db, flag!.id, new Date());
    const stage4 = async () =>
      (await callRoute<{ schemaContracted: { done: boolean; verified: boolean | null } }>(teardownRoute.GET, { path: `/api/flags/${key}/teardown?env=${env}`, params: { key } })).body.schemaContracted;

    await verifyPendingContractions(db);
    expect(await stage4()).toMatchObject({ done: false });
    await app.exec(`alter table coupons_${RUN} drop column code_old`);
    await verifyPendingContractions(db);
    expect(await stage4()).toMatchObject({ done: true, verified: true });
    const [event] = await db
      .select({ actor: auditEvents.actor, source: auditEvents.source })
      .from(auditEvents)
      .where(and(eq(auditEvents.flagId, flag!.id), eq(auditEvents.action, "teardown.schema_contracted")));
    expect(event).toEqual({ actor: "rampart", source: "controller" });
  });

  it("stays a person's word, marked not verified, where no database is connected", async () => {
    const key = await givenArchivedFlag("evidence_by_hand");
    const confirmed = await confirm(key, "production");
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.teardown.schemaContracted).toMatchObject({ done: true, verified: false });
  });
});
