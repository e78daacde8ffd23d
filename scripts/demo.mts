// npm run demo — Rampart with traffic: the control plane on the embedded database (kept in
// .data/demo; `rm -rf .data/demo*` starts over), the seeds' two flags, and a synthetic orders
// service at ~400 requests/s gated with @rampart/sdk, reading and writing its own PostgreSQL
// (embedded, in .data/demo-app-db), which Rampart reads for its database evidence. schema_v2
// starts on a guarded ramp (the Demo plan: 1-minute holds), so the guard moves it 5 → 25 → 50 →
// 100 % by itself. Press f (or POST localhost:3001/fault/on) to make its new path slow and
// failing: the guard kills it, and Rampart's Slack message about it arrives at the control
// server's /slack (scripts/demo/slack-sink.ts), which prints it here.
//
// Env: DEMO_PORT / PORT (3000), DEMO_CONTROL_PORT (3001), DEMO_DURATION_S (stop by itself that
// many seconds after the traffic starts; for smoke runs), DEMO_DATA_DIR (.data/demo; the app
// database beside it, in <dir>-app-db), DEMO_APP_DATABASE_PORT (5499), DEMO_APP_DATABASE_URL
// (an existing PostgreSQL for the orders service instead of the embedded one).
import path from "node:path";
import type { Server } from "node:http";
import { createClient, type RampartClient } from "@rampart/sdk";
import { apiClient } from "./demo/api";
import { openAppDatabase, type AppDatabase } from "./demo/app-database";
import { demoAppDatabaseName } from "./demo/connect-app-database";
import { portInUse, startControlPlane, type ControlPlane } from "./demo/control-plane";
import { closeServer, FaultSwitch, startFaultControl } from "./demo/fault-control";
import { OrdersService, SCHEMA_FLAG, TEST_TENANT, TOTAL_FLAG } from "./demo/orders-service";
import { announceRampChange, DEMO_RAMP_PLAN, describeRamp, readDemoRamp, startDemoRamp, type DemoRampPlan } from "./demo/guarded-ramp";
import { bold, dim, formatNumber, green, red, say, yellow } from "./demo/output";
import { OrdersTable } from "./demo/orders-table";
import { DEMO_ADMIN_TOKEN, DEMO_ENVIRONMENT, DEMO_PASSWORD, DEMO_USERS, seedDemo } from "./demo/seed";
import { registerSlackSink, SLACK_SINK_KEEP, SLACK_SINK_PATH, SlackSink } from "./demo/slack-sink";

const root = path.resolve(import.meta.dirname, "..");
const PORT = Number(process.env.DEMO_PORT || process.env.PORT || 3000);
const CONTROL_PORT = Number(process.env.DEMO_CONTROL_PORT || 3001);
const DURATION_S = process.env.DEMO_DURATION_S ? Number(process.env.DEMO_DURATION_S) : undefined;
const DATA_DIR = process.env.DEMO_DATA_DIR ? path.resolve(process.env.DEMO_DATA_DIR) : path.join(root, ".data", "demo");
const DATA_DIR_SHOWN = path.relative(root, DATA_DIR).startsWith("..") ? DATA_DIR : path.relative(root, DATA_DIR);
const APP_DATABASE_URL = process.env.DEMO_APP_DATABASE_URL || undefined;
const APP_DATABASE_PORT = Number(process.env.DEMO_APP_DATABASE_PORT || 5499);
const APP_DATABASE_DIR = `${DATA_DIR}-app-db`;
/**
 * Twice what a dashboard needs: the Demo plan's 5 % step needs 200 rollout requests on the new
 * path in its 1-minute hold, and enough on top for the error-rate guardrail to show +0.5 pp fits
 * (see DEMO_RAMP_PLAN). At ~200 requests/s about 1 in 15 first steps paused at 3× the hold.
 */
