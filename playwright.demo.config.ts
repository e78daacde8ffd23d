import path from "node:path";
import { defineConfig } from "@playwright/test";
import { demoDataDir } from "./e2e-demo/demo-data-dir";
import { DEMO_E2E_APP_DATABASE_PORT, DEMO_E2E_CONTROL_PORT, DEMO_E2E_PORT, demoUrl } from "./e2e-demo/demo-ports";

// `npm run demo` as a newcomer runs it, on its own ports and a fresh data directory. After the main
// suite (npm run test:e2e) it serves that suite's build: scripts/start.mjs builds only when the
// sources are newer than .next.
const dataDir = demoDataDir();

export default defineConfig({
  testDir: "e2e-demo",
  // Apart from the main suite's test-results, which Playwright would empty at start.
  outputDir: "test-results/demo",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: process.env.CI ? "list" : "line",
  timeout: 120_000,
  use: {
    baseURL: demoUrl,
    launchOptions: {
      executablePath: "/usr/bin/chromium",
      args: ["--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update"],
    },
    trace: "retain-on-failure",
  },
  webServer: {
    command: "npm run demo",
    url: `${demoUrl}/api/environments`,
    reuseExistingServer: false,
    // A build, if .next is missing or stale, then the demo's own start (about 15 s).
    timeout: 360_000,
    // SIGTERM lets the demo stop its next-server and PostgreSQL, which run in process groups of their own.
    gracefulShutdown: { signal: "SIGTERM", timeout: 45_000 },
    stdout: "pipe",
    env: {
      DEMO_PORT: String(DEMO_E2E_PORT),
      DEMO_CONTROL_PORT: String(DEMO_E2E_CONTROL_PORT),
      DEMO_APP_DATABASE_PORT: String(DEMO_E2E_APP_DATABASE_PORT),
      DEMO_DATA_DIR: path.join(dataDir, "data"),
      // Index scans and statement counts every 10 s instead of every minute, so the panel fills within the test.
      RAMPART_EVIDENCE_COUNTER_INTERVAL_MS: "10000",
      // The embedded app database and no time limit, whatever the shell has set.
      DEMO_APP_DATABASE_URL: "",
      DEMO_DURATION_S: "",
    },
  },
});
