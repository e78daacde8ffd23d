import { betterAuth } from "better-auth";
import { drizzleAdapter } from "better-auth/adapters/drizzle";
import { APIError } from "better-auth/api";
import { genericOAuth } from "better-auth/plugins/generic-oauth";
import { eq } from "drizzle-orm";
import { accounts, rateLimits, sessions, users, verifications } from "@/db/schema";
import { getDb, type Db } from "@/lib/db/client";
import { OIDC_PROVIDER_ID } from "./oidc-provider";
import { sessionSecret } from "@/lib/settings/app-settings";

/** Sign-in attempts per client address per minute; RAMPART_LOGIN_ATTEMPTS_PER_MINUTE overrides. */
export const LOGIN_RATE_LIMIT = { window: 60, max: Number(process.env.RAMPART_LOGIN_ATTEMPTS_PER_MINUTE) || 5 };

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
    advanced: {
      defaultCookieAttributes: { sameSite: "lax", httpOnly: true },
      ipAddress: { ipAddressHeaders: ["x-forwarded-for", "x-real-ip"] },
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

// One instance per database connection, kept beside it on globalThis for the same reason.
const holder = globalThis as typeof globalThis & { __rampartAuth?: { db: Db; auth: Promise<Auth> } };

export async function getAuth(): Promise<Auth> {
  const db = await getDb();
  if (holder.__rampartAuth?.db !== db) holder.__rampartAuth = { db, auth: buildAuth(db) };
  return holder.__rampartAuth.auth;
}