const REQUESTS_PER_SECOND = 400;
const ADMIN_TOKEN = DEMO_ADMIN_TOKEN;
const SDK_KEY = "rps_demo-production-key-0001";
const STATUS_EVERY_MS = 10_000;
const READY_TIMEOUT_MS = 10 * 60_000; // the first run builds the app
const url = `http://localhost:${PORT}`;
const apiUrl = `http://127.0.0.1:${PORT}`;
const slackSinkUrl = `http://127.0.0.1:${CONTROL_PORT}${SLACK_SINK_PATH}`;

let controlPlane: ControlPlane | undefined;
let appDatabase: AppDatabase | undefined;
const faultSwitch = new FaultSwitch((on, via) =>
  say(
    on
      ? red(bold(`FAULT ON (${via}): ${SCHEMA_FLAG}'s new path is now slow (~120 ms) and fails ~15% of requests; ${rampPlan?.status === "running" ? "the guard will kill it within a minute" : "kill it from the flag page"}`))
      : green(bold(`fault off (${via}): ${SCHEMA_FLAG}'s new path is healthy again`)),
  ),
);
const slackSink = new SlackSink();
let client: RampartClient | undefined;
let service: OrdersService | undefined;
let faultServer: Server | undefined;
let statusTimer: ReturnType<typeof setInterval> | undefined;
let durationTimer: ReturnType<typeof setTimeout> | undefined;
let rawMode = false;
let rampPlan: DemoRampPlan | null = null;
let api: ReturnType<typeof apiClient> | undefined;
let stopping: Promise<never> | undefined;

for (const [name, value] of [["port", PORT], ["control port", CONTROL_PORT], ["app database port", APP_DATABASE_PORT]] as const) {
  if (!Number.isInteger(value) || value < 1 || value > 65_535) exitWith(`invalid ${name}: ${value}`);
}
if (PORT === CONTROL_PORT) exitWith(`the control plane (${PORT}) and the fault switch (DEMO_CONTROL_PORT) need different ports`);
if (!APP_DATABASE_URL && [PORT, CONTROL_PORT].includes(APP_DATABASE_PORT)) exitWith(`the app database (DEMO_APP_DATABASE_PORT ${APP_DATABASE_PORT}) needs a port of its own`);
if (DURATION_S !== undefined && !(DURATION_S > 0)) exitWith(`DEMO_DURATION_S must be a positive number of seconds`);

// Signals and keys all end here; a second Ctrl-C while stopping does not wait any longer.
process.on("SIGINT", () => (stopping ? forceExit(130) : void shutdown(0, "SIGINT")));
process.on("SIGTERM", () => void shutdown(0, "SIGTERM"));
process.on("SIGHUP", () => void shutdown(0, "SIGHUP"));
process.on("exit", () => {
  // Never leave a next-server or a PostgreSQL behind.
  controlPlane?.killNow();
  appDatabase?.killNow();
});
process.on("uncaughtException", (error) => {
  console.error(red(`demo failed: ${error.stack ?? error.message}`));
  void shutdown(1);
});
process.on("unhandledRejection", (error) => {
  console.error(red(`demo failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`));
  void shutdown(1);
});

try {
  await main();
} catch (error) {
  if (!stopping) console.error(red(`demo failed: ${error instanceof Error ? error.message : String(error)}`));
  await shutdown(1);
}

