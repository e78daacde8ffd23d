import { describe, expect, it } from "vitest";
import { parseInitSdkKeys } from "./first-run";

describe("first-run setup", () => {
  it("names a malformed RAMPART_INIT_SDK_KEYS entry", () => {
    expect(parseInitSdkKeys("production:abcdefghijklmnop, staging:qrstuvwxyz0123456")).toEqual([
      { environment: "production", secret: "abcdefghijklmnop" },
      { environment: "staging", secret: "qrstuvwxyz0123456" },
    ]);
    expect(() => parseInitSdkKeys("production")).toThrow(/"production" must be <environment>:<secret/);
  });
});
