import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// Runs only with DATABASE_URL (see vitest.config.mts): it needs a PostgreSQL server to create a database on.
const serverUrl = new URL(process.env.DATABASE_URL ?? "postgres://localhost/postgres");
const freshName = `rampart_migrate_${process.pid}_${Date.now()}`;
const freshUrl = Object.assign(new URL(serverUrl.href), { pathname: `/${freshName}` }).href;

async function withServer<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl.href });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

function migrateInChildProcess(startAt: number): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/migrate.mts"], {
      cwd: path.resolve(import.meta.dirname, ".."),
      env: { ...process.env, DATABASE_URL: freshUrl, RAMPART_MIGRATE_AT: String(startAt) },
    });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("close", (code) => resolve({ code, output }));
  });
}

describe("migrations at start-up", () => {
  beforeAll(() => withServer((client) => client.query(`create database "${freshName}"`)));
  afterAll(() => withServer((client) => client.query(`drop database if exists "${freshName}" with (force)`)));

  it("two processes migrating one fresh database at the same moment both succeed and apply each migration once", async () => {
    const startAt = Date.now() + 2500; // both processes load first, then start together
    const [first, second] = await Promise.all([migrateInChildProcess(startAt), migrateInChildProcess(startAt)]);

    expect(first, first.output).toMatchObject({ code: 0 });
    expect(second, second.output).toMatchObject({ code: 0 });

    const journal = JSON.parse(readFileSync(path.resolve(import.meta.dirname, "migrations/meta/_journal.json"), "utf8"));
    const fresh = new pg.Client({ connectionString: freshUrl });
    await fresh.connect();
    try {
      const applied = await fresh.query("select hash from drizzle.__drizzle_migrations");
      expect(applied.rowCount).toBe(journal.entries.length);
      const environments = await fresh.query("select key from environments order by key");
      expect(environments.rows.map((row) => row.key)).toEqual(["production", "staging"]);
    } finally {
      await fresh.end();
    }
  });
});
