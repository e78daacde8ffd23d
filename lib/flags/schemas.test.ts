import { describe, expect, it } from "vitest";
import { percentageToBasisPoints } from "@rampart/sdk";
import { flagKeySchema, flagStatePatchSchema, percentageSchema } from "./schemas";

describe("percentageSchema", () => {
  it.each([0, 0.01, 0.29, 1, 12.5, 33.33, 99.99, 100])("accepts %s and maps it exactly onto basis points", (p) => {
    expect(percentageSchema.safeParse(p).success).toBe(true);
    expect(percentageToBasisPoints(p) / 100).toBe(p);
  });

  it.each([-0.01, 100.01, 1.005, 12.345, Number.NaN, Number.POSITIVE_INFINITY])("refuses %s", (p) => {
    expect(percentageSchema.safeParse(p).success).toBe(false);
  });
});

describe("flagKeySchema", () => {
  it.each(["schema_v2", "enable_orders_v2_total", "a", "0.checkout-v3", "a".repeat(64)])("accepts %s", (key) => {
    expect(flagKeySchema.safeParse(key).success).toBe(true);
  });

  it.each(["", "Schema_v2", "_x", "-x", ".x", "a b", "a/b", "a".repeat(65)])("refuses %j", (key) => {
    expect(flagKeySchema.safeParse(key).success).toBe(false);
  });
});

describe("flagStatePatchSchema", () => {
  it("takes the seed's flag config shape", () => {
    const parsed = flagStatePatchSchema.parse({
      default: false,
      percentage: 1,
      rollout: { by: "user_id" },
      contexts: { batch_processor: false },
    });
    expect(parsed).toEqual({ default: false, percentage: 1, rollout: { by: "user_id" }, contexts: { batch_processor: false } });
  });

  it("refuses a patch that changes nothing", () => {
    expect(flagStatePatchSchema.safeParse({ reason: "why not" }).success).toBe(false);
  });
});
