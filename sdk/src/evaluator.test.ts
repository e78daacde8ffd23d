import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bucketOf, evaluate, type Evaluation } from "./evaluator";
import type { FlagState } from "./flag-state";

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
  const isEvaluation = (result: Evaluation) =>
    typeof result.value === "boolean" && ["rollout", "pinned", "unkeyed", "killed", "fallback"].includes(result.reason);

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
