import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

/**
 * The demo's fresh data directory for this run: made once by the Playwright runner and inherited
 * by its workers (they load the config again), removed when the runner exits.
 */
export function demoDataDir(): string {
  const inherited = process.env.DEMO_E2E_DIR;
  if (inherited) return inherited;
  const dir = mkdtempSync(path.join(tmpdir(), "rampart-demo-e2e-"));
  // As root the app database runs as `postgres`, which must reach its directory inside this one.
  chmodSync(dir, 0o755);
  process.env.DEMO_E2E_DIR = dir;
  // Playwright has stopped the demo and waited for it by then (webServer.gracefulShutdown).
  process.on("exit", () => removeDemoData(dir));
  return dir;
}

/**
 * Kills whatever this run's demo left behind, then removes its data. Everything the demo starts
 * (its next-server, its PostgreSQL and that server's backends) carries this run's unique directory
 * in its environment; only a demo killed before it could stop them leaves any.
 */
function removeDemoData(dir: string): void {
  const leftovers = processesWithEnvironmentNaming(dir).filter((pid) => pid !== process.pid);
  // PostgreSQL's immediate shutdown (SIGQUIT) ends its backends and frees its shared memory; SIGKILL would leak it.
  for (const pid of leftovers) signal(pid, commandName(pid) === "postgres" ? "SIGQUIT" : "SIGKILL");
  const deadline = Date.now() + 5_000;
  while (leftovers.some(alive) && Date.now() < deadline) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
  for (const pid of leftovers.filter(alive)) signal(pid, "SIGKILL");
  if (leftovers.length > 0) console.error(`demo e2e: stopped ${leftovers.length} processes the demo left running (${leftovers.join(", ")})`);
  rmSync(dir, { recursive: true, force: true });
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // Gone meanwhile.
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function commandName(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, "utf8").trim();
  } catch {
    return "";
  }
}

/** Linux only (/proc); elsewhere none are found and only the directory is removed. */
function processesWithEnvironmentNaming(dir: string): number[] {
  const pids: number[] = [];
  let entries: string[] = [];
  try {
    entries = readdirSync("/proc");
  } catch {
    return pids;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/environ`, "utf8").split("\0").some((variable) => variable.includes(dir))) pids.push(Number(entry));
    } catch {
      // Exited, or not ours to read.
    }
  }
  return pids;
}
