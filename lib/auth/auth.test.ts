import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { rateLimits } from "@/db/schema";
import { getDb } from "@/lib/db/client";
import { consumeAccountAttempt } from "./auth";

describe("the sign-in limit per account", () => {
  it("holds under concurrent attempts: exactly the limit gets through", async () => {
    const db = await getDb();
    const email = `race-${randomBytes(4).toString("hex")}@example.test`;
    const limit = { window: 900, max: 10 };
    const now = Date.now();
    const outcomes = await Promise.all(Array.from({ length: 25 }, () => consumeAccountAttempt(db, email, limit, now)));
    expect(outcomes.filter((o) => o === null)).toHaveLength(10);
    expect(new Set(outcomes.filter((o) => o !== null))).toEqual(new Set([900]));
    const [row] = await db.select().from(rateLimits).where(eq(rateLimits.key, `account:${email}`));
    expect(row.count).toBe(10);
    // After the window a new one starts at 1.
    expect(await consumeAccountAttempt(db, email, limit, now + 900_000)).toBeNull();
    const [renewed] = await db.select().from(rateLimits).where(eq(rateLimits.key, `account:${email}`));
    expect(renewed).toMatchObject({ count: 1, lastRequest: now + 1_800_000 });
  });
});
