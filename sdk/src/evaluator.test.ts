import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bucketOf, evaluate, prepareTargets, preparedTargetsOf, type Evaluation } from "./evaluator";
import { FlagStore } from "./flag-store";
import type { FlagState, FlagTarget } from "./flag-state";
import { EVALUATION_REASONS } from "./protocol";

function flagState(overrides: Partial<FlagState> = {}): FlagState {
  return {
    key: "schema_v2",
    default: false,
    percentage: 25,
    rollout: { by: "user_id" },
    contexts: {},
    killed: false,
    version: 1,
    ...overrides,
  };
}

/** A state the type system would reject, as a broken snapshot might deliver it. */
const malformed = (state: unknown) => state as FlagState;

const userIds = (count: number) => Array.from({ length: count }, (_, i) => `user-${i}`);

function usersOn(state: FlagState, ids: string[]): Set<string> {
  return new Set(ids.filter((id) => evaluate(state, { user_id: id }).value));
}

describe("evaluate: rule 1, fallback", () => {
  it("answers the caller's fallback when the flag is unknown", () => {
    expect(evaluate(undefined, { user_id: "user-1" })).toEqual({ value: false, reason: "fallback" });
    expect(evaluate(undefined, { user_id: "user-1" }, true)).toEqual({ value: true, reason: "fallback" });
  });

  it.each([
    ["null state", null],
    ["a number", 42],
    ["missing rollout", { ...flagState(), rollout: undefined }],
    ["rollout.by not a string", flagState({ rollout: { by: 7 as unknown as string } })],
    ["NaN percentage", flagState({ percentage: Number.NaN })],
    ["percentage over 100", flagState({ percentage: 150 })],
    ["negative percentage", flagState({ percentage: -1 })],
    ["percentage as a string", { ...flagState(), percentage: "50" }],
    ["killed not a boolean", { ...flagState(), killed: "no" }],
    ["default missing", { ...flagState(), default: undefined }],
    ["contexts null", { ...flagState(), contexts: null }],
    ["no salt and no key", { ...flagState(), key: undefined }],
    ["salt not a string", flagState({ rollout: { by: "user_id", salt: 5 as unknown as string } })],
    ["targets not an array", { ...flagState(), targets: { attribute: "tenant_id", values: ["t-1"], value: true } }],
    ["targets null", { ...flagState(), targets: null }],
    ["targets an empty string", { ...flagState(), targets: "" }],
    ["a target that is null", { ...flagState(), targets: [null] }],
    ["a target without an attribute", { ...flagState(), targets: [{ values: ["t-1"], value: true }] }],
    ["a target whose values are not an array", { ...flagState(), targets: [{ attribute: "tenant_id", values: "t-1", value: true }] }],
    ["a target with a non-string value", { ...flagState(), targets: [{ attribute: "tenant_id", values: ["t-1", 42], value: true }] }],
    ["a target whose value is not a boolean", { ...flagState(), targets: [{ attribute: "tenant_id", values: ["t-1"], value: "true" }] }],
  ])("answers the fallback for a malformed state: %s", (_name, state) => {
    expect(evaluate(malformed(state), { user_id: "user-1" }, true)).toEqual({ value: true, reason: "fallback" });
    expect(evaluate(malformed(state), { user_id: "user-1" }, false)).toEqual({ value: false, reason: "fallback" });
  });

  it("answers the fallback when a pinned value is not a boolean", () => {
    const state = flagState({ contexts: { batch: "yes" as unknown as boolean } });
    expect(evaluate(state, { kind: "batch", user_id: "user-1" }, true)).toEqual({ value: true, reason: "fallback" });
  });
});

