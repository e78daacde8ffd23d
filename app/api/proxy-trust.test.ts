import { randomBytes } from "node:crypto";
import { desc, eq, inArray } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { POST as authPost } from "@/app/api/auth/[...all]/route";
import { PATCH as patchFlag } from "@/app/api/flags/[key]/route";
import { rateLimits, sessions } from "@/testing/db";
import { getDb } from "@/testing/db";
import { callRoute, countAuditEvents, fromAddress, givenFlag, givenSignedInUser, readStateRow } from "@/testing/api";
import { findUserByEmail } from "@/lib/users/user-store";
import { addressLimitKey, addressLoginLimit } from "@/lib/auth/sign-in-limits";

const LOGIN_RATE_LIMIT = addressLoginLimit();

const PASSWORD = "correct horse battery";
const PROXY = "10.20.30.40";

/** A client address no other test (or earlier run on a shared database) has used. */
function freshAddress(): string {
  const [a, b, c] = randomBytes(3);
  return `100.${64 + (a & 63)}.${b}.${c}`;
}

/** A sign-in as the browser sends it over a socket from `peer`, with X-Forwarded-For exactly as given (or none). */
async function attempt(email: string, password: string, { peer, forwardedFor }: { peer?: string; forwardedFor?: string }) {
  const headers: Record<string, string> = { "content-type": "application/json", origin: "http://localhost", ...(peer ? fromAddress(peer) : {}) };
  if (forwardedFor !== undefined) headers["x-forwarded-for"] = forwardedFor;
  const response = await authPost(
    new Request("http://localhost/api/auth/sign-in/email", { method: "POST", headers, body: JSON.stringify({ email, password }) }),
  );
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : null) as { message?: string; code?: string } | null };
}

const originalTrust = process.env.RAMPART_TRUSTED_PROXIES;

function trustProxies(value: string | undefined) {
  if (value === undefined) delete process.env.RAMPART_TRUSTED_PROXIES;
  else process.env.RAMPART_TRUSTED_PROXIES = value;
}

beforeEach(() => trustProxies(undefined)); // The default: only the socket's address counts.
afterEach(() => trustProxies(originalTrust));

describe("the sign-in limit per client address", () => {
  it(`without trusted proxies ignores X-Forwarded-For: 30 attempts with 30 values get ${LOGIN_RATE_LIMIT.max} through`, async () => {
    const { email } = await givenSignedInUser("viewer");
    const attacker = freshAddress();
    const results = [];
    for (let i = 0; i < 30; i++) results.push(await attempt(email, "wrong password!", { peer: attacker, forwardedFor: freshAddress() }));

    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s !== 429)).toHaveLength(LOGIN_RATE_LIMIT.max);
    expect(statuses).toEqual([...Array(LOGIN_RATE_LIMIT.max).fill(401), ...Array(30 - LOGIN_RATE_LIMIT.max).fill(429)]);
    const limited = results[LOGIN_RATE_LIMIT.max];
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(Number(limited.headers.get("retry-after"))).toBeLessThanOrEqual(LOGIN_RATE_LIMIT.window);
    expect(limited.body?.message).toMatch(/^Too many failed sign-ins from this network address\. Try again in (\d+ seconds|1 minute)\.$/);
    // Nor does the right password from that socket; someone else's socket is not held back.
    expect((await attempt(email, PASSWORD, { peer: attacker, forwardedFor: freshAddress() })).status).toBe(429);
    expect((await attempt(email, PASSWORD, { peer: freshAddress() })).status).toBe(200);
  });

  it("served without the socket address, every client shares one limit rather than choosing its own", async () => {
    const { email } = await givenSignedInUser("viewer");
    // Unknown addresses share one bucket. Empty it before and after, so other test files on this
    // database are not held back.
    const db = await getDb();
    const sharedBucket = inArray(rateLimits.key, [addressLimitKey(null)]);
    await db.delete(rateLimits).where(sharedBucket);
    try {
      const statuses = [];
      for (let i = 0; i <= LOGIN_RATE_LIMIT.max; i++) statuses.push((await attempt(email, "wrong password!", { forwardedFor: freshAddress() })).status);
      expect(statuses).toEqual([...Array(LOGIN_RATE_LIMIT.max).fill(401), 429]);
    } finally {
      await db.delete(rateLimits).where(sharedBucket);
    }
  });

  it("behind a trusted proxy gives each client its own limit, and a spoofed left-most entry does not help", async () => {
    trustProxies(PROXY);
    const { email } = await givenSignedInUser("viewer");
    const client = freshAddress();

    const statuses = [];
    const viaProxy = (forwardedFor: string) => ({ peer: PROXY, forwardedFor });
    for (let i = 0; i <= LOGIN_RATE_LIMIT.max; i++) statuses.push((await attempt(email, "wrong password!", viaProxy(client))).status);
    expect(statuses).toEqual([...Array(LOGIN_RATE_LIMIT.max).fill(401), 429]);

    for (let i = 0; i < 3; i++) {
      expect((await attempt(email, PASSWORD, viaProxy(`${freshAddress()}, ${client}`))).status).toBe(429);
    }
    // A proxy that is not listed is the client as far as Rampart can tell: it is held back too.
    // (Another account, so this one's own limit is not what refuses it.)
    const unlisted = freshAddress();
    const second = await givenSignedInUser("viewer");
    for (let i = 0; i < LOGIN_RATE_LIMIT.max; i++) await attempt(second.email, "wrong password!", { peer: unlisted, forwardedFor: freshAddress() });
    expect((await attempt(second.email, PASSWORD, { peer: unlisted, forwardedFor: freshAddress() })).status).toBe(429);

    const other = freshAddress();
    expect((await attempt(email, PASSWORD, viaProxy(`${client}, ${other}`))).status).toBe(200);
    const user = await findUserByEmail(await getDb(), email);
    const [session] = await (await getDb())
      .select({ ipAddress: sessions.ipAddress })
      .from(sessions)
      .where(eq(sessions.userId, user!.id))
      .orderBy(desc(sessions.createdAt))
      .limit(1);
    expect(session.ipAddress).toBe(other);
  });
});

