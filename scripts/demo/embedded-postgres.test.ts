import { chmod, mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { assertReachableByServer, firstClosedDirectory } from "./embedded-postgres";

const made: string[] = [];
afterEach(async () => {
  for (const dir of made.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function tree(): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), "rampart-reach-"));
  made.push(root);
  await chmod(root, 0o755);
  await mkdir(path.join(root, "open", "closed", "inner"), { recursive: true });
  await chmod(path.join(root, "open"), 0o755);
  await chmod(path.join(root, "open", "closed"), 0o700);
  return root;
}

describe("firstClosedDirectory", () => {
  test("names the first directory others cannot pass through, and stops where the path does not exist yet", async () => {
    const root = await tree();
    expect(firstClosedDirectory(path.join(root, "open", "closed", "inner"))).toBe(path.join(root, "open", "closed"));
    expect(firstClosedDirectory(path.join(root, "open", "closed"))).toBe(path.join(root, "open", "closed"));
    expect(firstClosedDirectory(path.join(root, "open"))).toBeUndefined();
    expect(firstClosedDirectory(path.join(root, "open", "not-yet", "data"))).toBeUndefined();
  });
});

describe("assertReachableByServer (checked as root, where the server runs as the postgres user)", () => {
  test("refuses a data directory under a 0700 directory, naming it and DEMO_DATA_DIR", async () => {
    const root = await tree();
    const dataDir = path.join(root, "open", "closed", "inner", "data");
    expect(() => assertReachableByServer(path.join(root, "open"), dataDir)).toThrow(
      `cannot enter ${path.join(root, "open", "closed")} to reach its data in ${dataDir}. Set DEMO_DATA_DIR`,
    );
  });

  test("refuses binaries under a 0700 directory; a 0700 data directory itself is PostgreSQL's own and passes", async () => {
    const root = await tree();
    const binaries = path.join(root, "open", "closed", "inner");
    expect(() => assertReachableByServer(binaries, path.join(root, "open", "data"))).toThrow(
      `cannot enter ${path.join(root, "open", "closed")} to reach its binaries in ${binaries}`,
    );
    expect(() => assertReachableByServer(path.join(root, "open"), path.join(root, "open", "closed"))).not.toThrow();
  });
});
