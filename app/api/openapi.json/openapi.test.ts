import { readFileSync } from "node:fs";
import path from "node:path";
import Ajv2020 from "ajv/dist/2020";
import { describe, expect, it } from "vitest";
import { openApiDocument, readRouteFiles, routePath, type RouteFile } from "@/lib/http/openapi";
import * as route from "./route";

const root = path.resolve(import.meta.dirname, "../../..");
type Operation = { parameters: { name: string; in: string }[]; requestBody?: { content: { "application/json": { schema: object } } } };
type Document = { paths: Record<string, Record<string, Operation>> };
const committed = JSON.parse(readFileSync(path.join(root, "docs/openapi.json"), "utf8")) as Document;
let routes: RouteFile[];

describe("the OpenAPI document", () => {
  it("is what the routes' schemas make today (npm run openapi writes it)", async () => {
    routes = await readRouteFiles(root);
    const { version } = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { version: string };
    expect(JSON.parse(JSON.stringify(openApiDocument(routes, version))), "docs/openapi.json is stale: run npm run openapi").toEqual(committed);
  });

  it("covers every route under app/api, with each method it exports", async () => {
    routes ??= await readRouteFiles(root);
    const apiRoutes = routes.filter((r) => r.file.startsWith(`app${path.sep}api${path.sep}`));
    expect(apiRoutes.length).toBeGreaterThan(40);
    for (const r of apiRoutes) {
      expect(committed.paths[r.path], r.file).toBeDefined();
      expect(Object.keys(committed.paths[r.path]!).sort(), r.file).toEqual(r.methods.map((m) => m.method.toLowerCase()).sort());
    }
    expect(routePath(path.join("app", "api", "flags", "[key]", "route.ts"))).toBe("/api/flags/{key}");
    expect(routePath(path.join("app", "(console)", "x", "route.ts"))).toBe("/x");
  });

  it("accepts every request the README shows: path, query and body", () => {
    const readme = readFileSync(path.join(root, "README.md"), "utf8");
    const commands = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((block) => block[1]!.replace(/\\\n\s*/g, " ").split("\n")).filter((line) => line.startsWith("curl "));
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    let checked = 0;
    for (const command of commands) {
      const url = /'?(https?:\/\/localhost:3000[^\s']*)'?/.exec(command)?.[1];
      if (!url) continue;
      const body = /-d '([\s\S]*?)'(?:\s|$)/.exec(command)?.[1];
      const method = (/-X (\w+)/.exec(command)?.[1] ?? (body ? "POST" : "GET")).toLowerCase();
      const { pathname, searchParams } = new URL(url);
      const template = Object.keys(committed.paths).find((p) => new RegExp(`^${p.replace(/\{[^}]+\}/g, "[^/]+").replace(/\./g, "\\.")}$`).test(pathname));
      expect(template, command).toBeDefined();
      const operation = committed.paths[template!]![method];
      expect(operation, `${method} ${template}`).toBeDefined();
      for (const name of searchParams.keys()) expect(operation!.parameters.some((p) => p.in === "query" && p.name === name), `${command}: ?${name}`).toBe(true);
      if (body) {
        const schema = operation!.requestBody?.content["application/json"].schema;
        expect(schema, `${command}: takes no body`).toBeDefined();
        const valid = ajv.validate(schema!, JSON.parse(body));
        expect(valid, `${command}\n${JSON.stringify(ajv.errors)}`).toBe(true);
      }
      checked += 1;
    }
    expect(checked).toBeGreaterThanOrEqual(10);
  });

  it("is served at /api/openapi.json without credentials", async () => {
    const response = await route.GET(new Request("http://localhost/api/openapi.json"), { params: Promise.resolve({}) });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { openapi: string }).openapi).toBe("3.1.0");
  });
});
