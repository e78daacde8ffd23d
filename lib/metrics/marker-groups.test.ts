import { describe, expect, it } from "vitest";
import { groupByTime } from "./marker-groups";

const MINUTE = 60_000;

describe("groupByTime", () => {
  it("merges a restore and a kill 20 s apart into one group, and keeps a ramp 5 minutes later apart", () => {
    const groups = groupByTime(
      [
        { at: 20 * 1000, label: "killed" },
        { at: 0, label: "restored" },
        { at: 5 * MINUTE, label: "→ 25%" },
      ],
      90_000,
    );
    expect(groups.map((group) => group.map((item) => item.label))).toEqual([["restored", "killed"], ["→ 25%"]]);
  });

  it("anchors on a group's first change, so a chain of changes 1 minute apart splits every 90 s", () => {
    const groups = groupByTime([0, 1, 2, 3, 4].map((minute) => ({ at: minute * MINUTE })), 90_000);
    expect(groups.map((group) => group.map((item) => item.at / MINUTE))).toEqual([[0, 1], [2, 3], [4]]);
    // Group starts are never closer than the gap.
    const starts = groups.map((group) => group[0]!.at);
    for (let i = 1; i < starts.length; i++) expect(starts[i]! - starts[i - 1]!).toBeGreaterThanOrEqual(90_000);
  });

  it("returns no groups for no changes", () => {
    expect(groupByTime([], MINUTE)).toEqual([]);
  });
});
