import { describe, expect, it } from "vitest";
import { rememberedSdkKey, rememberSdkKey, SDK_KEY_CACHE_TTL_MS } from "./sdk-key-cache";

describe("SDK keys remembered between requests", () => {
  it("are forgotten after the TTL, so a key revoked on another instance stops working within it", async () => {
    const actor = { kind: "sdk" as const, name: "sdk-key:elsewhere", role: null, environment: "production" };
    rememberSdkKey("hash-of-elsewhere", actor, 1_000);
    expect(rememberedSdkKey("hash-of-elsewhere", 1_000 + SDK_KEY_CACHE_TTL_MS - 1)).toEqual(actor);
    expect(rememberedSdkKey("hash-of-elsewhere", 1_000 + SDK_KEY_CACHE_TTL_MS)).toBeUndefined();
  });
});
