import { randomUUID } from "node:crypto";
import { and, eq, gt, or, sql } from "drizzle-orm";
import { rateLimits } from "@/db/schema";
import type { Db } from "@/lib/db/client";

export type SignInLimit = { window: number; max: number };

/** Failed sign-ins per client address per minute; RAMPART_LOGIN_ATTEMPTS_PER_MINUTE overrides. */
export function addressLoginLimit(env: Record<string, string | undefined> = process.env): SignInLimit {
  return { window: 60, max: Number(env.RAMPART_LOGIN_ATTEMPTS_PER_MINUTE) || 5 };
}

/** Failed sign-ins per account (email) per 15 minutes, from any address; RAMPART_LOGIN_ATTEMPTS_PER_ACCOUNT overrides. */
export function accountLoginLimit(env: Record<string, string | undefined> = process.env): SignInLimit {
  return { window: 15 * 60, max: Number(env.RAMPART_LOGIN_ATTEMPTS_PER_ACCOUNT) || 10 };
}

export const addressLimitKey = (address: string | null) => `signin-address:${address ?? "unknown"}`;
export const accountLimitKey = (email: string) => `account:${email.trim().toLowerCase().slice(0, 320)}`;

/**
 * Reserves one failure against a key in the shared rate_limits table before the password is
 * checked; returns null when allowed, else the seconds until the window ends. Reserving first (one
 * conditional upsert) keeps concurrent guesses on any instance from all slipping under the limit;
 * an attempt that turns out not to be a failure gives its slot back (releaseSignInAttempt).
 */
export async function reserveSignInAttempt(db: Db, key: string, limit: SignInLimit, now: number): Promise<number | null> {
  // last_request holds when the window ends, not when it began: better-auth prunes rows whose
  // last_request is older than its own longest window (a minute), which would reset ours early.
  const endsAt = now + limit.window * 1000;
  const expired = sql`${rateLimits.lastRequest} <= ${now}`;
  const [counted] = await db
    .insert(rateLimits)
    .values({ id: randomUUID(), key, count: 1, lastRequest: endsAt })
    .onConflictDoUpdate({
      target: rateLimits.key,
      set: {
        count: sql`case when ${expired} then 1 else ${rateLimits.count} + 1 end`,
        lastRequest: sql`case when ${expired} then ${endsAt} else ${rateLimits.lastRequest} end`,
      },
      setWhere: or(expired, sql`${rateLimits.count} < ${limit.max}`),
    })
    .returning({ count: rateLimits.count });
  if (counted) return null;
  const [window] = await db.select({ endsAt: rateLimits.lastRequest }).from(rateLimits).where(eq(rateLimits.key, key));
  return Math.max(1, Math.ceil(((window?.endsAt ?? endsAt) - now) / 1000));
}

/** Gives back a slot reserved for an attempt that was not a failure (it succeeded, or never checked a password). */
export async function releaseSignInAttempt(db: Db, key: string, now: number): Promise<void> {
  await db
    .update(rateLimits)
    .set({ count: sql`greatest(${rateLimits.count} - 1, 0)` })
    .where(and(eq(rateLimits.key, key), gt(rateLimits.lastRequest, now)));
}

/** A correct password for the account proves its owner is at the keyboard: earlier failures are forgiven. */
export async function clearSignInFailures(db: Db, key: string): Promise<void> {
  await db.delete(rateLimits).where(eq(rateLimits.key, key));
}

/** "Try again in 45 seconds" / "in 12 minutes", for the 429 message the sign-in page shows. */
export function retryIn(seconds: number): string {
  if (seconds < 60) return `${seconds} second${seconds === 1 ? "" : "s"}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? "" : "s"}`;
}
