import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import type { DescribedHandler, RouteOptions } from "./api-route";

// The OpenAPI 3.1 document, made from the zod schemas each route validates with (kept on its
// handler by apiRoute), never written by hand. `npm run openapi` writes docs/openapi.json; a
// test fails when it is out of date, and checks the README's examples against it.

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

export interface RouteFile {
  /** `/api/flags/{key}`, from `app/api/flags/[key]/route.ts`. */
  path: string;
  file: string;
  methods: { method: (typeof METHODS)[number]; options: RouteOptions<z.ZodType, z.ZodType, z.ZodType> | null; summary: string | null }[];
}

/** Every route.ts under app/, with what each exported method declares. */
export async function readRouteFiles(root: string): Promise<RouteFile[]> {
  const files = readdirSync(path.join(root, "app"), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name === "route.ts")
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)))
    .sort();
  const routes: RouteFile[] = [];
  for (const file of files) {
    const mod = (await import(path.join(root, file))) as Record<string, unknown>;
    const source = readFileSync(path.join(root, file), "utf8");
    const methods = METHODS.filter((method) => typeof mod[method] === "function").map((method) => ({
      method,
      options: (mod[method] as Partial<DescribedHandler>).routeOptions ?? null,
      summary: docCommentOf(source, method),
    }));
    routes.push({ path: routePath(file), file, methods });
  }
  return routes;
}

export function routePath(file: string): string {
  const segments = path.dirname(file).split(path.sep).slice(1);
  return `/${segments
    .filter((segment) => !/^\(.*\)$/.test(segment))
    .map((segment) => segment.replace(/^\[\.\.\.(.+)\]$/, "{$1}").replace(/^\[(.+)\]$/, "{$1}"))
    .join("/")}`;
}

/** The comment above `export const GET`, in one line: the operation's summary. */
function docCommentOf(source: string, method: string): string | null {
  const match = new RegExp(`/\\*\\*([\\s\\S]*?)\\*/\\s*export const ${method}\\b`).exec(source);
  if (!match) return null;
  return match[1]!.replace(/^\s*\*\s?/gm, "").replace(/\s+/g, " ").trim();
}

function schemaOf(schema: z.ZodType): Record<string, unknown> {
  const json = z.toJSONSchema(schema, { io: "input", unrepresentable: "any", target: "draft-2020-12" }) as Record<string, unknown>;
  delete json.$schema;
  return json;
}

/** Path and query parameters from the route's params and query schemas (objects of strings). */
function parametersOf(options: RouteFile["methods"][number]["options"], routePathText: string) {
  const parameters: Record<string, unknown>[] = [];
  const names = [...routePathText.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
  const paramsSchema = options?.params ? (schemaOf(options.params) as { properties?: Record<string, unknown> }) : null;
  for (const name of names) parameters.push({ name, in: "path", required: true, schema: paramsSchema?.properties?.[name] ?? { type: "string" } });
  if (options?.query) {
    const query = schemaOf(options.query) as { properties?: Record<string, unknown>; required?: string[] };
    for (const [name, schema] of Object.entries(query.properties ?? {})) parameters.push({ name, in: "query", required: query.required?.includes(name) ?? false, schema });
  }
  return parameters;
}

const ERROR_ENVELOPE = {
  type: "object",
  required: ["error"],
  properties: {
    error: {
      type: "object",
      required: ["code", "message", "details"],
      properties: {
        code: { type: "string" },
        message: { type: "string" },
        details: { type: "array", items: { type: "object", required: ["path", "message"], properties: { path: { type: "string" }, message: { type: "string" } } } },
      },
    },
  },
};

export function openApiDocument(routes: RouteFile[], version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    for (const { method, options, summary } of route.methods) {
      const role = options?.role ?? null;
      const security = role === null ? [] : role === "sdk" ? [{ sdkKey: [] }] : role === "any" ? [{ apiToken: [] }, { sdkKey: [] }, ...(options?.openWhen ? [{}] : [])] : [{ apiToken: [] }, { session: [] }];
      const operation: Record<string, unknown> = {
        operationId: `${method.toLowerCase()}${route.path.replace(/[{}]/g, "").replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ? c.toUpperCase() : ""))}`,
        ...(summary ? { summary } : {}),
        ...(role === null ? { description: "Served by better-auth (sign-in, sign-out, session); see its documentation." } : { "x-rampart-role": role }),
        parameters: parametersOf(options, route.path),
        security,
        responses: {
          "2XX": { description: "Success", content: { "application/json": { schema: {} } } },
          "4XX": { description: "Refused: the body names the field and why", content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } },
        },
      };
      if (options?.body && method !== "GET" && method !== "DELETE") {
        operation.requestBody = { required: true, content: { "application/json": { schema: schemaOf(options.body) } } };
      }
      (paths[route.path] ??= {})[method.toLowerCase()] = operation;
    }
  }
  return {
    openapi: "3.1.0",
    info: { title: "Rampart", version, description: "Rollout operations for schema-backed feature flags. Generated from the routes' zod schemas." },
    paths,
    components: {
      schemas: { Error: ERROR_ENVELOPE },
      securitySchemes: {
        apiToken: { type: "http", scheme: "bearer", description: "An API token (rpt_…), from Settings → API tokens." },
        sdkKey: { type: "http", scheme: "bearer", description: "An SDK key (rps_…), limited to its environment." },
        session: { type: "apiKey", in: "cookie", name: "better-auth.session_token" },
      },
    },
  };
}