async function main(): Promise<void> {
  if (await portInUse(PORT)) {
    exitWith(`port ${PORT} is already in use (another Rampart?). Stop it, or run with DEMO_PORT=3100 npm run demo.`);
  }

  // The fault switch first: it starts in a second, so a busy port fails before the build.
  faultServer = await startFaultControl(faultSwitch, CONTROL_PORT, [(request, response, path) => slackSink.handle(request, response, path)]).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "EADDRINUSE") exitWith(`port ${CONTROL_PORT} (the fault switch) is in use; set DEMO_CONTROL_PORT`);
    throw error;
  });

  say(APP_DATABASE_URL ? "opening the orders service's database (DEMO_APP_DATABASE_URL)" : `starting the orders service's PostgreSQL on 127.0.0.1:${APP_DATABASE_PORT} with data in ${DATA_DIR_SHOWN}-app-db`);
  const startedAt = performance.now();
  appDatabase = await openAppDatabase({ url: APP_DATABASE_URL, dataDir: APP_DATABASE_DIR, port: APP_DATABASE_PORT });
  for (const step of appDatabase.applied) say(dim(`orders schema: ${step}`));
  say(`the orders service's database ${appDatabase.location} is ready (${((performance.now() - startedAt) / 1000).toFixed(1)} s)`);
  if (!appDatabase.statementStats) say(yellow("pg_stat_statements is not loaded there: Rampart will say old-column reads and writes cannot be counted"));
  if (stopping) return;

  say(`starting Rampart on ${url} with data in ${DATA_DIR_SHOWN} (the first run builds the app: a minute or two)`);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    RAMPART_DATA_DIR: DATA_DIR,
    RAMPART_ADMIN_EMAIL: DEMO_USERS[0].email,
    RAMPART_ADMIN_PASSWORD: DEMO_PASSWORD,
    RAMPART_INIT_ADMIN_TOKEN: ADMIN_TOKEN,
    RAMPART_INIT_SDK_KEYS: `production:${SDK_KEY}`,
    // The Slack sink is on 127.0.0.1, which Rampart refuses as a destination without this.
    RAMPART_WEBHOOK_ALLOW_PRIVATE: "1",
  };
  delete env.DATABASE_URL; // the demo always runs on the embedded database
  controlPlane = startControlPlane({ root, port: PORT, env });
  void controlPlane.exited.then((code) => {
    if (!stopping) {
      console.error(red(`the control plane exited unexpectedly (code ${code})`));
      void shutdown(1);
    }
  });
  await controlPlane.waitUntilReady(ADMIN_TOKEN, READY_TIMEOUT_MS);
  if (stopping) return;
  say(green(`Rampart is up on ${url}`));

  api = apiClient(apiUrl, ADMIN_TOKEN);
  await seedDemo(api, { name: demoAppDatabaseName(appDatabase.location), dsn: appDatabase.monitorDsn });
  await registerSlackSink(api, { url: slackSinkUrl, environment: DEMO_ENVIRONMENT });
  rampPlan = await startDemoRamp(api);

  let lastSdkError = 0;
  client = createClient({
    url: apiUrl,
    sdkKey: SDK_KEY,
    flushIntervalMs: 2_000,
    onError: (error) => {
      if (stopping || Date.now() - lastSdkError < 10_000) return; // one line per 10 s is plenty
      lastSdkError = Date.now();
      say(yellow(`sdk: ${error.message}`));
    },
  });
  if (!(await client.ready({ timeoutMs: 10_000 }))) say(yellow("the SDK has not loaded the flags yet; serving the legacy path meanwhile"));
  if (stopping) return;

  const orders = new OrdersTable(appDatabase.pool);
  await orders.load();
  let lastDatabaseError = 0;
  service = new OrdersService(client, orders, () => faultSwitch.fault, REQUESTS_PER_SECOND, (error) => {
    if (stopping || Date.now() - lastDatabaseError < 10_000) return;
    lastDatabaseError = Date.now();
    say(yellow(`orders database: ${error.message}`));
  });
  service.start();
  listenForKeys();
  printBanner();

  statusTimer = setInterval(() => void refreshRampThenPrintStatus(), STATUS_EVERY_MS);
  if (DURATION_S !== undefined) {
    say(dim(`DEMO_DURATION_S=${DURATION_S}: stopping by itself in ${DURATION_S} s`));
    durationTimer = setTimeout(() => void shutdown(0, `DEMO_DURATION_S=${DURATION_S}`), DURATION_S * 1000);
  }
}

