import { describe, expect, it } from "vitest";
import type { FlagRow, FlagStateRow, RemovalTicketRow } from "@/lib/flags/flag-view";
import { findStaleFlags, sortStaleFlags, staleFlagsCsv, type StaleCandidate, type StaleFlag } from "./stale-flags";
import type { TeardownRow } from "./teardown-store";

// The clock these rules run against; every date below is relative to it.
const now = new Date("2026-11-22T12:00:00Z");
const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000);

interface Shape {
  percentage?: number;
  killed?: boolean;
  changedDaysAgo?: number;
  evaluatedDaysAgo?: number | null;
  createdDaysAgo?: number;
  dueInDays?: number;
  status?: RemovalTicketRow["status"];
  staleAfterDays?: number | null;
  rampedDaysAgo?: number | null;
  archived?: boolean;
  owner?: string;
}

function candidate(key: string, shape: Shape = {}): StaleCandidate {
  const {
    percentage = 25,
    killed = false,
    changedDaysAgo = 1,
    evaluatedDaysAgo = 0,
    createdDaysAgo = 60,
    dueInDays = 60,
    status = "open",
    staleAfterDays = null,
    rampedDaysAgo = null,
    archived = false,
    owner = "payments",
  } = shape;
  const flag = { id: 1, key, name: key, description: "", owner: "flag-owner", createdAt: daysAgo(createdDaysAgo), archivedAt: archived ? daysAgo(1) : null } satisfies FlagRow;
  const state = {
    flagId: 1,
    environmentId: 1,
    defaultValue: false,
    percentageBp: percentage * 100,
    rolloutBy: "user_id",
    contexts: {},
    targets: [],
    targetsSince: null,
    servedSince: daysAgo(changedDaysAgo),
    killed,
    percentageBeforeKillBp: killed ? 5000 : null,
    version: 3,
    changeSeq: 9,
    lastEvaluatedAt: evaluatedDaysAgo === null ? null : daysAgo(evaluatedDaysAgo),
    updatedAt: daysAgo(changedDaysAgo),
    updatedBy: "someone",
  } satisfies FlagStateRow;
  const ticket = {
    id: 1,
    flagId: 1,
    owner,
    legacyZeroDays: 7,
    quietHours: 24,
    staleAfterDays,
    dueAt: new Date(Date.UTC(2026, 10, 22 + dueInDays)),
    contractionTable: null,
    contractionOldColumn: null,
    contractionNewColumn: null,
    contractionNewIndex: null,
    status,
    overdueNoticedFor: null,
    link: null,
    createdAt: daysAgo(createdDaysAgo),
    updatedAt: daysAgo(createdDaysAgo),
  } satisfies RemovalTicketRow;
  const teardown =
    rampedDaysAgo === null
      ? null
      : ({
          flagId: 1,
          environmentId: 1,
          rampedAt: daysAgo(rampedDaysAgo),
          zeroFallbackConfirmedAt: null,
          zeroFallbackConfirmedBy: null,
          zeroFallbackEvidence: null,
          zeroFallbackOverrideBy: null,
          zeroFallbackOverrideReason: null,
          schemaContractedAt: null,
          schemaContractedBy: null,
          schemaContractedVerified: null,
          schemaContractedEvidence: null,
          movedBackAt: null,
          movedBackFrom: null,
          movedBackBy: null,
          movedBackAction: null,
        } satisfies TeardownRow);
  return { flag, state, ticket, teardown };
}

const reasonsOf = (flags: StaleFlag[]) => Object.fromEntries(flags.map((f) => [f.key, f.reasons.map((r) => r.kind)]));

describe("stale rule: served value constant past its threshold", () => {
  it("counts 0%, 100% and killed after 14 days by default, never a mid-ramp value", () => {
    const stale = findStaleFlags(
      [
        candidate("off_15_days", { percentage: 0, changedDaysAgo: 15 }),
        candidate("off_13_days", { percentage: 0, changedDaysAgo: 13 }),
        candidate("killed_20_days", { percentage: 0, killed: true, changedDaysAgo: 20 }),
        candidate("ramping_90_days", { percentage: 25, changedDaysAgo: 90 }),
      ],
      now,
    );
    expect(reasonsOf(stale)).toEqual({ off_15_days: ["constant_value"], killed_20_days: ["constant_value"] });
    expect(stale.find((f) => f.key === "killed_20_days")!.reasons[0]).toMatchObject({ served: "killed", days: 20, thresholdDays: 14 });
  });

  it("counts from the last change to what the flag serves: 40 days of target edits alone leave it constant", () => {
    const targetsOnly = candidate("targets_only", { percentage: 0, changedDaysAgo: 40 });
    targetsOnly.state.updatedAt = daysAgo(1);
    targetsOnly.state.targets = [{ attribute: "tenant_id", value: true, values: ["t-42"] }];
    targetsOnly.state.targetsSince = daysAgo(30);
    const stale = findStaleFlags([targetsOnly], now);
    expect(stale.find((f) => f.key === "targets_only")?.reasons).toMatchObject([{ kind: "constant_value", served: "0%", days: 40 }]);
  });

  it("honours a per-flag threshold", () => {
    const stale = findStaleFlags(
      [
        candidate("patient", { percentage: 0, changedDaysAgo: 20, staleAfterDays: 30 }),
        candidate("strict", { percentage: 0, changedDaysAgo: 4, staleAfterDays: 3 }),
      ],
      now,
    );
    expect(reasonsOf(stale)).toEqual({ strict: ["constant_value"] });
  });
});

