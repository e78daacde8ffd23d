import { describe, expect, it } from "vitest";
import { flagKeyProblem } from "./flag-key";
import { flagKeySchema } from "./schemas";

describe("flagKeyProblem", () => {
  it.each([
    ["orders_total_v2", null],
    ["a".repeat(64), null],
    ["", "A key is required."],
    ["a".repeat(65), "65 characters: at most 64."],
    ["_orders", "Start with a lowercase letter or a digit."],
    ["Not A Key", "Start with a lowercase letter or a digit."],
    ["not A key!", "Not allowed: spaces, “A” (use lowercase), “!”. Use lowercase letters, digits, _ . and -."],
  ])("%j → %j", (key, problem) => {
    expect(flagKeyProblem(key)).toBe(problem);
  });

  it("agrees with the schema on which keys are valid", () => {
    for (const key of ["a", "0.9-x_y", "a".repeat(64), "a".repeat(65), "-a", "aB", "a b", "ä", ""]) {
      expect(flagKeyProblem(key) === null).toBe(flagKeySchema.safeParse(key).success);
    }
  });
});
