import { randomUUID } from "node:crypto";
import type { z } from "zod";
import { canActIn, hasRole, type Role } from "@/lib/auth/actor";
import { authenticate } from "@/lib/auth/authenticate";
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
  /** The least role that may call this route, or "sdk": only SDK keys, in their own environment. */
  role: Role | "sdk";
  /**
   * The environment the request acts in, checked against a token's scope; null (the default)
   * means every environment, which an environment-scoped token may not touch.
   */
  environment?: (url: URL) => string | null;
}

/** `?env=`, production when absent: the routes that act on one environment. */
export const envFromQuery = (url: URL): string => url.searchParams.get("env") ?? "production";

/** `?env=` when given, else every environment (lists such as the audit log). */
export const optionalEnvFromQuery = (url: URL): string | null => url.searchParams.get("env");

type Params = Record<string, string>;

export function apiRoute<P extends Params = Params>(
  options: RouteOptions,
  handler: (args: RouteArgs<P>) => Promise<Response>,
): (request: Request, context: { params: Promise<P> }) => Promise<Response> {
  return async (request, context) => {
    const requestId = randomUUID();
    try {
      const db = await getDb();
      const url = new URL(request.url);
      const actor = await authenticate(db, request);
      if (options.role === "sdk" ? actor.kind !== "sdk" : !hasRole(actor, options.role)) {
        throw new ForbiddenError(options.role === "sdk" ? "This needs an SDK key." : `This needs the ${options.role} role.`);
      }
      const environment = options.role === "sdk" ? actor.environment : (options.environment?.(url) ?? null);
      if (!canActIn(actor, environment)) {
        throw new ForbiddenError(`This credential is limited to the ${actor.environment} environment.`, "forbidden", [
          { path: "env", message: `must be ${actor.environment}` },
        ]);
      }
      const ctx: ServiceContext = {
        db,
        actor,
        source: request.headers.get(UI_CLIENT_HEADER) === "ui" ? "ui" : "api",
        requestId,
      };
      // Routes without dynamic segments may be called without params.
      const params = ((await context?.params) ?? {}) as P;
      const response = await handler({ request, params, url, ctx });
      response.headers.set("x-request-id", requestId);
      return response;
    } catch (error) {
      return errorResponse(error, requestId);
    }
  };
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
