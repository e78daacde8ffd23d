import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { givenScratchAppDb, type ScratchAppDb } from "@/testing/scratch-app-db";
import { withReadOnlySession } from "../read-only-session";
import { indexScanRates, readIndexScans } from "./index-scans";

const at = (minute: number) => new Date(Date.UTC(2026, 11, 2, 10, minute));

describe("scan rates between samples", () => {
  it("are per minute, and a counter that went down is a reset, never a negative rate", () => {
    const rates = indexScanRates([
      { sampledAt: at(0), idxScan: 100 },
      { sampledAt: at(1), idxScan: 160 },
      { sampledAt: at(3), idxScan: 260 },
      { sampledAt: at(4), idxScan: 7 },
      { sampledAt: at(5), idxScan: 19 },
    ]);
    expect(rates).toEqual([
      { at: at(1).toISOString(), perMinute: 60, reset: false },
      { at: at(3).toISOString(), perMinute: 50, reset: false },
      { at: at(4).toISOString(), perMinute: null, reset: true },
      { at: at(5).toISOString(), perMinute: 12, reset: false },
    ]);
    expect(indexScanRates([{ sampledAt: at(0), idxScan: 1 }])).toEqual([]);
  });
});

describe("reading an index's scans", () => {
  let postgres: ScratchAppDb;
  let mariadb: ScratchAppDb;
  beforeAll(async () => {
    [postgres, mariadb] = await Promise.all([givenScratchAppDb("postgresql"), givenScratchAppDb("mysql")]);
  });
  afterAll(async () => {
    await Promise.all([postgres?.drop(), mariadb?.drop()]);
  });

  it("on PostgreSQL counts queries through the index, and names an index that is not there", async () => {
    const read = (index: string) => withReadOnlySession("postgresql", postgres.dsn, (query) => readIndexScans("postgresql", query, { table: "orders", index }));
    expect(await read("idx_orders_order_status")).toEqual({ available: true, idxScan: 0 });
    await postgres.exec("set enable_seqscan = off; select count(*) from orders where order_status = 'shipped'; select count(*) from orders where order_status = 'paid'");
    // Statistics reach the shared counters when the session that made them ends; poll briefly.
    let reading = await read("idx_orders_order_status");
    for (let i = 0; i < 20 && reading.available && reading.idxScan < 2; i++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      reading = await read("idx_orders_order_status");
    }
    expect(reading).toEqual({ available: true, idxScan: 2 });
    expect(await read("idx_orders_missing")).toEqual({ available: false, why: "There is no index idx_orders_missing on orders." });
  });

  it("on MariaDB says what performance_schema offers: the count when it is on, why not when it is off", async () => {
    const { reading, on } = await withReadOnlySession("mysql", mariadb.dsn, async (query) => ({
      reading: await readIndexScans("mysql", query, { table: "orders", index: "idx_orders_order_status" }),
      on: Number((await query("select @@performance_schema as v"))[0]!.v) === 1,
    }));
    if (on) expect(reading).toEqual({ available: true, idxScan: 0 });
    else expect(reading).toMatchObject({ available: false, why: expect.stringMatching(/^performance_schema is off on this server/) });
  });
});
