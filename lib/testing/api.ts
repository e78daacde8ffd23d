import { randomBytes } from "node:crypto";
import { and, count, eq } from "drizzle-orm";
import { auditEvents, environments, flagStates, flags } from "@/db/schema";
import { getDb } from "@/lib/db/client";
import type { ServiceContext } from "@/lib/context";
import type { ErrorDetail } from "@/lib/errors";
import { createFlag } from "@/lib/flags/create-flag";
import type { CreateFlagInput } from "@/lib/flags/schemas";

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
}

/** Calls a route handler in-process, as Next would, and returns status and parsed JSON. */
export async function callRoute<T = Record<string, unknown>>(
  handler: RouteHandler,
  options: CallOptions = {},
): Promise<{ status: number; body: T & Partial<ErrorEnvelope>; headers: Headers }> {
  const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  const request = new Request(`http://localhost${options.path ?? "/"}`, {
    method: options.method ?? "GET",
    body,
    headers: options.headers,
  });
  const response = await handler(request, { params: Promise.resolve((options.params ?? {}) as never) });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null, headers: response.headers };
}

/** A flag key no other test (or test run on a shared database) uses. */
export function uniqueFlagKey(prefix: string): string {
  return `${prefix}_${randomBytes(4).toString("hex")}`;
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

/** A service context acting as a named test user through the API. */
export async function testContext(actorName = "test-user"): Promise<ServiceContext> {
  return { db: await getDb(), actor: { kind: "user", name: actorName, role: "admin" }, source: "api" };
}

/** Creates a flag through the service, as an admin would; returns its key. */
export async function givenFlag(prefix: string, input: Partial<CreateFlagInput> = {}): Promise<string> {
  const key = uniqueFlagKey(prefix);
  await createFlag({ ctx: await testContext(), input: { key, owner: "payments-team", ...input } });
  return key;
}
