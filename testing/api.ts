import { randomBytes } from "node:crypto";
import { and, count, eq } from "drizzle-orm";
import { auditEvents, environments, flagStates, flags } from "@/db/schema";
import { getDb } from "@/lib/db/client";
import type { ServiceContext } from "@/lib/context";
import type { ErrorDetail } from "@/lib/errors";
import type { Role } from "@/lib/auth/actor";
import { createCredential } from "@/lib/credentials/create-credential";
import { createFlag } from "@/lib/flags/create-flag";
import { registerPeopleOutrankGuard } from "@/lib/guard/people-outrank-guard";
import { registerFollowRamp } from "@/lib/lifecycle/follow-ramp";
import { createUser } from "@/lib/users/create-user";
import type { CreateFlagInput } from "@/lib/flags/schemas";
import { uniqueKey } from "./unique-key";

export interface ErrorEnvelope {
  error: { code: string; message: string; requestId: string; details: ErrorDetail[] };
}

// `never` params accept every route handler's params type; the test supplies matching values.
type RouteHandler = (request: Request, context: { params: Promise<never> }) => Promise<Response>;

export interface CallOptions {
  method?: string;
  path?: string;
  params?: Record<string, string>;
  body?: unknown;
  /** A raw body sent as is, e.g. malformed JSON. */
  rawBody?: string;
  headers?: Record<string, string>;
  /** A bearer secret to send; null sends no credential. Default: the test admin token. */
  as?: string | null;
}

/** Calls a route handler in-process, as Next would, and returns status and parsed JSON. */
export async function callRoute<T = Record<string, unknown>>(
  handler: RouteHandler,
  options: CallOptions = {},
): Promise<{ status: number; body: T & Partial<ErrorEnvelope>; headers: Headers }> {
  const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  const secret = options.as === undefined ? await testAdminToken() : options.as;
  const headers = new Headers(options.headers);
  if (secret !== null && !headers.has("authorization")) headers.set("authorization", `Bearer ${secret}`);
  const request = new Request(`http://localhost${options.path ?? "/"}`, { method: options.method ?? "GET", body, headers });
  const response = await handler(request, { params: Promise.resolve((options.params ?? {}) as never) });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null, headers: response.headers };
}

/** The stored state row of a flag in an environment, read straight from the database. */
export async function readStateRow(flagKey: string, env = "production") {
  const db = await getDb();
  const [row] = await db
    .select({ state: flagStates })
    .from(flagStates)
    .innerJoin(flags, eq(flags.id, flagStates.flagId))
    .innerJoin(environments, eq(environments.id, flagStates.environmentId))
    .where(and(eq(flags.key, flagKey), eq(environments.key, env)));
  return row?.state;
}

export async function countAuditEvents(flagKey: string): Promise<number> {
  const db = await getDb();
  const [row] = await db
    .select({ n: count() })
    .from(auditEvents)
    .innerJoin(flags, eq(flags.id, auditEvents.flagId))
    .where(eq(flags.key, flagKey));
  return row.n;
}

// As apiRoute does, so services that tests call directly behave as behind a route.
registerFollowRamp();
registerPeopleOutrankGuard();

/** A service context acting as a named test user through the API. */
export async function testContext(actorName = "test-user"): Promise<ServiceContext> {
  return { db: await getDb(), actor: { kind: "user", name: actorName, role: "admin", environment: null }, source: "api" };
}

/** A fresh API token's secret; its audit name is `token:<name>`. */
export async function givenToken(role: Role, environment?: string): Promise<{ secret: string; name: string }> {
  const name = `test-${role}-${randomBytes(4).toString("hex")}`;
  const { secret } = await createCredential({ ctx: await testContext(), kind: "api-token", input: { name, role, environment } });
  return { secret, name };
}

export async function givenSdkKey(environment = "production"): Promise<string> {
  const name = `test-sdk-${randomBytes(4).toString("hex")}`;
  return (await createCredential({ ctx: await testContext(), kind: "sdk-key", input: { name, environment } })).secret;
}

const adminTokens = new WeakMap<object, Promise<{ secret: string; name: string }>>();

/** The admin token callRoute sends by default, one per database. */
export async function testAdminTokenInfo(): Promise<{ secret: string; name: string }> {
  const db = await getDb();
  if (!adminTokens.has(db)) adminTokens.set(db, givenToken("admin"));
  return adminTokens.get(db)!;
}

export async function testAdminToken(): Promise<string> {
  return (await testAdminTokenInfo()).secret;
}

/** Creates a flag through the service, as an admin would; returns its key. */
export async function givenFlag(prefix: string, input: Partial<CreateFlagInput> = {}): Promise<string> {
  const key = uniqueKey(prefix);
  await createFlag({ ctx: await testContext(), input: { key, owner: "payments-team", ...input } });
  return key;
}

/** Signs in through better-auth's own endpoint as a new user with this role; returns the Cookie header. */
export async function givenSignedInUser(role: Role): Promise<{ cookie: string; email: string }> {
  const email = `${role}-${randomBytes(4).toString("hex")}@example.test`;
  const password = "correct horse battery";
  await createUser({ ctx: await testContext(), input: { email, role, password } });
  // Its own client address, so the login rate limit never counts other tests' sign-ins.
  const [a, b] = randomBytes(2);
  const response = await signIn(email, password, `198.18.${a}.${b}`);
  if (response.status !== 200) throw new Error(`sign-in as ${email} answered ${response.status}`);
  return { cookie: sessionCookie(response), email };
}

/** The header scripts/server.mjs sets from the socket; tests run with its token (vitest.config.mts). */
export function fromAddress(clientIp: string): Record<string, string> {
  return { "x-rampart-peer-address": `${process.env.RAMPART_PEER_ADDRESS_TOKEN} ${clientIp}` };
}

/** POST /api/auth/sign-in/email as a browser on this origin would send it, connecting from clientIp. */
export async function signIn(email: string, password: string, clientIp: string): Promise<Response> {
  const { POST } = await import("@/app/api/auth/[...all]/route");
  return POST(
    new Request("http://localhost/api/auth/sign-in/email", {
      method: "POST",
      headers: { "content-type": "application/json", origin: "http://localhost", ...fromAddress(clientIp) },
      body: JSON.stringify({ email, password }),
    }),
  );
}

/** The `name=value` pairs of a response's Set-Cookie headers, as a Cookie header. */
export function sessionCookie(response: Response): string {
  return response.headers
    .getSetCookie()
    .map((cookie) => cookie.split(";")[0])
    .join("; ");
}
