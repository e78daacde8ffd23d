// The demo's control plane: `node scripts/start.mjs` (builds when needed, then `next start`) in
// its own process group, so stopping it stops the build or the next-server under it too.
import { spawn, type ChildProcess } from "node:child_process";
import { connect } from "node:net";
import { createInterface } from "node:readline";
import { serverLine } from "./output";

export interface ControlPlaneOptions {
  root: string;
  port: number;
  env: NodeJS.ProcessEnv;
}

export interface ControlPlane {
  /** Resolves when `GET /api/me` answers 200 with the token; rejects if the server exits first or `timeoutMs` passes. */
  waitUntilReady(token: string, timeoutMs: number): Promise<void>;
  /** Resolves with the exit code once the server process exits (by itself or after `stop()`). */
  exited: Promise<number>;
  /** SIGTERM to the whole process group, then SIGKILL after `graceMs`; resolves when nothing is left. */
  stop(graceMs?: number): Promise<void>;
  /** Last resort from a synchronous `exit` handler: SIGKILL to the process group if it is still there. */
  killNow(): void;
}

export function startControlPlane({ root, port, env }: ControlPlaneOptions): ControlPlane {
  const child: ChildProcess = spawn(process.execPath, ["scripts/start.mjs"], {
    cwd: root,
    env: { ...env, PORT: String(port) },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true, // its own process group: `next build` / `next-server` are stopped with it
  });
  const pgid = child.pid;
  if (pgid === undefined) throw new Error("could not start scripts/start.mjs");

  for (const stream of ["stdout", "stderr"] as const) {
    const source = child[stream];
    if (source) createInterface({ input: source, crlfDelay: Infinity }).on("line", (line) => serverLine(line, stream));
  }

  let running = true;
  const exited = new Promise<number>((resolve) => {
    child.on("exit", (code, signal) => {
      running = false;
      resolve(code ?? (signal ? 128 : 1));
    });
    child.on("error", () => {
      running = false;
      resolve(1);
    });
  });

  const groupAlive = () => {
    try {
      process.kill(-pgid, 0);
      return true;
    } catch {
      return false;
    }
  };
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-pgid, signal);
    } catch {
      // Already gone.
    }
  };

  async function waitUntilReady(token: string, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let exitCode: number | undefined;
    void exited.then((code) => (exitCode = code));
    while (Date.now() < deadline) {
      if (exitCode !== undefined) throw new Error(`the control plane exited (code ${exitCode}) before it was ready`);
      const status = await fetch(`http://127.0.0.1:${port}/api/me`, {
        headers: { authorization: `Bearer ${token}` },
        signal: AbortSignal.timeout(5_000),
      }).then(
        async (response) => {
          await response.body?.cancel();
          return response.status;
        },
        () => 0,
      );
      if (status === 200) return;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    throw new Error(`the control plane was not ready after ${Math.round(timeoutMs / 1000)} s`);
  }

  async function stop(graceMs = 10_000): Promise<void> {
    if (running || groupAlive()) signalGroup("SIGTERM");
    const deadline = Date.now() + graceMs;
    while ((running || groupAlive()) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    if (running || groupAlive()) {
      signalGroup("SIGKILL");
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 2_000))]);
    }
  }

  function killNow(): void {
    if (running || groupAlive()) signalGroup("SIGKILL");
  }

  return { waitUntilReady, exited, stop, killNow };
}

/** Whether something already accepts connections on this local port. */
export function portInUse(port: number, host = "127.0.0.1"): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host });
    const done = (inUse: boolean) => {
      socket.destroy();
      resolve(inUse);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}
