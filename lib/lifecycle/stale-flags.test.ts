import { describe, expect, it } from "vitest";
import { daysUntilDue, findStaleFlags, type ListedFlag } from "./stale-flags";

const now = new Date("2025-06-15T12:00:00Z");

function listedFlag(
  key: string,
  options: { percentage?: number; killed?: boolean; updatedAt?: string; dueDate?: string | null; status?: "open" | "done"; archived?: boolean } = {},
): ListedFlag {
  const { percentage = 25, killed = false, updatedAt = "2025-06-14T09:00:00Z", dueDate = "2025-12-01", status = "open" } = options;
  return {
    key,
    name: key,
    description: "",
    owner: "payments",
    createdAt: "2025-01-01T00:00:00.000Z",
    archivedAt: options.archived ? "2025-06-01T00:00:00.000Z" : null,
    state: {
      default: false,
      percentage,
      rollout: { by: "user_id" },
      contexts: {},
      killed,
      percentageBeforeKill: killed ? 50 : null,
      version: 3,
      updatedAt,
      updatedBy: "anonymous",
    },
    removalTicket:
      dueDate === null
        ? null
        : {
            owner: "payments",
            triggerCondition: "legacy path at zero for 7 days",
            dueDate: `${dueDate}T00:00:00.000Z`,
            contraction: null,
            status,
            link: null,
            createdAt: "2025-01-01T00:00:00.000Z",
            updatedAt: "2025-01-01T00:00:00.000Z",
          },
  };
}

describe("daysUntilDue", () => {
  it("counts whole UTC days, zero on the due day and negative after it", () => {
    expect(daysUntilDue("2025-06-15T00:00:00.000Z", now)).toBe(0);
    expect(daysUntilDue("2025-06-29T00:00:00.000Z", now)).toBe(14);
    expect(daysUntilDue("2025-06-10T00:00:00.000Z", now)).toBe(-5);
  });
});

describe("findStaleFlags", () => {
  it("lists overdue and soon-due removal tickets, with the days in the reason", () => {
    const stale = findStaleFlags(
      [
        listedFlag("due_in_15_days", { dueDate: "2025-06-30" }),
        listedFlag("due_in_14_days", { dueDate: "2025-06-29" }),
        listedFlag("due_today", { dueDate: "2025-06-15" }),
        listedFlag("overdue_5_days", { dueDate: "2025-06-10" }),
      ],
      now,
    );
    expect(stale.map((s) => [s.flag.key, s.overdue, s.reasons])).toEqual([
      ["overdue_5_days", true, [{ kind: "removal_overdue", days: 5 }]],
      ["due_today", false, [{ kind: "removal_due_soon", days: 0 }]],
      ["due_in_14_days", false, [{ kind: "removal_due_soon", days: 14 }]],
    ]);
  });

  it("lists flags left at 0% or 100% for 30 days or more, but not mid-ramp ones", () => {
    const stale = findStaleFlags(
      [
        listedFlag("full_45_days", { percentage: 100, updatedAt: "2025-05-01T12:00:00Z" }),
        listedFlag("full_29_days", { percentage: 100, updatedAt: "2025-05-17T12:00:00Z" }),
        listedFlag("killed_31_days", { percentage: 0, killed: true, updatedAt: "2025-05-15T12:00:00Z" }),
        listedFlag("ramping_60_days", { percentage: 25, updatedAt: "2025-04-16T12:00:00Z" }),
        listedFlag("archived_full", { percentage: 100, updatedAt: "2025-01-01T12:00:00Z", archived: true }),
      ],
      now,
    );
    expect(stale.map((s) => [s.flag.key, s.reasons])).toEqual([
      ["full_45_days", [{ kind: "idle", days: 45, percentage: 100, killed: false }]],
      ["killed_31_days", [{ kind: "idle", days: 31, percentage: 0, killed: true }]],
    ]);
  });

  it("ignores done tickets, keeps both reasons and sorts flags without an open ticket last", () => {
    const stale = findStaleFlags(
      [
        listedFlag("no_ticket", { percentage: 100, updatedAt: "2025-04-01T00:00:00Z", dueDate: null }),
        listedFlag("done_ticket", { dueDate: "2025-05-01", status: "done" }),
        listedFlag("overdue_and_idle", { percentage: 100, updatedAt: "2025-04-15T12:00:00Z", dueDate: "2025-06-01" }),
        listedFlag("due_soon", { dueDate: "2025-06-20" }),
      ],
      now,
    );
    expect(stale.map((s) => s.flag.key)).toEqual(["overdue_and_idle", "due_soon", "no_ticket"]);
    expect(stale[0].reasons).toEqual([
      { kind: "removal_overdue", days: 14 },
      { kind: "idle", days: 61, percentage: 100, killed: false },
    ]);
    expect(stale[2].reasons).toEqual([{ kind: "idle", days: 75, percentage: 100, killed: false }]);
  });

  it("returns nothing for healthy flags", () => {
    expect(findStaleFlags([listedFlag("healthy")], now)).toEqual([]);
  });
});
