import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

// The import rules that keep the layers apart, checked on the source: pages and route handlers
// reach data through their adapters (lib/pages, lib/http), components never see the database,
// and lib never reaches up into app.

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
