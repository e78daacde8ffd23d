import { describe, expect, it } from "vitest";
import { countTargetValues, parseTargetValues, planAddTargets, planRemoveTarget } from "./test-tenant-edits";

describe("parseTargetValues", () => {
  it("splits on commas and whitespace and drops repeats", () => {
    expect(parseTargetValues(" t-42, t-43\tt-44 ,,t-42\n")).toEqual(["t-42", "t-43", "t-44"]);
    expect(parseTargetValues(" , ")).toEqual([]);
  });
});

describe("planAddTargets", () => {
  const current = [
    { attribute: "tenant_id", value: true, values: ["t-1"] },
    { attribute: "tenant_id", value: false, values: ["t-2", "t-3"] },
  ];

  it("sends the rule's whole list, old values first", () => {
    expect(planAddTargets(current, { attribute: "tenant_id", value: true, values: ["t-4", "t-1"] })).toEqual({
      targets: [{ attribute: "tenant_id", value: true, values: ["t-1", "t-4"] }],
      moved: [],
      unchanged: ["t-1"],
    });
  });

  it("moves a value forced the other way out of the opposite rule", () => {
    expect(planAddTargets(current, { attribute: "tenant_id", value: true, values: ["t-2"] }).targets).toEqual([
      { attribute: "tenant_id", value: true, values: ["t-1", "t-2"] },
      { attribute: "tenant_id", value: false, values: ["t-3"] },
    ]);
  });

  it("starts a rule for a new attribute and sends nothing when every value is there", () => {
    expect(planAddTargets(current, { attribute: "user_id", value: false, values: ["u-9"] }).targets).toEqual([
      { attribute: "user_id", value: false, values: ["u-9"] },
    ]);
    expect(planAddTargets(current, { attribute: "tenant_id", value: false, values: ["t-3"] }).targets).toEqual([]);
  });
});

describe("planRemoveTarget", () => {
  it("sends the rule without the value, and an empty list for its last value", () => {
    const current = [{ attribute: "tenant_id", value: true, values: ["t-1", "t-2"] }];
    expect(planRemoveTarget(current, { attribute: "tenant_id", value: true, item: "t-1" })).toEqual([{ attribute: "tenant_id", value: true, values: ["t-2"] }]);
    expect(planRemoveTarget([{ attribute: "tenant_id", value: true, values: ["t-1"] }], { attribute: "tenant_id", value: true, item: "t-1" })).toEqual([
      { attribute: "tenant_id", value: true, values: [] },
    ]);
    expect(planRemoveTarget(current, { attribute: "tenant_id", value: false, item: "t-1" })).toEqual([]);
  });
});

describe("countTargetValues", () => {
  it("counts values across rules", () => {
    const targets = [
      { attribute: "tenant_id", value: true, values: ["t-1", "t-2"] },
      { attribute: "user_id", value: false, values: ["u-1"] },
    ];
    expect(countTargetValues(targets)).toBe(3);
  });
});