describe("stale rule: removal ticket past due", () => {
  it("lists open tickets past their due day, not done ones or the due day itself", () => {
    const stale = findStaleFlags(
      [
        candidate("overdue", { dueInDays: -5 }),
        candidate("due_today", { dueInDays: 0 }),
        candidate("overdue_but_done", { dueInDays: -5, status: "done", archived: true }),
      ],
      now,
    );
    expect(reasonsOf(stale)).toEqual({ overdue: ["removal_overdue"] });
    expect(stale[0].reasons[0]).toMatchObject({ days: 5 });
  });
});

describe("stale rule: not evaluated for 30 days but not archived", () => {
  it("uses last-evaluated, or the creation date for a flag never evaluated", () => {
    const stale = findStaleFlags(
      [
        candidate("quiet_31_days", { evaluatedDaysAgo: 31 }),
        candidate("quiet_29_days", { evaluatedDaysAgo: 29 }),
        candidate("never_old", { evaluatedDaysAgo: null, createdDaysAgo: 45 }),
        candidate("never_new", { evaluatedDaysAgo: null, createdDaysAgo: 10 }),
        candidate("quiet_archived", { evaluatedDaysAgo: 90, archived: true, status: "flag_removed" }),
      ],
      now,
    );
    expect(reasonsOf(stale)).toEqual({ quiet_31_days: ["not_evaluated"], never_old: ["not_evaluated"] });
  });
});

describe("stale rule: fully ramped but never torn down", () => {
  it("lists a ramp held past its trigger window until the ticket is done, archived or not", () => {
    const stale = findStaleFlags(
      [
        candidate("ramped_10_days", { percentage: 100, changedDaysAgo: 10, rampedDaysAgo: 10 }),
        candidate("ramped_5_days", { percentage: 100, changedDaysAgo: 5, rampedDaysAgo: 5 }),
        candidate("column_left", { percentage: 100, changedDaysAgo: 40, rampedDaysAgo: 40, archived: true, status: "flag_removed" }),
        candidate("finished", { percentage: 100, changedDaysAgo: 40, rampedDaysAgo: 40, archived: true, status: "done" }),
      ],
      now,
    );
    expect(reasonsOf(stale)).toEqual({ ramped_10_days: ["teardown_pending"], column_left: ["teardown_pending"] });
    expect(stale.find((f) => f.key === "column_left")!.reasons[0]).toMatchObject({ stage: "flag_removed", days: 40 });
  });
});

describe("sorting and export", () => {
  const stale = findStaleFlags(
    [
      candidate("b_flag", { percentage: 0, changedDaysAgo: 20, owner: "zeta" }),
      candidate("a_flag", { percentage: 0, changedDaysAgo: 40, owner: "alpha" }),
      candidate("c_flag", { dueInDays: -3, owner: "mu" }),
    ],
    now,
  );

  it("sorts by age, oldest first by default, and by owner", () => {
    expect(sortStaleFlags(stale, "age").map((f) => [f.key, f.ageDays])).toEqual([
      ["a_flag", 40],
      ["b_flag", 20],
      ["c_flag", 3],
    ]);
    expect(sortStaleFlags(stale, "age", "asc").map((f) => f.key)).toEqual(["c_flag", "b_flag", "a_flag"]);
    expect(sortStaleFlags(stale, "owner").map((f) => f.owner)).toEqual(["alpha", "mu", "zeta"]);
    expect(sortStaleFlags(stale, "owner", "desc").map((f) => f.owner)).toEqual(["zeta", "mu", "alpha"]);
  });

  it("writes one CSV row per flag and escapes formula-like cells", () => {
    const withFormula = findStaleFlags([candidate("evil", { dueInDays: -1, owner: "=HYPERLINK(\"x\")" })], now);
    const csv = staleFlagsCsv("production", [...sortStaleFlags(stale, "owner"), ...withFormula]);
    const lines = csv.trim().split("\n");
    expect(lines[0]).toBe("flag,environment,owner,age_days,reasons,due_date,ticket_status,archived");
    expect(lines[1]).toBe("a_flag,production,alpha,40,at 0% for 40 days (threshold 14),2027-01-21,open,no");
    expect(lines[3]).toBe("b_flag,production,zeta,20,at 0% for 20 days (threshold 14),2027-01-21,open,no");
    expect(lines[4]).toContain(`'=HYPERLINK`);
  });
});
