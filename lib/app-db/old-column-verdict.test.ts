import { describe, expect, it } from "vitest";
import { statementMinutes } from "./database-evidence";
import { usageVerdict } from "./old-column-verdict";
import type { StatementSample, StatementWindowSummary } from "./usage-sample-store";
import { namesOldColumn, statementKind } from "./checks/old-column-usage";

const target = { table: "orders", oldColumn: "status" };
const window = { from: new Date("2026-12-01T00:00:00Z"), to: new Date("2026-12-02T00:00:00Z"), column: "orders.status" };
const quiet = { samples: 0, reads: 0, writes: 0 };
const covered: StatementWindowSummary = { samples: 1441, firstAt: new Date("2026-11-30T23:59:00Z"), lastAt: new Date("2026-12-01T23:59:30Z"), reads: 0, writes: 0, breaks: 0, firstBreakAt: null, why: null };

describe("which statements name the old column", () => {
  it("matches the table and the column as whole words, and never Rampart's own scan", () => {
    expect(namesOldColumn("SELECT status FROM orders WHERE id = $1", target)).toBe(true);
    expect(namesOldColumn("select o.\"status\" from public.orders o", target)).toBe(true);
    expect(namesOldColumn("SELECT `status` FROM `orders` WHERE `id` = ?", target)).toBe(true);
    expect(namesOldColumn("SELECT order_status FROM orders", target)).toBe(false);
    expect(namesOldColumn("SELECT status FROM orders_archive", target)).toBe(false);
    expect(namesOldColumn("SELECT status FROM payments", target)).toBe(false);
    expect(namesOldColumn("select count(*) as rows, 1 as rampart_evidence from (select id, status, order_status from orders) b", target)).toBe(false);
  });

  it("tells writes from reads, and leaves DDL and maintenance out", () => {
    expect(statementKind("SELECT status FROM orders")).toBe("read");
    expect(statementKind("  /* app */ (select status from orders)")).toBe("read");
    expect(statementKind("UPDATE orders SET status = $1 WHERE id = $2")).toBe("write");
    expect(statementKind("insert into orders (status) values ($1)")).toBe("write");
    expect(statementKind("-- backfill\nupdate orders set order_status = status")).toBe("write");
    expect(statementKind("with moved as (update orders set status = $1 returning id) select count(*) from moved")).toBe("write");
    expect(statementKind("with recent as (select status from orders) select * from recent")).toBe("read");
    expect(statementKind("COPY orders (status) FROM STDIN")).toBe("write");
    expect(statementKind("COPY orders (status) TO STDOUT")).toBe("read");
    expect(statementKind("ALTER TABLE orders DROP COLUMN status")).toBe("neither");
    expect(statementKind("create table orders (id int, status text)")).toBe("neither");
    expect(statementKind("EXPLAIN SELECT status FROM orders")).toBe("neither");
  });
});

describe("the verdict on old-column reads over a window", () => {
  it("is zero only where unbroken counters cover the whole window", () => {
    expect(usageVerdict("reads", window, covered, quiet)).toMatchObject({ verdict: "zero", count: 0 });
  });

  it("is seen on any count, from the counters or from a running-query sample, even across a reset", () => {
    expect(usageVerdict("reads", window, { ...covered, reads: 12 }, quiet)).toMatchObject({ verdict: "seen", count: 12 });
    const sampled = usageVerdict("reads", window, { ...covered, breaks: 1, firstBreakAt: new Date("2026-12-01T10:00:00Z") }, { samples: 9, reads: 2, writes: 0 });
    expect(sampled).toMatchObject({ verdict: "seen", count: 2 });
    expect(sampled.detail).toContain("2 seen running in 5-second samples");
    expect(usageVerdict("writes", window, { ...covered, reads: 12 }, quiet)).toMatchObject({ verdict: "zero" });
  });

  it("is unproven, never zero, on a reset, an eviction, a late start, a stale sample or no counters", () => {
    const verdict = (statements: StatementWindowSummary) => usageVerdict("reads", window, statements, quiet);
    expect(verdict({ ...covered, breaks: 2, firstBreakAt: new Date("2026-12-01T10:00:00Z") }).detail).toMatch(/reset, or entries evicted, 2 times \(first before 2026-12-01T10:00:00.000Z\)/);
    expect(verdict({ ...covered, firstAt: new Date("2026-12-01T06:00:00Z") }).detail).toMatch(/sampled only since 2026-12-01T06:00:00.000Z/);
    expect(verdict({ ...covered, lastAt: new Date("2026-12-01T20:00:00Z") }).detail).toMatch(/newest sample .* is from 2026-12-01T20:00:00.000Z/);
    expect(verdict({ ...covered, why: "pg_stat_statements is not installed here" })).toMatchObject({ verdict: "unproven", detail: expect.stringMatching(/not installed here$/) });
    expect(verdict({ ...covered, samples: 0, firstAt: null, lastAt: null, why: null }).verdict).toBe("unproven");
  });
});

describe("statement calls per minute", () => {
  const sample = (minute: number, reads: number | null, extra: Partial<StatementSample> = {}): StatementSample => ({
    environmentId: 1,
    tableName: "orders",
    columnName: "status",
    sampledAt: new Date(Date.UTC(2026, 11, 1, 0, minute)),
    source: reads === null ? null : "pg_stat_statements",
    reads,
    writes: reads === null ? null : 0,
    statsReset: new Date("2026-11-01T00:00:00Z"),
    evicted: 0,
    why: reads === null ? "not installed" : null,
    ...extra,
  });

  it("are deltas, with a reset, an eviction or a missing reading shown as a break, never negative", () => {
    const minutes = statementMinutes([
      sample(0, 100),
      sample(1, 130),
      sample(2, 5, { statsReset: new Date("2026-12-01T00:01:30Z") }),
      sample(3, 9, { statsReset: new Date("2026-12-01T00:01:30Z") }),
      sample(4, 20, { statsReset: new Date("2026-12-01T00:01:30Z"), evicted: 3 }),
      sample(5, null),
      sample(6, 25, { statsReset: new Date("2026-12-01T00:01:30Z"), evicted: 3 }),
    ]);
    expect(minutes.map((m) => [m.reads, m.reset])).toEqual([
      [30, false],
      [null, true],
      [4, false],
      [null, true],
      [null, true],
      [null, true],
    ]);
  });
});
