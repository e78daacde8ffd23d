import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { requireEnvironment } from "@/lib/environments/environment-store";
import { givenScratchAppDb, type ScratchAppDb } from "@/testing/scratch-app-db";
import type { AppDatabaseRow } from "./app-database-store";
import { claimDivergenceScan, findDivergenceScan, pauseAfterBatch, runDivergenceScan } from "./divergence-scan";
import { encryptSecret } from "@/lib/secrets/secret-cipher";
import { loadSecretKey } from "@/lib/secrets/secret-key";

const savedKey = process.env.RAMPART_SECRET_KEY;
beforeAll(() => {
  process.env.RAMPART_SECRET_KEY = "divergence scan test key 0123456789abcdef";
});
afterAll(() => {
  if (savedKey === undefined) delete process.env.RAMPART_SECRET_KEY;
  else process.env.RAMPART_SECRET_KEY = savedKey;
});

describe.each(["postgresql", "mysql"] as const)("the divergent-rows scan on %s", (kind) => {
  let app: ScratchAppDb;
  beforeAll(async () => {
    app = await givenScratchAppDb(kind);
    // 2,500 rows: three batches of 1,000. Rows 7, 1,500 and 2,500 disagree; row 9 has both null (not divergent).
    const values = Array.from({ length: 2_500 }, (_, i) => {
      const id = i + 1;
      const legacy = id === 9 ? "null" : String(id);
      const next = id === 9 ? "null" : [7, 1_500, 2_500].includes(id) ? String(id + 1) : String(id);
      return `(${id}, 'paid', ${legacy}, ${next})`;
    });
    await app.exec(`insert into orders (id, status, legacy_total, new_total) values ${values.join(", ")}`);
  });
  afterAll(() => app?.drop());

  /** A connection row as the store keeps it, for an environment of the running database. */
  async function appDatabase(): Promise<AppDatabaseRow> {
    const environment = await requireEnvironment(await getDb(), "production");
    const key = loadSecretKey({ embedded: false });
    return {
      id: 0,
      environmentId: environment.id,
      name: "scratch",
      kind,
      dsnCiphertext: encryptSecret(key, app.dsn),
      health: "ok",
      healthDetail: null,
      serverVersion: null,
      checkedAt: null,
      createdAt: new Date(),
      createdBy: "test",
    };
  }

  const target = { table: "orders", oldColumn: "legacy_total", newColumn: "new_total" };

  it("walks the table in batches by primary key and counts IS DISTINCT FROM, nulls agreeing", async () => {
    const db = await getDb();
    const connection = await appDatabase();
    expect(await claimDivergenceScan(db, connection.environmentId, target, "test")).not.toBeNull();
    expect(await claimDivergenceScan(db, connection.environmentId, target, "test")).toBeNull();
    const done = await runDivergenceScan(db, connection, target, { startedBy: "test" });
    expect(done).toMatchObject({ status: "done", rowsScanned: 2_500, divergent: 3, lastKey: "2500" });
    expect((await findDivergenceScan(db, connection.environmentId, target))!.finishedAt).not.toBeNull();

    await app.exec(`update orders set new_total = legacy_total where ${kind === "postgresql" ? "legacy_total is distinct from new_total" : "not (legacy_total <=> new_total)"}`);
    expect(await claimDivergenceScan(db, connection.environmentId, target, "test")).not.toBeNull();
    expect(await runDivergenceScan(db, connection, target, { startedBy: "test", batchRows: 700 })).toMatchObject({ status: "done", rowsScanned: 2_500, divergent: 0 });
  });

  it("says why when the table has no single-column primary key", async () => {
    const db = await getDb();
    await app.exec("create table order_lines (order_id int, line int, legacy_total int, new_total int, primary key (order_id, line))");
    const lines = { table: "order_lines", oldColumn: "legacy_total", newColumn: "new_total" };
    await claimDivergenceScan(db, (await appDatabase()).environmentId, lines, "test");
    const result = await runDivergenceScan(db, await appDatabase(), lines, { startedBy: "test" });
    expect(result).toMatchObject({ status: "unavailable", detail: "order_lines has no single-column primary key to scan it by in batches." });
  });
});

describe("pacing", () => {
  it("waits 99 times as long as a batch took, never less than the floor", () => {
    expect(pauseAfterBatch(2, 50)).toBe(198);
    expect(pauseAfterBatch(0.2, 50)).toBe(50);
    expect(pauseAfterBatch(0, 0)).toBe(0);
  });
});
