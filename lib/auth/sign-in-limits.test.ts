import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { rateLimits } from "@/db/schema";
import { getDb } from "@/lib/db/client";
import { accountLimitKey, clearSignInFailures, releaseSignInAttempt, reserveSignInAttempt, retryIn } from "./sign-in-limits";

describe("sign-in failure limits", () => {
  it("holds under concurrent attempts: exactly the limit gets through", async () => {
    const db = await getDb();
    const email = `race-${randomBytes(4).toString("hex")}@example.test`;
    const limit = { window: 900, max: 10 };
    const now = Date.now();
    const outcomes = await Promise.all(Array.from({ length: 25 }, () => reserveSignInAttempt(db, accountLimitKey(email), limit, now)));
    expect(outcomes.filter((o) => o === null)).toHaveLength(10);
    expect(new Set(outcomes.filter((o) => o !== null))).toEqual(new Set([900]));
    const [row] = await db.select().from(rateLimits).where(eq(rateLimits.key, `account:${email}`));
    expect(row.count).toBe(10);
    // After the window a new one starts at 1.
    expect(await reserveSignInAttempt(db, accountLimitKey(email), limit, now + 900_000)).toBeNull();
    const [renewed] = await db.select().from(rateLimits).where(eq(rateLimits.key, `account:${email}`));
    expect(renewed).toMatchObject({ count: 1, lastRequest: now + 1_800_000 });
  });

  it("a released slot is given back, and clearing forgets the account's failures", async () => {
    const db = await getDb();
    const key = accountLimitKey(`release-${randomBytes(4).toString("hex")}@example.test`);
    const limit = { window: 60, max: 2 };
    const now = Date.now();
    expect(await reserveSignInAttempt(db, key, limit, now)).toBeNull();
    expect(await reserveSignInAttempt(db, key, limit, now)).toBeNull();
    expect(await reserveSignInAttempt(db, key, limit, now + 15_000)).toBe(45);
    await releaseSignInAttempt(db, key, now + 15_000);
    const [released] = await db.select().from(rateLimits).where(eq(rateLimits.key, key));
    expect(released.count).toBe(1);
    expect(await reserveSignInAttempt(db, key, limit, now + 15_000)).toBeNull();
    await clearSignInFailures(db, key);
    expect(await db.select().from(rateLimits).where(eq(rateLimits.key, key))).toEqual([]);
  });

  it("says how long to wait in words", () => {
    expect([1, 45, 60, 61, 900].map(retryIn)).toEqual(["1 second", "45 seconds", "1 minute", "2 minutes", "15 minutes"]);
  });
});
