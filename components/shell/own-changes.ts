/**
 * The flag versions this tab wrote itself. The live feed announces every change, ours included;
 * a toast is for a change made by someone else or in another tab, so ours are skipped. The feed
 * may announce a change before its own response arrives, hence the in-flight count.
 */
const ownVersions = new Set<string>();
const inFlight = new Map<string, number>();
const settledListeners = new Map<string, (() => void)[]>();
const MAX_REMEMBERED = 200;

const flagId = (key: string, env: string) => `${env}\u0000${key}`;

/** Call as a write of this flag starts. */
export function beginOwnChange(key: string, env: string): void {
  const id = flagId(key, env);
  inFlight.set(id, (inFlight.get(id) ?? 0) + 1);
}

/** Call as it settles, with the version it wrote (none when it failed or changed nothing). */
export function endOwnChange(key: string, env: string, version: number | null): void {
  const id = flagId(key, env);
  if (version !== null) {
    ownVersions.add(`${id}\u0000${version}`);
    // A Set keeps insertion order: forget the oldest, so a long-lived tab does not grow this forever.
    if (ownVersions.size > MAX_REMEMBERED) ownVersions.delete(ownVersions.values().next().value!);
  }
  const left = (inFlight.get(id) ?? 1) - 1;
  if (left > 0) return void inFlight.set(id, left);
  inFlight.delete(id);
  for (const listener of settledListeners.get(id) ?? []) listener();
  settledListeners.delete(id);
}

/** Whether this tab made the change; waits for this tab's writes of the flag to settle first. */
export async function isOwnChange(key: string, env: string, version: number | null): Promise<boolean> {
  const id = flagId(key, env);
  if (inFlight.has(id)) await new Promise<void>((resolve) => settledListeners.set(id, [...(settledListeners.get(id) ?? []), resolve]));
  return version !== null && ownVersions.has(`${id}\u0000${version}`);
}
