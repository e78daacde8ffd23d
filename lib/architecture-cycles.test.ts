import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

// Each folder under lib/ is a module: imports between folders must go one way, so any folder
// can be read (and changed) knowing only the folders below it.

const LIB = import.meta.dirname;

/** Edges that close a cycle today and are fixed elsewhere; the graph without them must be acyclic. */
const KNOWN_EXCEPTIONS: { from: string; to: string }[] = [
  // The audit-trail read (list-audit-events.ts, schemas.ts) resolves flag and environment keys,
  // while flags and environments record through audit-store: that read belongs above them, a
  // move that rewires the audit and flag pages.
  { from: "audit", to: "environments" },
  { from: "audit", to: "flags" },
];

type Graph = Map<string, Map<string, string>>;

/** Folder → folder it imports → one file that does, from the non-test .ts files under lib/. */
function folderGraph(): Graph {
  const graph: Graph = new Map();
  for (const file of sourceFiles(LIB)) {
    const from = folderOf(path.relative(LIB, file));
    if (!from) continue;
    for (const specifier of importsOf(readFileSync(file, "utf8"))) {
      const to = targetFolder(file, specifier);
      if (!to || to === from) continue;
      if (!graph.has(from)) graph.set(from, new Map());
      if (!graph.get(from)!.has(to)) graph.get(from)!.set(to, path.relative(path.dirname(LIB), file));
    }
  }
  return graph;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(entry.name) && !/\.(pg-)?test\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

/** `from "x"`, `import "x"` and `import("x")`. */
function importsOf(source: string): string[] {
  return [...source.matchAll(/(?:\bfrom|\bimport)\s*\(?\s*["']([^"']+)["']/g)].map((match) => match[1]);
}

/** The lib folder a path inside lib/ belongs to; none for files at lib's top (context.ts, errors.ts). */
function folderOf(relative: string): string | null {
  const parts = relative.split(path.sep);
  return parts.length > 1 && parts[0] !== ".." ? parts[0] : null;
}

function targetFolder(file: string, specifier: string): string | null {
  if (specifier.startsWith("@/lib/")) return folderOf(specifier.slice("@/lib/".length).split("/").join(path.sep));
  if (specifier.startsWith(".")) return folderOf(path.relative(LIB, path.resolve(path.dirname(file), specifier)));
  return null;
}

function withoutExceptions(graph: Graph): Graph {
  const kept: Graph = new Map([...graph].map(([from, targets]) => [from, new Map(targets)]));
  for (const { from, to } of KNOWN_EXCEPTIONS) kept.get(from)?.delete(to);
  return kept;
}

/** One cycle as the folders along it, first repeated last; null when the graph is acyclic. */
function findCycle(graph: Graph): string[] | null {
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
    if (cycle) return cycle;
  }
  return null;
}

function describeCycle(graph: Graph, cycle: string[]): string {
  const steps = cycle.slice(1).map((to, i) => `  ${cycle[i]} -> ${to}: ${graph.get(cycle[i])!.get(to)}`);
  return [`lib folders import each other in a cycle: ${cycle.join(" -> ")}`, ...steps].join("\n");
}

describe("lib/ folder dependencies", () => {
  const graph = folderGraph();

  it("sees the imports it checks", () => {
    expect(graph.get("lifecycle")?.get("flags")).toMatch(/^lib\/lifecycle\//);
    expect(graph.get("flags")?.has("environments")).toBe(true);
  });

  it("go one way: no cycle between folders, apart from the known exceptions", () => {
    const kept = withoutExceptions(graph);
    const cycle = findCycle(kept);
    expect(cycle && describeCycle(kept, cycle)).toBeNull();
  });

  it("go one way between flags and lifecycle: lifecycle reads flags, flags never imports lifecycle", () => {
    expect(graph.get("flags")?.get("lifecycle")).toBeUndefined();
  });

  it("go one way between auth and credentials: credentials builds on auth's roles and actors, auth never imports credentials", () => {
    expect(graph.get("credentials")?.get("auth")).toMatch(/^lib\/credentials\//);
    expect(graph.get("auth")?.get("credentials")).toBeUndefined();
  });
});
