import { randomUUID } from "node:crypto";
import { z } from "zod";
import { canActIn, hasRole, type Actor, type Role } from "@/lib/auth/actor";
import type { ServiceContext } from "@/lib/context";
import { getDb } from "@/lib/db/client";
import { isDatabaseUnavailable } from "@/lib/db/unavailable";
import { AppError, ForbiddenError, ServiceUnavailableError, ValidationError } from "@/lib/errors";
import { registerPeopleOutrankGuard } from "@/lib/guard/people-outrank-guard";
import { registerFollowRamp } from "@/lib/lifecycle/follow-ramp";
import { authenticate } from "./authenticate";
import { MAX_BODY_BYTES, readJsonBody } from "./request-body";
import { parseOrThrow } from "./validation";

// The Next adapter: every route handler goes through apiRoute, which authenticates, checks the
// role, parses the path, query and body once each, checks the environment scope against that
// one parse, assigns a request id and turns thrown errors into the one error body.

// Every route enters here, so every flag-state change a route makes keeps teardown progress
// and pauses a guarded ramp it overrides.
registerFollowRamp();
registerPeopleOutrankGuard();

const noParameters = z.strictObject({});
type NoParameters = typeof noParameters;

export interface RouteArgs<Q, P, B> {
  request: Request;
  /** The query, parsed once by the route's schema: the same values the scope check saw. */
  query: Q;
  params: P;
  /** The JSON body, parsed by the route's schema; `{}` on a GET. */
  body: B;
  ctx: ServiceContext;
}

export interface RouteOptions<Q extends z.ZodType, P extends z.ZodType, B extends z.ZodType> {
  /** The least role that may call this route; "sdk": only SDK keys, in their own environment; "any": any credential, a scoped one in its own environment. */
  role: Role | "sdk" | "any";
  /** When this says so, a request without credentials is let in as ANONYMOUS (e.g. RAMPART_METRICS_PUBLIC). */
  openWhen?: () => boolean;
  /** The query parameters the route takes, each at most once; none when omitted. */
  query?: Q;
  /** The path segments (`[key]`, `[id]`); a malformed one answers 400 naming it. */
  params?: P;
  /** The JSON body of a POST or PATCH; when omitted only an empty body or `{}` is accepted. */
  body?: B;
  bodyLimitBytes?: number;
  /** Runs before the body is read: may refuse the request (load shedding) without that cost. */
  admit?: (ctx: ServiceContext) => void | Promise<void>;
  /**
   * The environment the request acts in, from the parsed query, checked against a token's scope;
   * null (the default) means every environment, which an environment-scoped token may not touch.
   */
  environment?: (query: z.output<Q>) => string | null;
}

/** Who an open route's uncredentialed caller is: no role beyond reading, every environment. */
export const ANONYMOUS: Actor = { kind: "controller", name: "anonymous", role: "viewer", environment: null };

function hasCredentials(request: Request): boolean {
  return request.headers.has("authorization") || (request.headers.get("cookie") ?? "").length > 0;
}

/** `?env=` as parsed: the routes that act on one environment (or every one when it is absent). */
export const envOfQuery = (query: { env?: string | null }): string | null => query.env ?? null;

type NextHandler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

/** What a route declares, kept on its handler so the OpenAPI document is made from the same schemas (lib/http/openapi.ts). */
export type DescribedHandler = NextHandler & { routeOptions: RouteOptions<z.ZodType, z.ZodType, z.ZodType> };

export function apiRoute<Q extends z.ZodType = NoParameters, P extends z.ZodType = NoParameters, B extends z.ZodType = NoParameters>(
  options: RouteOptions<Q, P, B>,
  handler: (args: RouteArgs<z.output<Q>, z.output<P>, z.output<B>>) => Promise<Response>,
): DescribedHandler {
  const handle: NextHandler = async (request, context) => {
    const requestId = randomUUID();
    try {
      const db = await getDb();
      const anonymous = options.openWhen?.() === true && !hasCredentials(request);
      const actor = anonymous ? ANONYMOUS : await authenticate(db, request);
      if (options.role === "any" ? false : options.role === "sdk" ? actor.kind !== "sdk" : !hasRole(actor, options.role)) {
        throw new ForbiddenError(options.role === "sdk" ? "This needs an SDK key." : `This needs the ${options.role} role.`);
      }
      // Routes without dynamic segments may be called without params.
      const params = parseOrThrow(options.params ?? noParameters, (await context?.params) ?? {}, "path") as z.output<P>;
      const query = parseQuery(new URL(request.url), options.query ?? noParameters) as z.output<Q>;
      const environment = options.role === "sdk" || options.role === "any" ? actor.environment : (options.environment?.(query) ?? null);
      if (!canActIn(actor, environment)) {
        throw new ForbiddenError(`This credential is limited to the ${actor.environment} environment.`, "forbidden", [
          { path: "env", message: `must be ${actor.environment}` },
        ]);
      }
      const ctx: ServiceContext = { db, actor, source: auditSourceOf(actor), requestId };
      await options.admit?.(ctx);
      const body = (
        request.method === "GET" || request.method === "HEAD"
          ? {}
          : await readJsonBody(request, options.body ?? noParameters, options.bodyLimitBytes ?? MAX_BODY_BYTES)
      ) as z.output<B>;
      const response = await handler({ request, query, params, body, ctx });
      response.headers.set("x-request-id", requestId);
      return response;
    } catch (error) {
      return errorResponse(error, requestId);
    }
  };
  return Object.assign(handle, { routeOptions: options as unknown as RouteOptions<z.ZodType, z.ZodType, z.ZodType> });
}

/** Where a change came from, by how the caller authenticated: never by what it claims. */
function auditSourceOf(actor: Actor): ServiceContext["source"] {
  return actor.kind === "user" ? "ui" : actor.kind === "controller" ? "controller" : "api";
}

export function json(body: unknown, init: ResponseInit = {}): Response {
  return Response.json(body, init);
}

/**
 * Query parameters checked against a schema. A parameter given twice is refused rather than
 * resolved: the scope check and the handler must never be able to read different values.
 */
export function parseQuery<S extends z.ZodType>(url: URL, schema: S): z.output<S> {
  // A Map, not an object: `?__proto__=a&__proto__=b` must count as a name given twice.
  const values = new Map<string, string>();
  for (const [name, value] of url.searchParams) {
    if (values.has(name)) {
      throw new ValidationError("duplicate_parameter", `The query parameter ${name} is given more than once.`, [
        { path: name, message: "must be given at most once" },
      ]);
    }
    values.set(name, value);
  }
  return parseOrThrow(schema, Object.fromEntries(values), "query");
}

export function errorResponse(error: unknown, requestId: string): Response {
  if (!(error instanceof AppError) && isDatabaseUnavailable(error)) {
    console.error(`[rampart] request ${requestId}: the database is unavailable`, error);
    return errorResponse(new ServiceUnavailableError(), requestId);
  }
  if (error instanceof AppError) {
    const headers: Record<string, string> = { "x-request-id": requestId };
    if (error.retryAfterSeconds !== undefined) headers["retry-after"] = String(error.retryAfterSeconds);
    return json(
      { error: { code: error.code, message: error.message, requestId, details: error.details } },
      { status: error.status, headers },
    );
  }
  console.error(`[rampart] request ${requestId} failed`, error);
  return json(
    { error: { code: "internal_error", message: "Something went wrong on our side.", requestId, details: [] } },
    { status: 500, headers: { "x-request-id": requestId } },
  );
}
