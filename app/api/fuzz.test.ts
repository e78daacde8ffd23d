import { readdirSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { revokeCredential } from "@/lib/credentials/revoke-credential";
import { givenFlag, givenSdkKey, givenSignedInUser, givenToken, testContext } from "@/testing/api";

// Every route under app/api, found on disk, gets generated requests that each carry at least one
// thing the route must refuse. Whatever else they carry, the answer is a 4xx in the one error
// shape, never a 5xx, and nothing in the database changes.

const API_DIR = path.join(import.meta.dirname);
/** better-auth answers its own endpoints in its own shape; lib/auth tests cover them. */
const THIRD_PARTY = new Set(["auth/[...all]"]);
/** Open to anyone (the OpenAPI document): no credential is no poison there, but a bad one still is. */
const PUBLIC = new Set(["openapi.json"]);
const METHODS = ["GET", "POST", "PATCH", "PUT", "DELETE"] as const;
const RUNS = Number(process.env.RAMPART_FUZZ_RUNS) || 30;

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

interface DiscoveredRoute {
  /** `flags/[key]/kill` */
  dir: string;
  method: (typeof METHODS)[number];
  handler: Handler;
  segments: string[];
}

function routeDirs(dir = API_DIR, prefix = ""): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.isFile() && entry.name === "route.ts") return [prefix.replace(/\/$/, "")];
    if (entry.isDirectory()) return routeDirs(path.join(dir, entry.name), `${prefix}${entry.name}/`);
    return [];
  });
}

async function discoverRoutes(): Promise<DiscoveredRoute[]> {
  const routes: DiscoveredRoute[] = [];
  for (const dir of routeDirs().filter((dir) => !THIRD_PARTY.has(dir)).sort()) {
    const module = (await import(/* @vite-ignore */ path.join(API_DIR, dir, "route.ts"))) as Record<string, unknown>;
    const segments = [...dir.matchAll(/\[([^\]]+)\]/g)].map((match) => match[1]);
    for (const method of METHODS) {
      if (typeof module[method] === "function") routes.push({ dir, method, handler: module[method] as Handler, segments });
    }
  }
  return routes;
}

// ── What a careless or hostile client sends ──────────────────────────────────────────────

const nasty = fc.oneof(
  fc.constantFrom("\u0000", "a\u0000b", "\ud800", "\udfff", "%00", "../..", "__proto__", "constructor", " 3", "-1", "0x10", "1e309"),
  fc.constantFrom("2147483648", "9007199254740993", "99999999999999999999999", "NaN", "Infinity", "", " ", "null", "true"),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 20 }),
  fc.constantFrom("x".repeat(5_000), "é".repeat(300), "🚀".repeat(100)),
);

const jsonValue = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    fc.integer(),
    fc.double(),
    fc.constantFrom(2 ** 31, 2 ** 53 + 2, -(2 ** 63), 1e308, -0),
    nasty,
    fc.boolean(),
    fc.constant(null),
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(nasty, tie("value"), { maxKeys: 4 }),
  ),
})).value;

/** Field names the routes know, so a poison sits beside plausible values. */
const knownFields = ["key", "owner", "name", "description", "percentage", "default", "contexts", "targets", "rollout", "reason", "role", "environment",
  "email", "password", "disabled", "removalTicket", "dueDate", "link", "batchId", "entries", "windowStart", "windowEnd", "dropped", "evaluated"];

const plausibleBody = fc.dictionary(fc.constantFrom(...knownFields), jsonValue, { maxKeys: 4 });

/** A body no route can accept: each is refused whatever the route's schema. */
const poisonBody = fc.oneof(
  fc.tuple(plausibleBody, fc.string({ minLength: 1, maxLength: 10 })).map(([body, name]) => JSON.stringify({ ...body, [`zz_${name}`]: 1 })),
  fc.tuple(plausibleBody, fc.constantFrom(...knownFields), fc.constantFrom("a\u0000b", "\ud800", "x\u0007")).map(([body, field, text]) =>
    JSON.stringify({ ...body, [field]: text }),
  ),
  plausibleBody.map((body) => `{"__proto__": {"role": "admin"}, ${JSON.stringify(body).slice(1)}`.replace(", }", "}")),
  fc.oneof(fc.integer(), fc.string(), fc.array(fc.integer()), fc.constant(null)).map((value) => JSON.stringify(value)),
  fc.string({ maxLength: 50 }).map((text) => `{,${text}`),
  fc.integer({ min: 40, max: 5_000 }).map((depth) => `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`),
  fc.constant(`{"reason": "${"x".repeat(70_000)}"}`),
);

