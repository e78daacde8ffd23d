import { describe, expect, it } from "vitest";
import type { ColumnsCheck } from "@/lib/app-db/checks/columns-check";
import type { DivergentRows, LockWaits } from "@/lib/app-db/database-evidence";
import {
  activitySummary,
  columnFactsText,
  columnsVerdictText,
  divergentRowsAlarm,
  divergentRowsText,
  evidenceWindow,
  indexScanPoints,
  indexScanSummary,
  lockWaitsText,
  oldColumnReadsAlarm,
  percentageAt,
  percentageSteps,
  resetGaps,
  sharedNotApplicable,
  statementPoints,
  statementSummary,
  timeTicks,
  usageVerdictText,
} from "./database-evidence-view";

const T0 = Date.parse("2026-12-03T08:00:00Z");
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

function columns(change: Partial<ColumnsCheck>): ColumnsCheck {
  return {
    verdict: "expanded",
    table: "orders",
    old: { name: "status", present: true, type: "character varying(50)", nullable: false },
    new: { name: "order_status", present: true, type: "character varying(50)", nullable: true },
    caveat: "",
    ...change,
  };
}

describe("checks that do not apply", () => {
  const none = (detail: string) => ({ status: "not_applicable" as const, detail });

  it("are said once when all five share their reason, and not when any check answered", () => {
    const noDatabase = none("No application database is connected for staging.");
    const all = { columns: noDatabase, indexUsage: noDatabase, divergentRows: noDatabase, oldColumnUsage: noDatabase, lockWaits: noDatabase };
    expect(sharedNotApplicable(all)).toBe("No application database is connected for staging.");
    expect(sharedNotApplicable({ ...all, indexUsage: none("The contraction names no new index.") })).toBeNull();
    expect(sharedNotApplicable({ ...all, columns: { status: "unavailable", detail: "timeout" } })).toBeNull();
  });
});

describe("the columns in words", () => {
  it("names the migration's stage from the verdict", () => {
    expect(columnsVerdictText(columns({}))).toBe("Both status and order_status are in orders: expanded, the old column not dropped yet.");
    expect(columnsVerdictText(columns({ verdict: "contracted" }))).toBe("status is gone from orders: the schema is contracted.");
    expect(columnsVerdictText(columns({ verdict: "not_migrated" }))).toBe("order_status is missing from orders: the additive migration has not run here.");
    expect(columnsVerdictText(columns({ verdict: "table_missing" }))).toBe("There is no table orders the monitoring role can see.");
    expect(columnsVerdictText(columns({ new: null }))).toBe("status is still in orders: not dropped yet.");
  });

  it("gives a present column's type and nullability, and a dropped one as gone", () => {
    expect(columnFactsText({ name: "status", present: true, type: "character varying(50)", nullable: false })).toBe("character varying(50), NOT NULL");
    expect(columnFactsText({ name: "order_status", present: true, type: "varchar(50)", nullable: true })).toBe("varchar(50), nullable");
    expect(columnFactsText({ name: "status", present: false, type: null, nullable: null })).toBe("gone");
  });
});

describe("the percentage beside the index scans", () => {
  const from = T0;
  const to = T0 + 360 * 60_000;

  it("starts at what the first change in view moved from, steps at each change and ends at the current one", () => {
    const steps = percentageSteps(
      [
        { at: at(60), from: 0, to: 5 },
        { at: at(120), from: 5, to: 25 },
        { at: at(130), from: 25, to: null },
      ],
      25,
      from,
      to,
    );
    expect(steps).toEqual([
      { t: from, percentage: 0 },
      { t: T0 + 60 * 60_000, percentage: 5 },
      { t: T0 + 120 * 60_000, percentage: 25 },
      { t: to, percentage: 25 },
    ]);
    expect(percentageAt(steps, T0 + 90 * 60_000)).toBe(5);
    expect(percentageAt(steps, T0 - 1)).toBeNull();
  });

  it("starts at the last change before the window when one is older, and is flat without changes", () => {
    expect(percentageSteps([{ at: at(-30), from: 10, to: 50 }], 50, from, to)[0]).toEqual({ t: from, percentage: 50 });
    expect(percentageSteps([], 100, from, to)).toEqual([{ t: from, percentage: 100 }, { t: to, percentage: 100 }]);
  });

  it("drops to 0 with a kill, whose audit event sets the percentage to 0", () => {
    const steps = percentageSteps([{ at: at(200), from: 50, to: 0 }], 0, from, to);
    expect(percentageAt(steps, T0 + 199 * 60_000)).toBe(50);
    expect(percentageAt(steps, T0 + 200 * 60_000)).toBe(0);
  });
});

