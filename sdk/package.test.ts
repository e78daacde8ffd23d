import { execFile, spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// The SDK as a user gets it: `npm pack` (prepack builds dist/), installed into a fresh project
// outside the repo with nothing else from it, then used by plain `node` through `import` and
// `require`, and type-checked by tsc, against a running control plane.

const run = promisify(execFile);
const sdkDir = import.meta.dirname;
const repo = path.resolve(sdkDir, "..");
const fixtures = path.join(sdkDir, "package-test");
// npm hands its settings to scripts as npm_* variables; the outside project must see none of ours.
const cleanEnv = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name))) as NodeJS.ProcessEnv;

const adminToken = `rpt_pack_${randomUUID()}`;
const sdkKey = `rps_pack_${randomUUID()}`;
const scratch = mkdtempSync(path.join(tmpdir(), "rampart-sdk-pack-"));
const project = path.join(scratch, "service");
let packed: { filename: string; size: number; unpackedSize: number; files: { path: string }[] };
let controlPlane: ChildProcess | undefined;
let url: string;

async function npm(args: string[], cwd: string) {
  return run("npm", [...args, "--no-audit", "--no-fund"], { cwd, env: cleanEnv, maxBuffer: 16 * 1024 * 1024 });
}

async function startControlPlane(): Promise<string> {
  // On PGlite (no DATABASE_URL) the child gets its own in-memory database from RAMPART_DATA_DIR.
  controlPlane = spawn(process.execPath, ["--import", "tsx", "scripts/control-plane.mts"], {
    cwd: repo,
    env: { ...process.env, RAMPART_INIT_ADMIN_TOKEN: adminToken, RAMPART_INIT_SDK_KEYS: `production:${sdkKey}` },
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise<string>((resolve, reject) => {
    controlPlane!.stdout!.on("data", (chunk: Buffer) => {
      const match = /listening (\S+)/.exec(chunk.toString());
      if (match) resolve(match[1]!);
    });
    controlPlane!.on("exit", (code) => reject(new Error(`control plane exited with ${code}`)));
  });
}

async function packAndInstall(): Promise<void> {
  const { stdout } = await npm(["pack", "--json", "--pack-destination", scratch], sdkDir);
  // prepack's build output comes before the JSON on stdout.
  [packed] = JSON.parse(stdout.slice(stdout.indexOf("[\n")));
  mkdirSync(project);
  await npm(["init", "-y"], project);
  await npm(["install", path.join(scratch, packed.filename), "@openfeature/server-sdk@1.23.0"], project);
  for (const file of ["service-flow.cjs", "service.mjs", "service.cjs", "consumer.mts", "consumer.cts"]) {
    copyFileSync(path.join(fixtures, file), path.join(project, file));
  }
  writeFileSync(
    path.join(project, "tsconfig.json"),
    JSON.stringify({ compilerOptions: { module: "nodenext", target: "es2022", strict: true, noEmit: true, skipLibCheck: true, types: [] }, files: ["consumer.mts", "consumer.cts"] }),
  );
}

async function api(pathname: string, method: string, body?: unknown) {
  const response = await fetch(new URL(pathname, url), {
    method,
    headers: { authorization: `Bearer ${adminToken}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(response.status, `${method} ${pathname}: ${await response.clone().text()}`).toBeLessThan(300);
}

async function givenFullyOnFlag(): Promise<string> {
  const key = `pack_${randomUUID().slice(0, 8)}`;
  await api("/api/flags", "POST", { key, owner: "sdk packaging test" });
  await api(`/api/flags/${key}?env=production`, "PATCH", { percentage: 100 });
  return key;
}

async function runService(script: string) {
  const flag = await givenFullyOnFlag();
  const { stdout } = await run(process.execPath, [script], {
    cwd: project,
    env: { ...cleanEnv, RAMPART_URL: url, RAMPART_SDK_KEY: sdkKey, RAMPART_ADMIN_TOKEN: adminToken, RAMPART_FLAG: flag },
    timeout: 60_000,
  });
  return JSON.parse(stdout.trim().split("\n").at(-1)!);
}

const expectedRun = {
  ready: true,
  streaming: true,
  enabledBefore: true,
  gatedBefore: "new",
  providerSharesClient: true,
  openFeatureBefore: true,
  killStatus: 200,
  killSeenAfterMs: expect.any(Number),
  enabledAfter: false,
  gatedAfter: "legacy",
  openFeatureAfter: false,
  dashboard: { newRequests: 1, legacyRequests: 1 },
};

beforeAll(async () => {
  [url] = await Promise.all([startControlPlane(), packAndInstall()]);
}, 240_000);

afterAll(() => {
  controlPlane?.kill("SIGTERM");
  rmSync(scratch, { recursive: true, force: true });
});

describe("the packed @rampart/sdk in a fresh project outside the repo", { timeout: 120_000 }, () => {
  it("holds the ESM and CommonJS builds with their types, and installs only its declared dependency", () => {
    const files = packed.files.map((file) => file.path);
    for (const entry of ["index", "openfeature"]) {
      expect(files).toEqual(expect.arrayContaining([`dist/${entry}.js`, `dist/${entry}.cjs`, `dist/${entry}.d.ts`, `dist/${entry}.d.cts`, `dist/${entry}.js.map`]));
    }
    expect(files.filter((file) => !file.startsWith("dist/")).sort()).toEqual(["LICENSE", "README.md", "evaluation-vectors.json", "package.json", "test-vectors.json"]);
    expect(project.startsWith(repo)).toBe(false);

    const installed = JSON.parse(readFileSync(path.join(project, "node_modules/@rampart/sdk/package.json"), "utf8"));
    expect(installed.private).toBeUndefined();
    expect(Object.keys(installed.dependencies)).toEqual(["@datadog/sketches-js"]);
    // sketches-js loads protobufjs only for its own toProto/fromProto, which the SDK never calls.
    expect(existsSync(path.join(project, "node_modules/protobufjs"))).toBe(false);
    expect(existsSync(path.join(project, "node_modules/eventsource-parser"))).toBe(false);
    console.log(`[sdk/package.test] ${packed.filename}: ${(packed.size / 1024).toFixed(1)} KiB packed, ${(packed.unpackedSize / 1024).toFixed(1)} KiB unpacked`);
  });

  it("a plain node service using `import` connects, evaluates, sees a kill over the stream, and its gated calls reach the dashboard", async () => {
    expect(await runService("service.mjs")).toEqual(expectedRun);
  });

  it("the same through `require`", async () => {
    expect(await runService("service.cjs")).toEqual(expectedRun);
  });

  it("the README's first service runs as written: it connects, and its gated call reaches the dashboard", async () => {
    const readme = readFileSync(path.join(import.meta.dirname, "..", "README.md"), "utf8");
    const block = /<!-- first-service -->\s*```js\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(block).toContain('from "@rampart/sdk"');
    const key = await givenFullyOnFlag();
    writeFileSync(path.join(project, "first-service.mjs"), block!.replaceAll('"schema_v2"', JSON.stringify(key)));
    const { stdout } = await run(process.execPath, ["first-service.mjs"], {
      cwd: project,
      env: { ...cleanEnv, RAMPART_URL: url, RAMPART_SDK_KEY: sdkKey },
      timeout: 60_000,
    });
    expect(stdout.trim()).toBe("connected: true; schema_v2 for user-1: rollout, new path");
    const metrics = await fetch(new URL(`/api/flags/${key}/metrics?window=15m`, url), { headers: { authorization: `Bearer ${adminToken}` } });
    expect(((await metrics.json()) as { totals: { new: { requests: number } } }).totals.new.requests).toBe(1);
  });

  it("type-checks a TypeScript consumer against the packed types, for import and require", async () => {
    const tsc = path.join(repo, "node_modules/typescript/bin/tsc");
    // tsc prints its errors on stdout and exits non-zero; an empty stdout is a clean check.
    const { stdout } = await run(process.execPath, [tsc, "-p", project], { cwd: project, env: cleanEnv }).catch((error: { stdout?: string }) => ({ stdout: error.stdout || String(error) }));
    expect(stdout).toBe("");
  });
});