describe("evaluate: rule 2, kill switch", () => {
  it("answers false when killed, whatever the percentage, default, pins or fallback", () => {
    const state = flagState({ killed: true, percentage: 100, default: true, contexts: { batch: true } });
    expect(evaluate(state, { user_id: "user-1" }, true)).toEqual({ value: false, reason: "killed" });
    expect(evaluate(state, { kind: "batch", user_id: "user-1" }, true)).toEqual({ value: false, reason: "killed" });
    expect(evaluate(state, null, true)).toEqual({ value: false, reason: "killed" });
  });

  it("works even when the rest of the state is malformed", () => {
    expect(evaluate(malformed({ killed: true }), { user_id: "user-1" }, true)).toEqual({ value: false, reason: "killed" });
  });

  it("brings back exactly the same users when killed and restored", () => {
    const ids = userIds(10_000);
    const live = flagState({ percentage: 25 });
    const before = usersOn(live, ids);
    expect(usersOn({ ...live, killed: true }, ids).size).toBe(0);
    const after = usersOn({ ...live, killed: false }, ids);
    expect(before.size).toBeGreaterThan(2_000);
    expect(after).toEqual(before);
  });
});

describe("evaluate: rule 3, pinned context kinds", () => {
  const state = flagState({ percentage: 100, contexts: { batch_processor: false, canary: true } });

  it("answers the pinned value for a pinned kind, before any rollout", () => {
    expect(evaluate(state, { kind: "batch_processor", user_id: "user-1" })).toEqual({ value: false, reason: "pinned" });
    expect(evaluate({ ...state, percentage: 0 }, { kind: "canary" })).toEqual({ value: true, reason: "pinned" });
  });

  it("ignores kinds that are not own keys of contexts, and kinds that are not strings", () => {
    expect(evaluate(state, { kind: "web", user_id: "user-1" })).toEqual({ value: true, reason: "rollout" });
    expect(evaluate(state, { kind: "constructor", user_id: "user-1" })).toEqual({ value: true, reason: "rollout" });
    expect(evaluate(state, { kind: "__proto__", user_id: "user-1" })).toEqual({ value: true, reason: "rollout" });
    expect(evaluate(state, { kind: ["canary"], user_id: "user-1" })).toEqual({ value: true, reason: "rollout" });
  });
});

