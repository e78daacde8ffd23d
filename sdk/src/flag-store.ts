import { prepareTargets } from "./evaluator";
import type { FlagState } from "./flag-state";
import type { FlagChange, FlagSnapshot } from "./protocol";

/**
 * The flag states an SDK serves from, and the stream position they reflect. A state never
 * replaces a newer version of the same flag, whatever order changes arrive in.
 */
export class FlagStore {
  readonly flags = new Map<string, FlagState>();
  cursor = 0;
  /** Where the current state came from: nothing yet, a bootstrap or cached copy, or the control plane. */
  source: "none" | "bootstrap" | "control-plane" = "none";

  /** A full snapshot: flags it does not list are gone (archived). */
  applySnapshot(snapshot: FlagSnapshot, source: FlagStore["source"]): void {
    const listed = new Set<string>();
    for (const flag of snapshot.flags) {
      listed.add(flag.key);
      this.put(flag);
    }
    for (const key of this.flags.keys()) if (!listed.has(key)) this.flags.delete(key);
    this.cursor = Math.max(this.cursor, snapshot.cursor);
    this.source = source;
  }

  applyChange(change: FlagChange): void {
    if (change.type === "flag") this.put(change.flag);
    else this.flags.delete(change.key);
    this.cursor = Math.max(this.cursor, change.seq);
  }

  snapshot(environment: string): FlagSnapshot {
    return { environment, cursor: this.cursor, flags: [...this.flags.values()] };
  }

  private put(flag: FlagState): void {
    const current = this.flags.get(flag.key);
    if (current && !(flag.version >= current.version)) return;
    // Here, not on the first evaluation, so no request pays for preparing a long target list.
    prepareTargets(flag);
    this.flags.set(flag.key, flag);
  }
}

/** A snapshot read from JSON (a response, a bootstrap, a cache file): a bare list of flags counts as one. */
export function asSnapshot(value: FlagSnapshot | FlagState[]): FlagSnapshot {
  if (Array.isArray(value)) return { environment: "", cursor: 0, flags: value };
  if (!value || !Array.isArray(value.flags)) throw new Error("not a Rampart flag snapshot");
  return { environment: value.environment ?? "", cursor: Number(value.cursor) || 0, flags: value.flags };
}