describe("index scans per minute", () => {
  const rates = [
    { at: at(1), perMinute: 4, reset: false },
    { at: at(2), perMinute: null, reset: true },
    { at: at(3), perMinute: 12.5, reset: false },
  ];

  it("breaks the line at a statistics reset and marks the gap from the sample before", () => {
    expect(indexScanPoints(rates)).toEqual([
      { t: T0 + 60_000, perMinute: 4 },
      { t: T0 + 120_000, perMinute: null },
      { t: T0 + 180_000, perMinute: 12.5 },
    ]);
    expect(resetGaps(rates)).toEqual([{ from: T0 + 60_000, to: T0 + 120_000 }]);
    expect(resetGaps([{ at: at(5), reset: true }])).toEqual([{ from: T0 + 4 * 60_000, to: T0 + 5 * 60_000 }]);
  });

  it("says the newest rate beside the percentage then, and the reset", () => {
    const steps = [{ t: T0, percentage: 25 }];
    expect(indexScanSummary(indexScanPoints(rates), steps, resetGaps(rates))).toBe(
      "Latest minute, 08:03 UTC: 12.5 index scans per minute, with the flag at 25%. 1 statistics reset in view, the latest at 08:02 UTC: not counted as a drop.",
    );
    expect(indexScanSummary([], steps, [])).toBe("No scan rate in the last six hours yet.");
  });
});

describe("old-column reads and writes", () => {
  const usage = (verdict: "zero" | "seen" | "unproven", count = 0) => ({ verdict, count, detail: "" });

  it("puts the window's verdict in words", () => {
    expect(usageVerdictText("reads", usage("zero"), "orders.status")).toBe("Reads of orders.status: none");
    expect(usageVerdictText("reads", usage("seen", 1), "orders.status")).toBe("Reads of orders.status: seen, 1 read");
    expect(usageVerdictText("writes", usage("seen", 1200), "orders.status")).toBe("Writes of orders.status: seen, 1,200 writes");
    expect(usageVerdictText("writes", usage("unproven"), "orders.status")).toBe("Writes of orders.status: unproven");
  });

  it("is an alarm only for reads seen while the flag serves everyone the new path", () => {
    expect(oldColumnReadsAlarm(usage("seen", 3), { percentage: 100, killed: false })).toBe(true);
    expect(oldColumnReadsAlarm(usage("seen", 3), { percentage: 50, killed: false })).toBe(false);
    expect(oldColumnReadsAlarm(usage("seen", 3), { percentage: 0, killed: true })).toBe(false);
    expect(oldColumnReadsAlarm(usage("unproven"), { percentage: 100, killed: false })).toBe(false);
  });

  it("leaves a reset minute out of the statement counts and says so", () => {
    const minutes = [
      { at: at(1), reads: 3, writes: 1, reset: false },
      { at: at(2), reads: null, writes: null, reset: true },
    ];
    const points = statementPoints(minutes);
    expect(points[1]).toEqual({ t: T0 + 120_000, reads: null, writes: null });
    expect(statementSummary(points, "orders.status", resetGaps(minutes))).toBe(
      "Latest minute, 08:01 UTC: 3 reads and 1 write of orders.status. 1 statistics reset in view, the latest at 08:02 UTC: not counted as a drop.",
    );
  });

  it("says what the activity samples caught", () => {
    const points = [
      { t: T0, reads: 2, writes: 0, samples: 12 },
      { t: T0 + 60_000, reads: 1, writes: 1, samples: 12 },
    ];
    expect(activitySummary(points, "orders.status")).toBe("Latest minute, 08:01 UTC: 1 read and 1 write of orders.status caught running in 12 samples; 4 queries caught in view.");
    expect(activitySummary([], "orders.status")).toBe("No running queries sampled in the last six hours yet.");
  });
});

