import { describe, expect, it } from "vitest";
import { PATCH as patchFlag } from "@/app/api/flags/[key]/route";
import { GET as me } from "@/app/api/me/route";
import { POST as revokeToken } from "@/app/api/tokens/[id]/revoke/route";
import { GET as listTokens, POST as createToken } from "@/app/api/tokens/route";
import { PATCH as updateUser } from "@/app/api/users/[id]/route";
import { POST as createUser } from "@/app/api/users/route";
import { getDb } from "@/testing/db";
import {
  callRoute,
  givenFlag,
  givenSignedInUser,
  givenToken,
  readStateRow,
  sessionCookie,
  signIn,
} from "@/testing/api";
import type { ApiTokenView } from "@/lib/credentials/credential-store";
import { retryIn } from "@/lib/auth/sign-in-limits";
import { findUserByEmail } from "@/lib/users/user-store";
import { accountLoginLimit, addressLoginLimit } from "@/lib/auth/sign-in-limits";

describe("API tokens", () => {
  it("are shown once, stored as a hash, and refused on the next call after revocation", async () => {
    const created = await callRoute<{ token: ApiTokenView; secret: string }>(createToken, {
      method: "POST",
      path: "/api/tokens",
      body: { name: `ci-${Date.now()}`, role: "operator" },
    });
    expect(created.status).toBe(201);
    const { secret, token } = created.body;
    expect(secret).toMatch(/^rpt_/);
    expect(token.prefix).toBe(`${secret.slice(0, 8)}…`);
    expect(JSON.stringify(token)).not.toContain(secret);

    const asToken = await callRoute(me, { path: "/api/me", as: secret });
    expect(asToken.body).toEqual({ kind: "token", name: `token:${token.name}`, role: "operator", environment: null });
    const listed = await callRoute<{ tokens: ApiTokenView[] }>(listTokens, { path: "/api/tokens" });
    expect(listed.body.tokens.find((t) => t.id === token.id)?.lastUsedAt).not.toBeNull();

    const revoked = await callRoute(revokeToken, { method: "POST", path: `/api/tokens/${token.id}/revoke`, params: { id: String(token.id) } });
    expect(revoked.status).toBe(200);
    const after = await callRoute(me, { path: "/api/me", as: secret });
    expect(after.status).toBe(401);
    expect(after.body.error?.message).toMatch(/revoked/);
  });

  it("limited to staging can change staging but not production", async () => {
    const key = await givenFlag("scoped");
    const { secret } = await givenToken("operator", "staging");
    const call = (env: string) =>
      callRoute(patchFlag, { method: "PATCH", path: `/api/flags/${key}?env=${env}`, params: { key }, body: { percentage: 10 }, as: secret });

    const production = await call("production");
    expect(production.status).toBe(403);
    expect(production.body.error?.details).toEqual([{ path: "env", message: "must be staging" }]);
    expect((await readStateRow(key, "production"))?.percentageBp).toBe(0);

    expect((await call("staging")).status).toBe(200);
    expect((await readStateRow(key, "staging"))?.percentageBp).toBe(1000);
  });

  it("an unknown bearer secret answers 401", async () => {
    const response = await callRoute(me, { path: "/api/me", as: "rpt_not-a-real-token" });
    expect(response.status).toBe(401);
  });
});

describe("session cookies", () => {
  it("identify the signed-in user by email and role", async () => {
    const { cookie, email } = await givenSignedInUser("operator");
    const response = await callRoute(me, { path: "/api/me", headers: { cookie }, as: null });
    expect(response.body).toEqual({ kind: "user", name: email, role: "operator", environment: null });
  });

  it("refuse a cross-site POST, and one without an Origin, writing nothing", async () => {
    const key = await givenFlag("csrf");
    const { cookie } = await givenSignedInUser("admin");
    const call = (headers: Record<string, string>) =>
      callRoute(patchFlag, { method: "PATCH", path: `/api/flags/${key}`, params: { key }, body: { percentage: 50 }, headers: { cookie, ...headers }, as: null });

    const crossSite = await call({ origin: "https://evil.example", "sec-fetch-site": "cross-site" });
    expect(crossSite.status).toBe(403);
    expect(crossSite.body.error?.code).toBe("cross_site_request");
    expect((await call({})).status).toBe(403);
    expect((await readStateRow(key))?.percentageBp).toBe(0);

    expect((await call({ origin: "http://localhost", "sec-fetch-site": "same-origin" })).status).toBe(200);
    expect((await readStateRow(key))?.percentageBp).toBe(5000);
  });

  it("end when an admin disables the user, who then cannot sign in", async () => {
    const { cookie, email } = await givenSignedInUser("operator");
    const db = await getDb();
    const user = await findUserByEmail(db, email);
    const disabled = await callRoute(updateUser, { method: "PATCH", path: `/api/users/${user!.id}`, params: { id: user!.id }, body: { disabled: true } });
    expect(disabled.status).toBe(200);

    expect((await callRoute(me, { path: "/api/me", headers: { cookie }, as: null })).status).toBe(401);
    const again = await signIn(email, "correct horse battery", "198.51.100.20");
    expect(again.status).toBe(403);
    expect(again.headers.getSetCookie()).toEqual([]);
  });
});

