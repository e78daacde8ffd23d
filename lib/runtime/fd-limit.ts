import { readFileSync } from "node:fs";

// Every SDK stream holds one socket, so an instance serving N streams needs N file descriptors
// plus its database pool and some headroom. Node raises its soft limit to the hard one at start,
// so what this reads is in effect the hard limit the process was given.

/** The floor when RAMPART_EXPECTED_STREAMS is not set: about 3,500 streams. */
export const DEFAULT_OPEN_FILES = 4096;
/** Beyond the streams and the pool: the listening socket, API requests, data files, logs. */
export const OPEN_FILES_HEADROOM = 256;

/** The soft "Max open files" limit in /proc/self/limits; Infinity when unlimited, null if absent. */
export function parseOpenFilesLimit(limits: string): number | null {
  const match = /^Max open files\s+(\d+|unlimited)\s/m.exec(limits);
  if (!match) return null;
  return match[1] === "unlimited" ? Infinity : Number(match[1]);
}

/** What this instance should be allowed to open, from RAMPART_EXPECTED_STREAMS and RAMPART_DB_POOL_MAX. */
export function requiredOpenFiles(env: Record<string, string | undefined>): number {
  const streams = Number(env.RAMPART_EXPECTED_STREAMS);
  if (!env.RAMPART_EXPECTED_STREAMS || !Number.isSafeInteger(streams) || streams < 0) return DEFAULT_OPEN_FILES;
  const pool = Number(env.RAMPART_DB_POOL_MAX ?? 10);
  // The pool's connections plus the dedicated LISTEN connection.
  return streams + (Number.isSafeInteger(pool) && pool > 0 ? pool : 10) + 1 + OPEN_FILES_HEADROOM;
}

/** The warning to print, or null when the limit is enough (or cannot be read). */
export function openFilesWarning(limit: number | null, env: Record<string, string | undefined>): string | null {
  const required = requiredOpenFiles(env);
  if (limit === null || limit >= required) return null;
  const streams = env.RAMPART_EXPECTED_STREAMS ? `RAMPART_EXPECTED_STREAMS=${env.RAMPART_EXPECTED_STREAMS}` : "the default";
  return (
    `[rampart] warning: the open-file limit is ${limit}, below the ${required} that ${streams} needs. ` +
    `Each SDK stream holds a socket; past the limit new streams and database connections fail with EMFILE. ` +
    `Raise it: \`ulimit -n ${required}\` (hard limit too), systemd LimitNOFILE=${required}, docker --ulimit nofile=${required}:${required}.`
  );
}

/** Reads this process's limit (Linux) and warns once at start-up when it is too low. */
export function checkOpenFilesLimit(
  env: Record<string, string | undefined> = process.env,
  readLimits: () => string = () => readFileSync("/proc/self/limits", "utf8"),
  warn: (message: string) => void = console.warn,
): string | null {
  let limit: number | null = null;
  try {
    limit = parseOpenFilesLimit(readLimits());
  } catch {
    // Not Linux: no /proc; nothing to check.
  }
  const warning = openFilesWarning(limit, env);
  if (warning) warn(warning);
  return warning;
}