function printBanner(): void {
  const token = ADMIN_TOKEN;
  const dataDirs = appDatabase?.embedded ? `${DATA_DIR_SHOWN} ${DATA_DIR_SHOWN}-app-db` : DATA_DIR_SHOWN;
  const lines = [
    "",
    bold("Rampart demo is running"),
    "",
    `  Dashboard    ${bold(url)}`,
    `  Sign in      ${DEMO_USERS.map((u) => `${u.email.padEnd(22)} / ${DEMO_PASSWORD}   ${dim(`(${u.role})`)}`).join("\n               ")}`,
    `  API token    ${token}`,
    `               ${dim(`curl -H "Authorization: Bearer ${token}" '${url}/api/flags/schema_v2/metrics?window=15m'`)}`,
    `  App database ${appDatabase ? `${appDatabase.location} (${appDatabase.embedded ? "embedded PostgreSQL 17" : "DEMO_APP_DATABASE_URL"}): the orders table both flags change; Rampart reads it read-only` : "none"}`,
    `               ${dim(`curl -H "Authorization: Bearer ${token}" '${url}/api/flags/schema_v2/database?env=${DEMO_ENVIRONMENT}'`)}`,
    `  Traffic      ~${REQUESTS_PER_SECOND} requests/s from a synthetic orders service (SDK key ${SDK_KEY}); 2% batch jobs, 1% without a user, 1% from the test tenant ${TEST_TENANT.attribute} ${TEST_TENANT.value}`,
    `  Fault        ${rawMode ? "press f, or " : ""}curl -X POST localhost:${CONTROL_PORT}/fault/on   ${dim(`(…/fault/off, GET /fault)`)}`,
    `  Slack        kills, guard rollbacks, pauses and restores in ${DEMO_ENVIRONMENT} print here as Slack messages (${slackSinkUrl}; GET it for the last ${SLACK_SINK_KEEP})`,
    `               ${dim("for a real Slack: add a destination with its incoming-webhook URL in Settings → Notifications")}`,
    `  Stop         ${rawMode ? "q or " : ""}Ctrl-C   ${dim(`(data stays in ${dataDirs}; rm -rf ${dataDirs} to start over)`)}`,
    `  Guarded ramp ${SCHEMA_FLAG} on the Demo plan: ${DEMO_RAMP_PLAN.steps.join(" → ")}%, 1-minute holds, p99 ≤ legacy + 20%, errors ≤ legacy + 0.5 pp`,
    `               ${rampPlan ? `now: ${describeRamp(rampPlan)}` : dim("no plan")}`,
    "",
    ...(rampPlan?.status === "running"
      ? [
          `  ${yellow("Try it:")} Open ${SCHEMA_FLAG} and watch the guard move it up a step every minute or two. Then ${rawMode ? "press f" : "turn the fault on"}:`,
          `           its new path turns slow and failing, and the guard kills the flag within a minute; the flag page says why.`,
        ]
      : [
          `  ${yellow("Try it:")} ${SCHEMA_FLAG}'s guarded ramp is not running (${rampPlan?.summary ?? "none"}): ramp it from the flag page, ${rawMode ? "press f" : "turn the fault on"}`,
          `           and kill it there; or stop, rm -rf ${dataDirs} and start over for a fresh guarded ramp.`,
        ]),
    `           ${dim(`(${TEST_TENANT.value} is a test tenant forced on: all its requests take the new path, and both columns receive its writes.)`)}`,
    "",
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
}

/** Reads the plan (a failed read keeps the last one), says what the guard did, then prints the status line. */
async function refreshRampThenPrintStatus(): Promise<void> {
  if (api) {
    const before = rampPlan;
    try {
      rampPlan = await readDemoRamp(api);
      if (stopping) return;
      announceRampChange(before, rampPlan);
    } catch (error) {
      if (stopping) return;
      say(yellow(`could not read ${SCHEMA_FLAG}'s guarded ramp: ${error instanceof Error ? error.message : String(error)}`));
    }
  }
  printStatus();
}

function printStatus(): void {
  if (!service || !client) return;
  const window = service.takeWindow();
  const schema = window.flags[SCHEMA_FLAG];
  const routed = schema.new.calls + schema.legacy.calls;
  const share = routed ? (100 * schema.new.calls) / routed : 0;
  const ratio = ({ errors, calls }: { errors: number; calls: number }) => `${errors}/${formatNumber(calls)}`;
  const errors = `errors new ${ratio(schema.new)}, legacy ${ratio(schema.legacy)}`;
  const tenant = window.testTenant;
  const total = window.flags[TOTAL_FLAG];
  const { batchesSent, pendingBatches } = client.metricsStatus();
  const sdk = client.status().connected ? "sdk connected" : yellow("sdk reconnecting");
  say(
    [
      `${formatNumber(window.requests / (STATUS_EVERY_MS / 1000))} req/s`,
      `${SCHEMA_FLAG} new path ${share.toFixed(1)}%`,
      describeRamp(rampPlan),
      `${TEST_TENANT.value} new ${tenant.new.calls}/${tenant.new.calls + tenant.legacy.calls}`,
      schema.new.errors > 0 && faultSwitch.fault ? red(errors) : errors,
      `${TOTAL_FLAG} legacy ${total.legacy.calls}`,
      faultSwitch.fault ? red("fault ON") : "fault off",
      dim(`${sdk}, ${batchesSent} metric batches sent${pendingBatches ? `, ${pendingBatches} pending` : ""}`),
    ].join(" · "),
  );
}

function listenForKeys(): void {
  const stdin = process.stdin;
  if (!stdin.isTTY || isCi()) return;
  stdin.setRawMode(true);
  rawMode = true;
  stdin.setEncoding("utf8");
  stdin.resume();
  stdin.on("data", (data: string) => {
    for (const key of data) {
      if (key === "f" || key === "F") faultSwitch.setFault(!faultSwitch.fault, "key f");
      else if (key === "q" || key === "Q" || key === "\u0003" || key === "\u0004") {
        if (stopping && key === "\u0003") forceExit(130);
        void shutdown(0, key === "\u0003" ? "Ctrl-C" : "q");
      } else if (key === "s" || key === "\r") printStatus();
      else if (key === "h" || key === "?") printBanner();
    }
  });
}

function restoreTerminal(): void {
  if (!rawMode) return;
  rawMode = false;
  try {
    process.stdin.setRawMode(false);
  } catch {
    // The terminal went away.
  }
  process.stdin.pause();
}

/** Stops in order: traffic, the SDK (sends its last metrics), the fault switch, the control plane. Idempotent. */
function shutdown(code: number, why?: string): Promise<never> {
  stopping ??= (async () => {
    if (why) say(`stopping (${why})…`);
    clearInterval(statusTimer);
    clearTimeout(durationTimer);
    restoreTerminal();
    if (service) {
      await service.stop();
      const totals = service.totals();
      const schema = totals.flags[SCHEMA_FLAG];
      const describe = (name: string, { calls, errors }: { calls: number; errors: number }) => `${name} path ${formatNumber(calls)} (${errors} failed)`;
      say(`served ${formatNumber(totals.requests)} requests; ${SCHEMA_FLAG}: ${describe("new", schema.new)}, ${describe("legacy", schema.legacy)}`);
    }
    await client?.close().catch(() => undefined);
    if (faultServer) await closeServer(faultServer);
    if (controlPlane) {
      say("stopping the control plane…");
      await controlPlane.stop();
    }
    // After Rampart, so its checks never find the database gone.
    await appDatabase?.stop().catch((error: unknown) => say(yellow(`stopping the orders service's database: ${error instanceof Error ? error.message : String(error)}`)));
    say("stopped");
    process.exit(code);
  })();
  return stopping;
}

function forceExit(code: number): never {
  restoreTerminal();
  controlPlane?.killNow();
  appDatabase?.killNow();
  process.exit(code);
}

function exitWith(message: string): never {
  console.error(red(`demo: ${message}`));
  restoreTerminal();
  controlPlane?.killNow();
  appDatabase?.killNow();
  process.exit(1);
}

function isCi(): boolean {
  const ci = process.env.CI;
  return ci !== undefined && ci !== "" && ci !== "0" && ci.toLowerCase() !== "false";
}
