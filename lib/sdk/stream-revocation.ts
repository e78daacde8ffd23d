import { getConnection, type DbConnection } from "@/lib/db/client";
import { findRevokedCredentialIds } from "@/lib/credentials/credential-store";

function positiveFromEnv(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

/** How often the SDK keys of this instance's open streams are checked for revocation. */
export const REVOCATION_CHECK_MS = positiveFromEnv("RAMPART_STREAM_REVOCATION_CHECK_MS", 10_000);

/**
 * Ends the streams of SDK keys revoked after they opened, whichever instance revoked them: one
 * query per interval for every key this instance streams to, and none while it streams to none.
 * The SDK reconnects, gets a 401, and keeps serving what it last had.
 */
export class StreamRevocationWatch {
  private readonly streams = new Map<number, Set<() => void>>();
  private timer: ReturnType<typeof setInterval> | null = null;
  private checking = false;

  constructor(
    private readonly connection: DbConnection,
    private readonly intervalMs = REVOCATION_CHECK_MS,
  ) {}

  /** Calls `end` once the SDK key is seen revoked; returns the unwatch, for the stream's cleanup. */
  watch(credentialId: number, end: () => void): () => void {
    let ends = this.streams.get(credentialId);
    if (!ends) this.streams.set(credentialId, (ends = new Set()));
    ends.add(end);
    if (!this.timer) {
      this.timer = setInterval(() => void this.check(), this.intervalMs);
      // Open streams keep the process alive by their sockets, not by this timer.
      this.timer.unref();
    }
    return () => this.unwatch(credentialId, end);
  }

  /** The streams ended by this check. */
  async check(): Promise<number> {
    if (this.checking || this.streams.size === 0) return 0;
    this.checking = true;
    try {
      const revoked = await findRevokedCredentialIds(this.connection.db, "sdk-key", [...this.streams.keys()]);
      let ended = 0;
      for (const id of revoked) {
        for (const end of [...(this.streams.get(id) ?? [])]) {
          end();
          ended += 1;
        }
      }
      return ended;
    } catch (error) {
      console.error("[rampart] could not check the SDK keys of open streams for revocation", error);
      return 0;
    } finally {
      this.checking = false;
    }
  }

  private unwatch(credentialId: number, end: () => void): void {
    const ends = this.streams.get(credentialId);
    if (!ends?.delete(end)) return;
    if (ends.size === 0) this.streams.delete(credentialId);
    if (this.streams.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }
}

const holder = globalThis as typeof globalThis & { __rampartRevocationWatch?: { connection: DbConnection; watch: StreamRevocationWatch } };

/** The process-wide watch, on the process-wide database connection. */
export async function getStreamRevocationWatch(): Promise<StreamRevocationWatch> {
  const connection = await getConnection();
  if (holder.__rampartRevocationWatch?.connection !== connection) {
    holder.__rampartRevocationWatch = { connection, watch: new StreamRevocationWatch(connection) };
  }
  return holder.__rampartRevocationWatch.watch;
}
