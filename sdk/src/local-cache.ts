import { readFileSync } from "node:fs";
import { mkdir, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import type { FlagState } from "./flag-state";
import { asSnapshot, type FlagStore } from "./flag-store";
import type { FlagSnapshot } from "./protocol";

/**
 * The state a client serves before the control plane answers: a bootstrap, and the copy of the
 * last state it kept in a cache file, so a restart during an outage keeps working.
 */
export class LocalCache {
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: FlagStore,
    private readonly cacheFile: string | undefined,
    private readonly report: (error: unknown) => void,
  ) {}

  /** Loads the bootstrap (a snapshot, a list of flags, or a JSON file of either), then the cache file. */
  load(bootstrap: FlagSnapshot | FlagState[] | string | undefined): void {
    const { store, cacheFile } = this;
    try {
      const fromBootstrap = typeof bootstrap === "string" ? JSON.parse(readFileSync(bootstrap, "utf8")) : bootstrap;
      if (fromBootstrap) store.applySnapshot(asSnapshot(fromBootstrap), "bootstrap");
    } catch (error) {
      this.report(error);
    }
    if (!cacheFile) return;
    try {
      // A cached copy newer than the bootstrap wins: it came from the control plane.
      const cached = asSnapshot(JSON.parse(readFileSync(cacheFile, "utf8")));
      if (cached.cursor >= store.cursor) store.applySnapshot(cached, "bootstrap");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") this.report(error);
    }
  }

  /** Writes are chained and atomic (write, then rename), off the evaluation path. */
  save(environment: string): void {
    const { cacheFile } = this;
    if (!cacheFile) return;
    const snapshot = this.store.snapshot(environment);
    this.writing = this.writing
      .then(async () => {
        await mkdir(path.dirname(cacheFile), { recursive: true });
        const partial = `${cacheFile}.${process.pid}.tmp`;
        await writeFile(partial, JSON.stringify(snapshot));
        await rename(partial, cacheFile);
      })
      .catch((error: unknown) => this.report(error));
  }

  /** Resolves once the last write asked for so far is done (or has failed and been reported). */
  written(): Promise<void> {
    return this.writing;
  }
}