describe("evaluate: targets", () => {
  const tenant = (values: string[], value = true): FlagTarget => ({ attribute: "tenant_id", values, value });
  // user-1's bucket is 8820, so it is off below 88.21 % and on above.
  const off = { user_id: "user-1", tenant_id: "t-42" };

  it("forces a listed value on, before the rollout, at 0 %", () => {
    const state = flagState({ percentage: 0, targets: [tenant(["t-1", "t-42"])] });
    expect(evaluate(state, off)).toEqual({ value: true, reason: "targeted" });
    expect(evaluate(state, { ...off, tenant_id: "t-7" })).toEqual({ value: false, reason: "rollout" });
  });

  it("forces a listed value off at 100 %", () => {
    const state = flagState({ percentage: 100, targets: [tenant(["t-42"], false)] });
    expect(evaluate(state, off)).toEqual({ value: false, reason: "targeted" });
    expect(evaluate(state, { ...off, tenant_id: "t-7" })).toEqual({ value: true, reason: "rollout" });
  });

  it("loses to a kill and to a pin", () => {
    const state = flagState({ percentage: 0, contexts: { batch: false }, targets: [tenant(["t-42"])] });
    expect(evaluate({ ...state, killed: true }, off, true)).toEqual({ value: false, reason: "killed" });
    expect(evaluate(state, { ...off, kind: "batch" })).toEqual({ value: false, reason: "pinned" });
    expect(evaluate(state, { ...off, kind: "web" })).toEqual({ value: true, reason: "targeted" });
  });

  it("turns a targeted user in the 0 % bucket off again when a new state no longer lists them", () => {
    const listed = flagState({ percentage: 0, version: 1, targets: [tenant(["t-42"])] });
    expect(evaluate(listed, off)).toEqual({ value: true, reason: "targeted" });
    const unlisted = flagState({ percentage: 0, version: 2, targets: [tenant(["t-1"])] });
    expect(evaluate(unlisted, off)).toEqual({ value: false, reason: "rollout" });
    expect(evaluate(flagState({ percentage: 0, version: 3, targets: [] }), off)).toEqual({ value: false, reason: "rollout" });
  });

  it("applies to contexts without the rollout attribute, which are otherwise unkeyed", () => {
    const state = flagState({ default: false, targets: [tenant(["t-42"])] });
    expect(evaluate(state, { tenant_id: "t-42" })).toEqual({ value: true, reason: "targeted" });
    expect(evaluate(state, { tenant_id: "t-7" })).toEqual({ value: false, reason: "unkeyed" });
    expect(evaluate(state, null)).toEqual({ value: false, reason: "unkeyed" });
  });

  it("matches a finite number as String(n), and never an empty string, NaN or a non-own attribute", () => {
    const state = flagState({ percentage: 0, targets: [{ attribute: "account", values: ["42", "", "NaN", "[object Object]"], value: true }] });
    expect(evaluate(state, { account: 42 })).toEqual({ value: true, reason: "targeted" });
    expect(evaluate(state, { account: "42" })).toEqual({ value: true, reason: "targeted" });
    for (const account of ["", Number.NaN, {}, true, null]) expect(evaluate(state, { account }).reason).toBe("unkeyed");
    expect(evaluate(state, Object.create({ account: "42" }) as object).reason).toBe("unkeyed");
  });

  it("is not fooled by attributes or values named like Object.prototype's keys", () => {
    const state = flagState({ percentage: 0, targets: [{ attribute: "__proto__", values: ["[object Object]"], value: true }, { attribute: "constructor", values: ["function Object() { [native code] }"], value: true }] });
    expect(evaluate(state, { user_id: "user-1" })).toEqual({ value: false, reason: "rollout" });
    const byTenant = flagState({ percentage: 0, targets: [tenant(["t-42"])] });
    for (const tenantId of ["__proto__", "constructor", "toString", "hasOwnProperty"]) {
      expect(evaluate(byTenant, { user_id: "user-1", tenant_id: tenantId })).toEqual({ value: false, reason: "rollout" });
    }
  });

  it("answers the first matching rule in list order, whatever attribute it names", () => {
    const state = flagState({
      percentage: 50,
      targets: [tenant(["t-42"], false), { attribute: "user_id", values: ["user-1"], value: true }, tenant(["t-42", "t-7"], true)],
    });
    expect(evaluate(state, { user_id: "user-1", tenant_id: "t-42" })).toEqual({ value: false, reason: "targeted" });
    expect(evaluate(state, { user_id: "user-1", tenant_id: "t-7" })).toEqual({ value: true, reason: "targeted" });
    expect(evaluate(state, { user_id: "user-2", tenant_id: "t-7" })).toEqual({ value: true, reason: "targeted" });
    const userFirst = flagState({ targets: [{ attribute: "user_id", values: ["user-1"], value: true }, tenant(["t-42"], false)] });
    expect(evaluate(userFirst, { user_id: "user-1", tenant_id: "t-42" })).toEqual({ value: true, reason: "targeted" });
  });

  it("prepares a state's target lookup once and reuses it for every evaluation", () => {
    const values = Array.from({ length: 1_000 }, (_, i) => `t-${i}`);
    const state = flagState({ percentage: 0, targets: [tenant(values)] });
    expect(preparedTargetsOf(state)).toBeUndefined();
    prepareTargets(state);
    const prepared = preparedTargetsOf(state);
    expect(prepared?.groups[0]?.rules.size).toBe(1_000);
    for (const value of values) expect(evaluate(state, { user_id: "user-1", tenant_id: value }).reason).toBe("targeted");
    expect(evaluate(state, { user_id: "user-1", tenant_id: "t-1000" })).toEqual({ value: false, reason: "rollout" });
    expect(preparedTargetsOf(state)).toBe(prepared);
    // A copy of the state shares the list, and with it the lookup.
    expect(evaluate({ ...state, percentage: 100 }, { user_id: "user-1", tenant_id: "t-999" }).reason).toBe("targeted");
    expect(preparedTargetsOf({ ...state })).toBe(prepared);
  });

  it("prepares lazily on first evaluation, and marks a malformed list once", () => {
    const lazy = flagState({ targets: [tenant(["t-42"])] });
    evaluate(lazy, off);
    const prepared = preparedTargetsOf(lazy);
    expect(prepared).toBeDefined();
    evaluate(lazy, off);
    expect(preparedTargetsOf(lazy)).toBe(prepared);
    const broken = malformed({ ...flagState(), targets: [{ attribute: "tenant_id", values: [7], value: true }] });
    expect(evaluate(broken, off, true)).toEqual({ value: true, reason: "fallback" });
    expect(preparedTargetsOf(broken)).toBeNull();
  });

  it("is prepared by FlagStore as a state arrives", () => {
    const store = new FlagStore();
    const state = flagState({ targets: [tenant(["t-42"])] });
    store.applySnapshot({ environment: "test", cursor: 1, flags: [state, flagState({ key: "plain" })] }, "control-plane");
    expect(preparedTargetsOf(state)).toBeDefined();
    const next = flagState({ version: 2, targets: [tenant(["t-43"])] });
    store.applyChange({ type: "flag", seq: 2, flag: next });
    expect(preparedTargetsOf(next)).toBeDefined();
    // An older version is not stored, so not prepared either.
    const stale = flagState({ version: 1, targets: [tenant(["t-44"])] });
    store.applyChange({ type: "flag", seq: 3, flag: stale });
    expect(preparedTargetsOf(stale)).toBeUndefined();
  });
});

