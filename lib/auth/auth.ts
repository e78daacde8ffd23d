import { randomUUID } from "node:crypto";
import { betterAuth } from "better-auth";
import { drizzleAdapter } from "better-auth/adapters/drizzle";
import { APIError, createAuthMiddleware } from "better-auth/api";
import { genericOAuth } from "better-auth/plugins/generic-oauth";
import { eq, or, sql } from "drizzle-orm";
import { accounts, rateLimits, sessions, users, verifications } from "@/db/schema";
import { getDb, type Db } from "@/lib/db/client";
import { OIDC_PROVIDER_ID } from "./oidc-provider";
import { CLIENT_ADDRESS_HEADER, withResolvedClientAddress } from "./trusted-proxies";
import { sessionSecret } from "@/lib/settings/app-settings";

/** Sign-in attempts per client address per minute; RAMPART_LOGIN_ATTEMPTS_PER_MINUTE overrides. */
export const LOGIN_RATE_LIMIT = { window: 60, max: Number(process.env.RAMPART_LOGIN_ATTEMPTS_PER_MINUTE) || 5 };

/** Sign-in attempts per account (email) per 15 minutes, from any address; read at each attempt. */
export function accountLoginLimit(env: Record<string, string | undefined> = process.env) {
  return { window: 15 * 60, max: Number(env.RAMPART_LOGIN_ATTEMPTS_PER_ACCOUNT) || 10 };
}

/** Single sign-on through any OpenID Connect issuer, when RAMPART_OIDC_* are set. */
export function oidcSettings(env: Record<string, string | undefined> = process.env) {
  const issuer = env.RAMPART_OIDC_ISSUER;
  const clientId = env.RAMPART_OIDC_CLIENT_ID;
  if (!issuer || !clientId) return null;
  return { issuer: issuer.replace(/\/$/, ""), clientId, clientSecret: env.RAMPART_OIDC_CLIENT_SECRET, name: env.RAMPART_OIDC_NAME || "SSO" };
}

/** Exported for tests that need an instance with other settings; the app uses getAuth(). */
export async function buildAuth(db: Db, env: Record<string, string | undefined> = process.env) {
  const oidc = oidcSettings(env);
  return betterAuth({
    appName: "Rampart",
    secret: await sessionSecret(db),
    // Behind a proxy set RAMPART_URL; otherwise the URL is the Host the browser used.
    baseURL: process.env.RAMPART_URL || {
      allowedHosts: ["*"],
      protocol: "auto",
      fallback: `http://localhost:${process.env.PORT ?? 3000}`,
    },
    telemetry: { enabled: false },
    database: drizzleAdapter(db, {
      provider: "pg",
      schema: { user: users, session: sessions, account: accounts, verification: verifications, rateLimit: rateLimits },
    }),
    // Accounts are made by admins (lib/users), never by signing up.
    emailAndPassword: { enabled: true, disableSignUp: true, minPasswordLength: 10 },
    user: {
      additionalFields: {
        role: { type: "string", input: false, defaultValue: "viewer" },
        disabled: { type: "boolean", input: false, defaultValue: false },
      },
    },
    // The database store is shared by every instance, so the login limit holds across them.
    rateLimit: {
      enabled: true,
      storage: "database",
      customRules: { "/sign-in/email": LOGIN_RATE_LIMIT },
    },
    // Runs after the per-address limit, so attempts refused there do not use up the account's.
    hooks: {
      before: createAuthMiddleware(async (ctx) => {
        if (ctx.path !== "/sign-in/email" || typeof ctx.body?.email !== "string") return;
        const limit = accountLoginLimit();
        const retryAfter = await consumeAccountAttempt(db, ctx.body.email, limit, Date.now());
        if (retryAfter === null) return;
        const minutes = Math.ceil(retryAfter / 60);
        throw new APIError(
          "TOO_MANY_REQUESTS",
          {
            code: "TOO_MANY_ACCOUNT_ATTEMPTS",
            message: `Too many sign-in attempts for this account. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`,
          },
          { "Retry-After": String(retryAfter), "X-Retry-After": String(retryAfter) },
        );
      }),
    },
    advanced: {
      defaultCookieAttributes: { sameSite: "lax", httpOnly: true },
      // Only handleAuthRequest sets this header, from X-Forwarded-For as RAMPART_TRUSTED_PROXIES
      // allows (lib/auth/trusted-proxies.ts); without it every client shares one limit.
      ipAddress: { ipAddressHeaders: [CLIENT_ADDRESS_HEADER] },
    },
    // SSO signs in people an admin has already added (matched by email); it never creates users,
    // so every account has a role an admin chose and a user.created audit event.
    // The admin typed the email and the configured issuer vouches for it, so no local verification.
    account: {
      accountLinking: { enabled: true, trustedProviders: [OIDC_PROVIDER_ID], requireLocalEmailVerified: false },
    },
    plugins: oidc
      ? [
          genericOAuth({
            config: [
              {
                providerId: OIDC_PROVIDER_ID,
                name: oidc.name,
                discoveryUrl: `${oidc.issuer}/.well-known/openid-configuration`,
                clientId: oidc.clientId,
                clientSecret: oidc.clientSecret,
                scopes: ["openid", "email", "profile"],
                pkce: true,
                disableSignUp: true,
              },
            ],
          }),
        ]
      : [],
    databaseHooks: {
      session: {
        create: {
          before: async (session) => {
            const [user] = await db.select({ disabled: users.disabled }).from(users).where(eq(users.id, session.userId));
            if (!user || user.disabled) {
              throw new APIError("FORBIDDEN", { message: "This account is disabled. Ask an admin to enable it." });
            }
          },
        },
      },
    },
  });
}

export type Auth = Awaited<ReturnType<typeof buildAuth>>;

/**
 * Counts one sign-in attempt against an account in the shared rate_limits table; returns null
 * when allowed, else the seconds until the window ends. One conditional upsert, so concurrent
 * attempts on any instance cannot all slip under the limit.
 */
export async function consumeAccountAttempt(db: Db, email: string, limit: { window: number; max: number }, now: number): Promise<number | null> {
  const key = `account:${email.trim().toLowerCase().slice(0, 320)}`;
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

/**
 * better-auth's HTTP endpoints, seeing only the client address Rampart resolved. Every 429 also
 * carries the standard Retry-After (better-auth's own limiter sends only X-Retry-After).
 */
export async function handleAuthRequest(request: Request): Promise<Response> {
  const response = await (await getAuth()).handler(withResolvedClientAddress(request));
  const retryAfter = response.headers.get("x-retry-after");
  if (response.status !== 429 || !retryAfter || response.headers.has("retry-after")) return response;
  const headers = new Headers(response.headers);
  headers.set("retry-after", retryAfter);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

// One instance per database connection, kept beside it on globalThis for the same reason.
const holder = globalThis as typeof globalThis & { __rampartAuth?: { db: Db; auth: Promise<Auth> } };

export async function getAuth(): Promise<Auth> {
  const db = await getDb();
  if (holder.__rampartAuth?.db !== db) holder.__rampartAuth = { db, auth: buildAuth(db) };
  return holder.__rampartAuth.auth;
}
