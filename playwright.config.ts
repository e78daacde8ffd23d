import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { defineConfig } from "@playwright/test";

const port = Number(process.env.E2E_PORT ?? 3210);
// On the embedded database the app under test gets its own empty data directory.
const dataDir = process.env.DATABASE_URL ? undefined : mkdtempSync(path.join(tmpdir(), "rampart-e2e-"));

export default defineConfig({
  testDir: "e2e",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: process.env.CI ? "list" : "line",
  timeout: 30_000,
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    launchOptions: {
      executablePath: "/usr/bin/chromium",
      args: ["--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update"],
    },
    trace: "retain-on-failure",
  },
  webServer: {
    command: "node scripts/start.mjs",
    url: `http://127.0.0.1:${port}/api/environments`,
    reuseExistingServer: false,
    timeout: 240_000,
    stdout: "pipe",
    env: { PORT: String(port), ...(dataDir ? { RAMPART_DATA_DIR: dataDir } : {}) },
  },
});