describe("sign-in", () => {
  const PASSWORD = "correct horse battery";
  const freshAddress = () => `192.0.${Math.floor(Math.random() * 250) + 1}.${Math.floor(Math.random() * 250) + 1}`;

  it("six successful sign-ins within a minute from one address all succeed: only failures count", async () => {
    const { email } = await givenSignedInUser("operator");
    const ip = freshAddress();
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await signIn(email, PASSWORD, ip)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200]);
  });

  it(`refuses the failure after ${addressLoginLimit().max} from one address with 429, Retry-After and when to retry; other addresses are not held back`, async () => {
    const { max, window } = addressLoginLimit();
    const ip = freshAddress();
    const statuses: number[] = [];
    // Different accounts, so only the address's count can refuse.
    for (let i = 0; i < max; i++) statuses.push((await signIn((await givenSignedInUser("viewer")).email, "wrong password!", ip)).status);
    expect(statuses).toEqual(Array(max).fill(401));

    const { email } = await givenSignedInUser("viewer");
    const limited = await signIn(email, PASSWORD, ip); // even the right password waits
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(window - 10);
    expect(retryAfter).toBeLessThanOrEqual(window);
    expect(await limited.json()).toEqual({
      code: "TOO_MANY_ADDRESS_FAILURES",
      message: `Too many failed sign-ins from this network address. Try again in ${retryIn(retryAfter)}.`,
      retryAfter,
    });
    expect(limited.headers.getSetCookie()).toEqual([]);
    expect((await signIn(email, PASSWORD, freshAddress())).status).toBe(200);
  });

  it(`refuses the failure after ${accountLoginLimit().max} for one account from any addresses; a success first forgives earlier ones`, async () => {
    const { max, window } = accountLoginLimit();
    const { email } = await givenSignedInUser("operator");
    for (let i = 0; i < max - 1; i++) await signIn(email, "wrong password!", freshAddress());
    expect((await signIn(email, PASSWORD, freshAddress())).status).toBe(200); // clears the count

    const statuses: number[] = [];
    for (let i = 0; i <= max; i++) statuses.push((await signIn(email.toUpperCase(), "wrong password!", freshAddress())).status);
    expect(statuses).toEqual([...Array(max).fill(401), 429]);

    const limited = await signIn(email, PASSWORD, freshAddress());
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(window - 60);
    expect(await limited.json()).toMatchObject({
      code: "TOO_MANY_ACCOUNT_FAILURES",
      message: "Too many failed sign-ins for this account. Try again in 15 minutes.",
    });
    // Another account is unaffected.
    expect((await givenSignedInUser("operator")).cookie).toContain("session_token=");
  });

  it("sets an HttpOnly SameSite=Lax session cookie", async () => {
    const created = await callRoute<{ initialPassword: string }>(createUser, {
      method: "POST",
      path: "/api/users",
      body: { email: `cookie-${Date.now()}@example.test`, role: "viewer" },
    });
    expect(created.body.initialPassword).toHaveLength(16);
    const email = (created.body as unknown as { user: { email: string } }).user.email;
    const response = await signIn(email, created.body.initialPassword, "198.51.100.21");
    expect(response.status).toBe(200);
    const cookie = response.headers.getSetCookie().find((c) => c.includes("session_token"));
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(sessionCookie(response)).toContain("session_token=");
  });
});

describe("users", () => {
  it("refuse a bad role naming the field", async () => {
    const response = await callRoute(createUser, { method: "POST", path: "/api/users", body: { email: "x@example.test", role: "root" } });
    expect(response.status).toBe(400);
    expect(response.body.error?.details?.[0]?.path).toBe("role");
    expect(await findUserByEmail(await getDb(), "x@example.test")).toBeUndefined();
  });
});
