import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { defineConfig } from "@playwright/test";
import { E2E_ADMIN_TOKEN } from "./e2e/accounts";

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
  projects: [
    { name: "setup", testMatch: /auth\.setup\.ts/ },
    { name: "chromium", testIgnore: /auth\.setup\.ts/, dependencies: ["setup"] },
  ],
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
    env: {
      PORT: String(port),
      RAMPART_INIT_ADMIN_TOKEN: E2E_ADMIN_TOKEN,
      // Every test signs in from 127.0.0.1; the limit itself is tested in app/api/auth.test.ts.
      RAMPART_LOGIN_ATTEMPTS_PER_MINUTE: "50",
      RAMPART_LOGIN_ATTEMPTS_PER_ACCOUNT: "50",
      // The guard checks running plans every 2 s instead of 10 s, so e2e/guarded-ramp.spec.ts waits
      // little past a plan's 1-minute hold; holds themselves are as in production.
      RAMPART_GUARD_INTERVAL_MS: "2000",
      // On PostgreSQL Rampart generates no key: DSNs and webhook URLs need one set, as in production.
      RAMPART_SECRET_KEY: "e2e secret key, the same on every instance, 0123456789",
      // e2e/notifications-settings.spec.ts delivers to a receiver it starts on 127.0.0.1.
      RAMPART_WEBHOOK_ALLOW_PRIVATE: "1",
      ...(dataDir ? { RAMPART_DATA_DIR: dataDir } : {}),
    },
  },
});