describe("evaluate: rule 4, unkeyed", () => {
  it.each([
    ["no attribute", { kind: "user" }],
    ["an empty string", { user_id: "" }],
    ["NaN", { user_id: Number.NaN }],
    ["Infinity", { user_id: Number.POSITIVE_INFINITY }],
    ["a boolean", { user_id: true }],
    ["an object", { user_id: { id: "user-1" } }],
    ["null", { user_id: null }],
    ["a context that is null", null],
    ["a context that is a number", 42],
    ["a context that is a string", "user-1"],
    ["a context that is an array", []],
  ])("answers the default for %s", (_name, context) => {
    expect(evaluate(flagState({ percentage: 100, default: false }), context, true)).toEqual({ value: false, reason: "unkeyed" });
    expect(evaluate(flagState({ percentage: 0, default: true }), context)).toEqual({ value: true, reason: "unkeyed" });
  });
});

describe("evaluate: rule 5, rollout", () => {
  it("is on iff bucketOf(salt, value) < percentage × 100, salt defaulting to the key", () => {
    const bucket = bucketOf("schema_v2", "user-1");
    expect(bucket).toBe(8820); // also in sdk/test-vectors.json
    expect(evaluate(flagState({ percentage: 88.2 }), { user_id: "user-1" })).toEqual({ value: false, reason: "rollout" });
    expect(evaluate(flagState({ percentage: 88.21 }), { user_id: "user-1" })).toEqual({ value: true, reason: "rollout" });
  });

  it("uses rollout.salt instead of the key when set, and the attribute named by rollout.by", () => {
    const bucket = bucketOf("orders-total-2026", "acct-9");
    const state = flagState({ rollout: { by: "account", salt: "orders-total-2026" } });
    expect(evaluate({ ...state, percentage: bucket / 100 }, { account: "acct-9", user_id: "x" }).value).toBe(false);
    expect(evaluate({ ...state, percentage: (bucket + 1) / 100 }, { account: "acct-9", user_id: "x" }).value).toBe(true);
  });

  it("buckets a finite number as String(n)", () => {
    for (const percentage of [0, 10, 50, 90, 100]) {
      const state = flagState({ percentage });
      expect(evaluate(state, { user_id: 12345 })).toEqual(evaluate(state, { user_id: "12345" }));
    }
    expect(bucketOf("schema_v2", String(12345))).toBe(bucketOf("schema_v2", "12345"));
  });

  it("turns nobody on at 0 % and everybody on at 100 %", () => {
    const ids = userIds(2_000);
    expect(usersOn(flagState({ percentage: 0 }), ids).size).toBe(0);
    expect(usersOn(flagState({ percentage: 100 }), ids).size).toBe(ids.length);
  });

  it.each([1, 25, 50])("turns %i % of 100,000 users on, within ±0.5 points", (percentage) => {
    const on = usersOn(flagState({ percentage }), userIds(100_000)).size;
    expect(Math.abs((100 * on) / 100_000 - percentage)).toBeLessThanOrEqual(0.5);
  });

  it("keeps a user on one path across repeated evaluations", () => {
    const state = flagState({ percentage: 50 });
    for (const id of userIds(1_000)) {
      const first = evaluate(state, { user_id: id });
      for (let repeat = 0; repeat < 5; repeat++) {
        expect(evaluate({ ...state }, { user_id: id, request: repeat })).toBe(first);
      }
    }
  });

  it("never moves anyone from on back to off when the percentage rises", () => {
    const basisPoints = fc.integer({ min: 0, max: 10_000 });
    fc.assert(
      fc.property(fc.string(), fc.string({ minLength: 1 }), basisPoints, basisPoints, (salt, value, a, b) => {
        const [p, q] = a <= b ? [a / 100, b / 100] : [b / 100, a / 100];
        const state = flagState({ rollout: { by: "user_id", salt } });
        const atP = evaluate({ ...state, percentage: p }, { user_id: value });
        const atQ = evaluate({ ...state, percentage: q }, { user_id: value });
        expect(atP.reason).toBe("rollout");
        if (atP.value) expect(atQ.value).toBe(true);
      }),
      { numRuns: 5_000 },
    );
  });
});

