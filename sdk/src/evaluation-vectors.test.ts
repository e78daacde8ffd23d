import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { evaluate } from "./evaluator";
import type { FlagState } from "./flag-state";
import { EVALUATION_REASONS, type EvaluationReason } from "./protocol";

// sdk/evaluation-vectors.json is published for SDKs in other languages; this one must pass it too.
interface EvaluationCase {
  name: string;
  state: FlagState | null;
  context: Record<string, unknown> | null;
  fallback?: boolean;
  expected: { value: boolean; reason: EvaluationReason };
}

const file = path.resolve(import.meta.dirname, "../evaluation-vectors.json");
const { description, cases } = JSON.parse(readFileSync(file, "utf8")) as { description: string; cases: EvaluationCase[] };

describe("sdk/evaluation-vectors.json", () => {
  it("describes itself and has distinctly named cases", () => {
    expect(description).toMatch(/targeted/);
    expect(cases.length).toBeGreaterThanOrEqual(25);
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
  });

  it.each(cases.map((c) => [c.name, c] as const))("%s", (_name, { state, context, fallback, expected }) => {
    // A fresh parse per case, so no case reuses a target lookup another one prepared.
    const fresh = JSON.parse(JSON.stringify(state)) as FlagState | null;
    expect(evaluate(fresh ?? undefined, context, fallback)).toEqual(expected);
  });

  it("covers every reason, with both values where a reason can give both", () => {
    const seen = new Set(cases.map(({ expected }) => `${expected.reason} ${expected.value}`));
    for (const reason of EVALUATION_REASONS) {
      expect(seen, reason).toContain(`${reason} false`);
      if (reason !== "killed") expect(seen, reason).toContain(`${reason} true`);
    }
  });
});
