import { randomUUID } from "node:crypto";
import type { z } from "zod";
import { anonymousActor, hasRole, type Actor, type Role } from "@/lib/auth/actor";
import type { ServiceContext } from "@/lib/context";
import { getDb } from "@/lib/db/client";
import { AppError, ForbiddenError } from "@/lib/errors";
import { parseOrThrow } from "./validation";

// The Next adapter: every route handler goes through apiRoute, which authenticates,
// checks the role, assigns a request id and turns thrown errors into the one error body.

export const UI_CLIENT_HEADER = "x-rampart-client";

export interface RouteArgs<P> {
  request: Request;
  params: P;
  url: URL;
  ctx: ServiceContext;
}

export interface RouteOptions {
  /** The least role that may call this route. */
  role: Role;
}

type Params = Record<string, string>;

export function apiRoute<P extends Params = Params>(
  options: RouteOptions,
  handler: (args: RouteArgs<P>) => Promise<Response>,
): (request: Request, context: { params: Promise<P> }) => Promise<Response> {
  return async (request, context) => {
    const requestId = randomUUID();
    try {
      const actor = await authenticate(request);
      if (!hasRole(actor, options.role)) {
        throw new ForbiddenError(`This needs the ${options.role} role.`);
      }
      const ctx: ServiceContext = {
        db: await getDb(),
        actor,
        source: request.headers.get(UI_CLIENT_HEADER) === "ui" ? "ui" : "api",
        requestId,
      };
      // Routes without dynamic segments may be called without params.
      const params = ((await context?.params) ?? {}) as P;
      const response = await handler({ request, params, url: new URL(request.url), ctx });
      response.headers.set("x-request-id", requestId);
      return response;
    } catch (error) {
      return errorResponse(error, requestId);
    }
  };
}

/** Sign-in lands in its own issue; until then every caller is the anonymous actor. */
async function authenticate(_request: Request): Promise<Actor> {
  return anonymousActor;
}

export function json(body: unknown, init: ResponseInit = {}): Response {
  return Response.json(body, init);
}

/** Query parameters checked against a schema; a bad one answers 400 naming it. */
export function parseQuery<S extends z.ZodType>(url: URL, schema: S): z.output<S> {
  return parseOrThrow(schema, Object.fromEntries(url.searchParams), "query");
}

export function errorResponse(error: unknown, requestId: string): Response {
  if (error instanceof AppError) {
    return json(
      { error: { code: error.code, message: error.message, requestId, details: error.details } },
      { status: error.status, headers: { "x-request-id": requestId } },
    );
  }
  console.error(`[rampart] request ${requestId} failed`, error);
  return json(
    { error: { code: "internal_error", message: "Something went wrong on our side.", requestId, details: [] } },
    { status: 500, headers: { "x-request-id": requestId } },
  );
}