type Poison = "duplicate_query" | "unknown_query" | "bad_param" | "bad_body" | "bad_credential" | "none";

interface Credentials {
  admin: string;
  operator: string;
  viewer: string;
  stagingOperator: string;
  sdk: string;
  revoked: string;
  cookie: string;
}

const credentialNames = ["admin", "operator", "viewer", "stagingOperator", "sdk", "cookie"] as const;

function requestFor(route: DiscoveredRoute, flagKey: string, poisoned = true) {
  const poisons: Poison[] = poisoned ? ["duplicate_query", "unknown_query", "bad_credential"] : ["none"];
  if (poisoned && route.segments.length > 0) poisons.push("bad_param");
  if (poisoned && route.method !== "GET") poisons.push("bad_body");
  return fc.record({
    poison: fc.constantFrom(...poisons),
    credential: fc.constantFrom(...credentialNames),
    badCredential: PUBLIC.has(route.dir) ? fc.constantFrom("garbage", "revoked", "empty_bearer") : fc.constantFrom("none", "garbage", "revoked", "empty_bearer"),
    env: fc.option(fc.oneof(fc.constantFrom("production", "staging"), nasty), { nil: undefined }),
    queryName: fc.oneof(fc.constantFrom("env", "window", "after", "flag", "cursor", "limit", "sort", "format"), nasty),
    queryValues: fc.array(nasty, { minLength: 2, maxLength: 3 }),
    param: nasty,
    validKey: fc.boolean(),
    body: plausibleBody.map((body) => JSON.stringify(body)),
    poisonBody,
    flagKey: fc.constant(flagKey),
  });
}

type Generated = ReturnType<typeof requestFor> extends fc.Arbitrary<infer T> ? T : never;

function buildRequest(route: DiscoveredRoute, input: Generated, credentials: Credentials): { request: Request; params: Record<string, string> } {
  const params: Record<string, string> = {};
  for (const segment of route.segments) {
    // Ids no credential has, so a request that passes never revokes the fuzz's own tokens.
    params[segment] = input.poison === "bad_param" || !input.validKey ? input.param : segment === "key" ? input.flagKey : "2147483647";
  }
  // A parameter name no route takes, or one given twice.
  const query = new URLSearchParams();
  if (input.env !== undefined) query.append("env", input.env);
  if (input.poison === "duplicate_query") {
    if (input.env !== undefined && input.queryName === "env") query.delete("env");
    for (const value of input.queryValues) query.append(input.queryName, value);
  }
  if (input.poison === "unknown_query") query.append(`zz_${input.queryName}`, input.queryValues[0]);

  const headers = new Headers({ "content-type": "application/json" });
  if (input.poison === "bad_credential") {
    if (input.badCredential === "garbage") headers.set("authorization", "Bearer rpt_not-a-real-token-0000");
    if (input.badCredential === "revoked") headers.set("authorization", `Bearer ${credentials.revoked}`);
    if (input.badCredential === "empty_bearer") headers.set("authorization", "Bearer ");
  } else if (input.credential === "cookie") {
    headers.set("cookie", credentials.cookie);
    headers.set("origin", "http://localhost");
  } else {
    headers.set("authorization", `Bearer ${credentials[input.credential]}`);
  }

  const pathname = `/api/${route.dir.replace(/\[([^\]]+)\]/g, (_, name: string) => encodeSegment(params[name]))}`;
  const search = query.toString();
  const body = route.method === "GET" ? undefined : input.poison === "bad_body" ? input.poisonBody : input.body;
  const request = new Request(`http://localhost${pathname}${search ? `?${search}` : ""}`, { method: route.method, headers, body });
  return { request, params };
}

/** A lone surrogate has no UTF-8 form; a client would send the bytes of one anyway. */
function encodeSegment(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return "%ED%A0%80";
  }
}

/** `db.execute()` is typed unknown on the driver-neutral Db; both drivers answer `{ rows }`. */
function rowsOf<T>(result: unknown): T {
  return (result as { rows: T }).rows;
}

