import { betterAuth } from "better-auth";
import { drizzleAdapter } from "better-auth/adapters/drizzle";
import { APIError, createAuthMiddleware, isAPIError } from "better-auth/api";
import { genericOAuth } from "better-auth/plugins/generic-oauth";
import { eq } from "drizzle-orm";
import { accounts, rateLimits, sessions, users, verifications } from "@/db/schema";
import { getDb, type Db } from "@/lib/db/client";
import { OIDC_PROVIDER_ID } from "./oidc-provider";
import { CLIENT_ADDRESS_HEADER, withResolvedClientAddress } from "./trusted-proxies";
import { sessionSecret } from "@/lib/settings/app-settings";
import {
  accountLimitKey,
  accountLoginLimit,
  addressLimitKey,
  addressLoginLimit,
  clearSignInFailures,
  releaseSignInAttempt,
  reserveSignInAttempt,
  retryIn,
} from "./sign-in-limits";

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
    // Password sign-in has its own limits below, which count failures only; better-auth's would
    // also count successes and lock out on-call engineers who share one VPN address.
    rateLimit: {
      enabled: true,
      storage: "database",
      customRules: { "/sign-in/email": false },
    },
    hooks: {
      before: createAuthMiddleware(async (ctx) => {
        if (ctx.path !== "/sign-in/email" || typeof ctx.body?.email !== "string") return;
        await reserveSignIn(db, ctx.body.email, ctx.headers?.get(CLIENT_ADDRESS_HEADER) ?? null, Date.now());
      }),
      after: createAuthMiddleware(async (ctx) => {
        if (ctx.path !== "/sign-in/email" || typeof ctx.body?.email !== "string") return;
        const returned = ctx.context.returned;
        const status = isAPIError(returned) ? returned.statusCode : returned instanceof Response ? returned.status : 200;
        if (status === 429) return;
        await settleSignIn(db, ctx.body.email, ctx.headers?.get(CLIENT_ADDRESS_HEADER) ?? null, status, Date.now());
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
 * Reserves a failure against the client address, then the account, before the password is
 * checked; throws the 429 the sign-in page shows when either is used up. A refusal by the
 * account gives the address its slot back: no password was tried.
 */
async function reserveSignIn(db: Db, email: string, address: string | null, now: number): Promise<void> {
  const byAddress = await reserveSignInAttempt(db, addressLimitKey(address), addressLoginLimit(), now);
  if (byAddress !== null) throw tooManyFailures("TOO_MANY_ADDRESS_FAILURES", "from this network address", byAddress);
  const byAccount = await reserveSignInAttempt(db, accountLimitKey(email), accountLoginLimit(), now);
  if (byAccount === null) return;
  await releaseSignInAttempt(db, addressLimitKey(address), now);
  throw tooManyFailures("TOO_MANY_ACCOUNT_FAILURES", "for this account", byAccount);
}

/** Only a wrong email or password (401) stays counted; a success also forgives the account's failures. */
async function settleSignIn(db: Db, email: string, address: string | null, status: number, now: number): Promise<void> {
  if (status === 401) return;
  await releaseSignInAttempt(db, addressLimitKey(address), now);
  if (status < 400) await clearSignInFailures(db, accountLimitKey(email));
  else await releaseSignInAttempt(db, accountLimitKey(email), now);
}

function tooManyFailures(code: string, scope: string, retryAfter: number): APIError {
  return new APIError(
    "TOO_MANY_REQUESTS",
    { code, message: `Too many failed sign-ins ${scope}. Try again in ${retryIn(retryAfter)}.`, retryAfter },
    { "Retry-After": String(retryAfter), "X-Retry-After": String(retryAfter) },
  );
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