describe("evaluate never throws", () => {
  const throwingProxy = new Proxy({}, {
    get() { throw new Error("boom"); },
    has() { throw new Error("boom"); },
    ownKeys() { throw new Error("boom"); },
  });
  const throwingGetter = Object.defineProperty({}, "user_id", { get() { throw new Error("boom"); } });
  const isEvaluation = (result: Evaluation) => typeof result.value === "boolean" && EVALUATION_REASONS.includes(result.reason);

  it("answers the fallback for a context whose reads throw", () => {
    expect(evaluate(flagState(), throwingProxy, true)).toEqual({ value: true, reason: "fallback" });
    expect(evaluate(flagState(), throwingGetter, true)).toEqual({ value: true, reason: "fallback" });
  });

  it("answers the fallback for a state whose reads throw", () => {
    expect(evaluate(throwingProxy as FlagState, { user_id: "user-1" }, true)).toEqual({ value: true, reason: "fallback" });
  });

  it("buckets a 1 MB string value", () => {
    const huge = "x".repeat(1 << 20);
    const result = evaluate(flagState({ percentage: 50 }), { user_id: huge });
    expect(result).toEqual({ value: bucketOf("schema_v2", huge) < 5_000, reason: "rollout" });
  });

  it("answers an evaluation for any garbage state, context and fallback", () => {
    const garbage = [null, undefined, 42, "str", [], {}, Number.NaN, throwingProxy, throwingGetter, () => 1, Symbol("s")];
    const states = [...garbage, flagState({ percentage: Number.NaN }), { ...flagState(), rollout: undefined }];
    for (const state of states) {
      for (const context of [...garbage, { user_id: "user-1" }, { kind: "batch" }]) {
        for (const fallback of [true, false, undefined, "yes" as unknown as boolean]) {
          expect(isEvaluation(evaluate(malformed(state), context, fallback))).toBe(true);
        }
      }
    }
  });
});