describe("the cross-site check", () => {
  /** An admin's cookie PATCHes a new flag with RAMPART_TRUSTED_PROXIES set to `trust`. */
  async function patchAsAdmin(trust: string | undefined, headers: Record<string, string>) {
    const key = await givenFlag("origin");
    const { cookie } = await givenSignedInUser("admin");
    const auditsBefore = await countAuditEvents(key);
    trustProxies(trust);
    const response = await callRoute(patchFlag, {
      method: "PATCH",
      path: `/api/flags/${key}`,
      params: { key },
      body: { percentage: 50 },
      headers: { cookie, ...headers },
      as: null,
    });
    return { response, percentageBp: (await readStateRow(key))?.percentageBp, newAudits: (await countAuditEvents(key)) - auditsBefore };
  }

  it("ignores X-Forwarded-Host without a trusted proxy: a cookie sent from evil.example writes nothing", async () => {
    const evil = { origin: "https://evil.example", "x-forwarded-host": "evil.example" };
    for (const headers of [evil, { ...evil, "sec-fetch-site": "same-origin" }]) {
      const { response, percentageBp, newAudits } = await patchAsAdmin(undefined, headers);
      expect(response.status).toBe(403);
      expect(response.body.error?.code).toBe("cross_site_request");
      expect(percentageBp).toBe(0);
      expect(newAudits).toBe(0);
    }
  });

  it("behind a trusted proxy accepts the forwarded host it reports, and only that", async () => {
    const forged = await patchAsAdmin(PROXY, { origin: "https://evil.example", "x-forwarded-host": "rampart.example.com", "sec-fetch-site": "same-origin" });
    expect(forged.response.status).toBe(403);
    expect(forged.response.body.error?.code).toBe("cross_site_request");
    expect(forged.percentageBp).toBe(0);
    expect(forged.newAudits).toBe(0);

    const crossSite = await patchAsAdmin(PROXY, { origin: "https://rampart.example.com", "x-forwarded-host": "rampart.example.com", "sec-fetch-site": "cross-site" });
    expect(crossSite.response.status).toBe(403);
    expect(crossSite.percentageBp).toBe(0);

    const proxied = await patchAsAdmin(PROXY, { origin: "https://rampart.example.com", "x-forwarded-host": "rampart.example.com", "sec-fetch-site": "same-origin" });
    expect(proxied.response.status).toBe(200);
    expect(proxied.percentageBp).toBe(5000);
    expect(proxied.newAudits).toBe(1);
  });
});