/** What any write would change: row counts everywhere, and the content of the state that matters. */
async function databaseFingerprint(): Promise<string> {
  const { db } = await testContext();
  const tables = rowsOf<{ tablename: string }[]>(await db.execute(sql`select tablename from pg_tables where schemaname = 'public' order by tablename`));
  const parts: string[] = [];
  for (const { tablename } of tables) {
    const name = sql.identifier(tablename);
    // Reads may stamp last-used times and sessions; their rows are counted, not hashed.
    const volatile = ["api_tokens", "sdk_keys", "sessions", "rate_limits", "__drizzle_migrations"].includes(tablename);
    const query = volatile
      ? sql`select count(*)::text as digest from ${name}`
      : sql`select count(*)::text || ':' || coalesce(md5(string_agg(t::text, ',' order by t::text)), '') as digest from ${name} t`;
    const [row] = rowsOf<{ digest: string }[]>(await db.execute(query));
    parts.push(`${tablename}=${row.digest}`);
  }
  const [revoked] = rowsOf<{ n: string }[]>(
    await db.execute(sql`select (select count(*) from api_tokens where revoked_at is not null) || '/' || (select count(*) from sdk_keys where revoked_at is not null) as n`),
  );
  parts.push(`revoked=${revoked.n}`);
  return parts.join("\n");
}

async function answer(handler: Handler, request: Request, params: Record<string, string>) {
  const response = await handler(request, { params: Promise.resolve(params) });
  if (response.headers.get("content-type")?.includes("text/event-stream")) {
    await response.body?.cancel();
    return { status: response.status, body: null };
  }
  const text = await response.text();
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: response.status, body };
}

const errorShape = {
  error: { code: expect.stringMatching(/^[a-z_]+$/), message: expect.any(String), requestId: expect.any(String), details: expect.any(Array) },
};

describe("every API route refuses what it must, with a 4xx and nothing written", async () => {
  const routes = await discoverRoutes();
  let credentials: Credentials;
  let flagKey: string;

  beforeAll(async () => {
    flagKey = await givenFlag("fuzzed");
    const revoked = await givenToken("admin");
    const ctx = await testContext();
    const [row] = rowsOf<{ id: number }[]>(await ctx.db.execute(sql`select id from api_tokens where name = ${revoked.name}`));
    await revokeCredential({ ctx, kind: "api-token", input: { id: Number(row.id) } });
    credentials = {
      admin: (await givenToken("admin")).secret,
      operator: (await givenToken("operator")).secret,
      viewer: (await givenToken("viewer")).secret,
      stagingOperator: (await givenToken("operator", "staging")).secret,
      sdk: await givenSdkKey(),
      revoked: revoked.secret,
      cookie: (await givenSignedInUser("admin")).cookie,
    };
  });

  it("discovers the routes rather than listing them", () => {
    const names = routes.map((route) => `${route.method} ${route.dir}`);
    expect(names).toContain("POST flags/[key]/kill");
    expect(names).toContain("POST sdk/metrics");
    expect(names).toContain("PATCH users/[id]");
    expect(routes.length).toBeGreaterThanOrEqual(22);
  });

  for (const route of routes) {
    it(`${route.method} /api/${route.dir}`, async () => {
      const before = await databaseFingerprint();
      await fc.assert(
        fc.asyncProperty(requestFor(route, flagKey), async (input) => {
          const { request, params } = buildRequest(route, input, credentials);
          const { status, body } = await answer(route.handler, request, params);
          if (status < 400 || status >= 500) throw new Error(`answered ${status} to a ${input.poison}: ${JSON.stringify(body).slice(0, 300)}`);
          expect(body).toMatchObject(errorShape);
        }),
        { numRuns: RUNS, seed: Number(process.env.RAMPART_FUZZ_SEED) || undefined },
      );
      expect(await databaseFingerprint()).toBe(before);
    });

    it(`${route.method} /api/${route.dir}: random input never answers 5xx, and a refusal writes nothing`, async () => {
      await fc.assert(
        fc.asyncProperty(requestFor(route, flagKey, false), async (input) => {
          const before = await databaseFingerprint();
          const { request, params } = buildRequest(route, input, credentials);
          const { status, body } = await answer(route.handler, request, params);
          if (status >= 500) throw new Error(`answered ${status}: ${JSON.stringify(body).slice(0, 300)}`);
          if (status >= 400) {
            expect(body).toMatchObject(errorShape);
            expect(await databaseFingerprint()).toBe(before);
          }
        }),
        { numRuns: Math.ceil(RUNS / 2), seed: Number(process.env.RAMPART_FUZZ_SEED) || undefined },
      );
    });
  }
});