describe("divergent rows", () => {
  const rows = (change: Partial<DivergentRows>): DivergentRows => ({ scan: "done", rowsScanned: 1000, divergent: 0, startedAt: at(0), finishedAt: at(1), caveat: "", ...change });

  it("gives the last result, the progress of a running scan, or that none ran", () => {
    expect(divergentRowsText(rows({}))).toBe("No rows differ: 1,000 rows scanned.");
    expect(divergentRowsText(rows({ divergent: 3 }))).toBe("3 of 1,000 rows differ.");
    expect(divergentRowsText(rows({ scan: "running", rowsScanned: 2000, divergent: 1, finishedAt: null }))).toBe("Scanning: 2,000 rows so far, 1 differing so far.");
    expect(divergentRowsText(rows({ scan: "none", rowsScanned: 0 }))).toBe("No scan has run yet.");
  });

  it("is an alarm whenever rows differ", () => {
    expect(divergentRowsAlarm(rows({ divergent: 3 }))).toBe(true);
    expect(divergentRowsAlarm(rows({ scan: "running", divergent: 1 }))).toBe(true);
    expect(divergentRowsAlarm(rows({}))).toBe(false);
  });
});

describe("lock waits", () => {
  const waits = (minutes: LockWaits["minutes"]): LockWaits => ({ table: "orders", minutes, lastSampledAt: null, caveat: "" });

  it("says none were seen, how many samples caught a wait, or that nothing was sampled", () => {
    expect(lockWaitsText(waits([{ at: at(1), samples: 12, waitingSamples: 0, maxWaiting: 0 }]))).toBe("None seen: no session waited on a lock on orders in 12 samples.");
    expect(
      lockWaitsText(
        waits([
          { at: at(1), samples: 12, waitingSamples: 2, maxWaiting: 1 },
          { at: at(2), samples: 12, waitingSamples: 3, maxWaiting: 4 },
        ]),
      ),
    ).toBe("Sessions waited on a lock on orders in 5 of 24 samples; at most 4 at once.");
    expect(lockWaitsText(waits([]))).toBe("No samples of lock waits on orders yet.");
  });
});

describe("a chart's time span", () => {
  const asOf = T0 + 6 * 3_600_000;

  it("starts a minute before the oldest point, at least 15 minutes and at most six hours back", () => {
    expect(evidenceWindow(asOf, [])).toEqual({ from: T0, to: asOf });
    expect(evidenceWindow(asOf, [asOf - 3 * 60_000, asOf - 60_000])).toEqual({ from: asOf - 15 * 60_000, to: asOf });
    expect(evidenceWindow(asOf, [asOf - 90 * 60_000])).toEqual({ from: asOf - 91 * 60_000, to: asOf });
    expect(evidenceWindow(asOf, [T0 - 60_000])).toEqual({ from: T0, to: asOf });
  });

  it("has ticks on round UTC times, closer for a shorter span", () => {
    expect(timeTicks(T0 + 2 * 60_000, T0 + 17 * 60_000)).toEqual([5, 10, 15].map((m) => T0 + m * 60_000));
    expect(timeTicks(T0 + 30 * 60_000, T0 + 150 * 60_000)).toEqual([30, 60, 90, 120, 150].map((m) => T0 + m * 60_000));
    expect(timeTicks(T0 + 30 * 60_000, T0 + 360 * 60_000)).toEqual([1, 2, 3, 4, 5, 6].map((h) => T0 + h * 3_600_000));
  });
});
