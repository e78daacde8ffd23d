import { OAuth2Server } from "oauth2-mock-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { sessionCookie, testContext } from "@/testing/api";
import { createUser } from "@/lib/users/create-user";
import { buildAuth, type Auth } from "./auth";
import { OIDC_PROVIDER_ID } from "./oidc-provider";

// Single sign-on against a real OpenID Connect issuer on loopback (oauth2-mock-server):
// discovery, PKCE authorization code flow, token exchange and userinfo.

const issuer = new OAuth2Server();
let auth: Auth;
/** Who the issuer says signs in next. */
let identity = { sub: "", email: "" };

beforeAll(async () => {
  await issuer.issuer.keys.generate("RS256");
  await issuer.start(0, "127.0.0.1");
  issuer.service.on("beforeTokenSigning", (token) => Object.assign(token.payload, { sub: identity.sub, email: identity.email, email_verified: true }));
  issuer.service.on("beforeUserinfo", (response) => {
    response.body = { sub: identity.sub, email: identity.email, email_verified: true, name: "SSO Person" };
  });
  auth = await buildAuth(await getDb(), {
    RAMPART_OIDC_ISSUER: issuer.issuer.url!,
    RAMPART_OIDC_CLIENT_ID: "rampart",
    RAMPART_OIDC_CLIENT_SECRET: "rampart-secret",
  });
});

afterAll(() => issuer.stop());

/** Walks the browser's redirects: Rampart → issuer → Rampart's callback. Returns the callback's answer. */
async function signInThroughIssuer(): Promise<Response> {
  const start = await auth.handler(
    new Request("http://localhost:3000/api/auth/sign-in/social", {
      method: "POST",
      headers: { "content-type": "application/json", origin: "http://localhost:3000" },
      body: JSON.stringify({ provider: OIDC_PROVIDER_ID, callbackURL: "/" }),
    }),
  );
  expect(start.status).toBe(200);
  const { url } = (await start.json()) as { url: string };
  expect(url.startsWith(issuer.issuer.url!)).toBe(true);

  const authorize = await fetch(url, { redirect: "manual" });
  const callback = authorize.headers.get("location")!;
  expect(callback).toContain(`/api/auth/callback/${OIDC_PROVIDER_ID}`);
  return auth.handler(new Request(callback, { headers: { cookie: sessionCookie(start) } }));
}

describe("OIDC sign-in", () => {
  it("signs in a person an admin added, with the role the admin chose", async () => {
    const email = `sso-${Date.now()}@example.test`;
    await createUser({ ctx: await testContext(), input: { email, role: "operator" } });
    identity = { sub: `sub-${email}`, email };

    const callback = await signInThroughIssuer();
    expect(callback.status).toBe(302);
    expect(callback.headers.get("location")).toBe("/");
    const session = await auth.api.getSession({ headers: new Headers({ cookie: sessionCookie(callback) }) });
    expect(session?.user).toMatchObject({ email, role: "operator" });
  });

  it("refuses someone the issuer knows but no admin added, creating no user", async () => {
    const email = `stranger-${Date.now()}@example.test`;
    identity = { sub: `sub-${email}`, email };

    const callback = await signInThroughIssuer();
    expect(callback.status).toBe(302);
    expect(callback.headers.get("location")).toMatch(/error=/);
    expect(sessionCookie(callback)).not.toContain("session_token=");
    const { findUserByEmail } = await import("@/lib/users/user-store");
    expect(await findUserByEmail(await getDb(), email)).toBeUndefined();
  });
});
