import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

// The import rules that keep the layers apart, checked on the source: pages and route handlers
// reach data through their adapters (lib/pages, lib/http), components never see the database,
// lib never reaches up into app, and the folders under lib/ import each other one way.

const repo = path.resolve(import.meta.dirname, "..");
const SOURCE = /\.(ts|tsx|mts)$/;
// `from "x"`, `import "x"`, `import("x")`: every way a module names another.
const IMPORT = /(?:\bfrom\s*|\bimport\s*\(?\s*)["']([^"']+)["']/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(repo, dir), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && SOURCE.test(entry.name))
    .map((entry) => path.relative(repo, path.join(entry.parentPath, entry.name)));
}

/** The repository paths a file imports: `@/` and relative specifiers; packages are left out. */
function importsOf(file: string, source = readFileSync(path.join(repo, file), "utf8")): string[] {
  const imports: string[] = [];
  for (const [, specifier] of source.matchAll(IMPORT)) {
    if (specifier.startsWith("@/")) imports.push(specifier.slice(2));
    else if (specifier.startsWith(".")) imports.push(path.relative(repo, path.resolve(repo, path.dirname(file), specifier)));
  }
  return imports;
}

/** `file → import` for every import of a file in `files` that falls under one of `forbidden`. */
function offending(files: string[], forbidden: string[]): string[] {
  return files.flatMap((file) =>
    importsOf(file)
      .filter((target) => forbidden.some((dir) => target === dir || target.startsWith(`${dir}/`)))
      .map((target) => `${file} → ${target}`),
  );
}

describe("import rules", () => {
  it("no file under app/ imports the database: pages go through consolePage, route handlers through apiRoute", () => {
    expect(offending(sourceFiles("app"), ["lib/db", "db"])).toEqual([]);
  });

  it("no file under components/ imports the database, even for a type", () => {
    expect(offending(sourceFiles("components"), ["lib/db", "db"])).toEqual([]);
  });

  it("no file under lib/ imports app/, tests included: route tests sit beside their routes", () => {
    // This file names app/ modules only as sample imports, to check the matcher.
    const files = sourceFiles("lib").filter((file) => file !== path.relative(repo, import.meta.filename));
    expect(offending(files, ["app"])).toEqual([]);
  });

  it("finds imports in every form, so the rules above cannot pass by missing them", () => {
    const source = [
      'import type { Db } from "@/lib/db/client";',
      'import { x,\n  y } from "../../db/schema";',
      'export { z } from "./local";',
      'import "@/app/globals.css";',
      'const route = await import("@/app/api/flags/route");',
      'import { z } from "zod";',
    ].join("\n");
    expect(importsOf("components/charts/chart.tsx", source)).toEqual([
      "lib/db/client",
      "db/schema",
      "components/charts/local",
      "app/globals.css",
      "app/api/flags/route",
    ]);
  });
});

type FolderGraph = Map<string, Map<string, string>>;

/** lib folder → lib folder it imports → one file that does, from the non-test files under lib/. */
function libFolderGraph(): FolderGraph {
  const folderOf = (file: string) => (file.startsWith("lib/") && file.split("/").length > 2 ? file.split("/")[1] : null);
  const graph: FolderGraph = new Map();
  for (const file of sourceFiles("lib").filter((file) => !/\.(pg-)?test\.tsx?$/.test(file))) {
    const from = folderOf(file);
    if (!from) continue;
    for (const target of importsOf(file)) {
      const to = folderOf(target);
      if (!to || to === from) continue;
      if (!graph.has(from)) graph.set(from, new Map());
      if (!graph.get(from)!.has(to)) graph.get(from)!.set(to, file);
    }
  }
  return graph;
}

/** One cycle as the folders along it, first repeated last, with a file per step; null when there is none. */
function findCycle(graph: FolderGraph): string | null {
  const done = new Set<string>();
  const trail: string[] = [];
  const visit = (folder: string): string[] | null => {
    const onTrail = trail.indexOf(folder);
    if (onTrail !== -1) return [...trail.slice(onTrail), folder];
    if (done.has(folder)) return null;
    trail.push(folder);
    for (const next of graph.get(folder)?.keys() ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    trail.pop();
    done.add(folder);
    return null;
  };
  for (const folder of [...graph.keys()].sort()) {
    const cycle = visit(folder);
    if (cycle) return [cycle.join(" -> "), ...cycle.slice(1).map((to, i) => `  ${cycle[i]} -> ${to}: ${graph.get(cycle[i])!.get(to)}`)].join("\n");
  }
  return null;
}

describe("lib/ folders", () => {
  const graph = libFolderGraph();

  it("sees the imports it checks", () => {
    expect(graph.get("lifecycle")?.get("flags")).toMatch(/^lib\/lifecycle\//);
    expect(graph.get("flags")?.has("environments")).toBe(true);
  });

  it("import each other one way: no cycle", () => {
    expect(findCycle(graph)).toBeNull();
    expect(findCycle(new Map([["a", new Map([["b", "lib/a/x.ts"]])], ["b", new Map([["a", "lib/b/y.ts"]])]]))).toContain("a -> b -> a");
  });

  it("flags never imports lifecycle, auth never imports credentials, audit never imports flags", () => {
    expect(graph.get("flags")?.get("lifecycle")).toBeUndefined();
    expect(graph.get("credentials")?.get("auth")).toMatch(/^lib\/credentials\//);
    expect(graph.get("auth")?.get("credentials")).toBeUndefined();
    expect(graph.get("audit")?.get("flags")).toBeUndefined();
  });
});
