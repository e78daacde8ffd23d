import type { Actor } from "@/lib/auth/actor";
import { getConnection, type DbConnection } from "@/lib/db/client";
import { positiveFromEnv } from "@/lib/runtime/env-number";
import { findRevokedCredentialIds } from "./credential-store";
import type { CredentialKind } from "./kinds";

/** How often the credentials behind this instance's open streams are checked for revocation. */
export const REVOCATION_CHECK_MS = positiveFromEnv("RAMPART_STREAM_REVOCATION_CHECK_MS", 10_000);

const KIND_OF: Partial<Record<Actor["kind"], CredentialKind>> = { sdk: "sdk-key", token: "api-token" };

/**
 * Ends the streams an SDK key or API token opened once it is revoked, whichever instance revoked
 * it: one query per kind per interval for every credential this instance streams to, and none
 * while it streams to none. The client reconnects and gets a 401.
 */
export class RevocationWatch {
  private readonly streams = new Map<string, { kind: CredentialKind; id: number; ends: Set<() => void> }>();
  private timer: ReturnType<typeof setInterval> | null = null;
  private checking = false;

  constructor(
    private readonly connection: DbConnection,
    private readonly intervalMs = REVOCATION_CHECK_MS,
  ) {}

  /** Calls `end` once the actor's credential is seen revoked; returns the unwatch, for the stream's cleanup. A session has none to watch. */
  watch(actor: Actor, end: () => void): () => void {
    const kind = KIND_OF[actor.kind];
    if (!kind || actor.credentialId === undefined) return () => undefined;
    const key = `${kind}:${actor.credentialId}`;
    let entry = this.streams.get(key);
    if (!entry) this.streams.set(key, (entry = { kind, id: actor.credentialId, ends: new Set() }));
    entry.ends.add(end);
    if (!this.timer) {
      this.timer = setInterval(() => void this.check(), this.intervalMs);
      // Open streams keep the process alive by their sockets, not by this timer.
      this.timer.unref();
    }
    return () => this.unwatch(key, end);
  }

  /** The streams ended by this check. */
  async check(): Promise<number> {
    if (this.checking || this.streams.size === 0) return 0;
    this.checking = true;
    try {
      let ended = 0;
      for (const kind of ["sdk-key", "api-token"] as const) {
        const ids = [...this.streams.values()].filter((entry) => entry.kind === kind).map((entry) => entry.id);
        for (const id of await findRevokedCredentialIds(this.connection.db, kind, ids)) {
          for (const end of [...(this.streams.get(`${kind}:${id}`)?.ends ?? [])]) {
            end();
            ended += 1;
          }
        }
      }
      return ended;
    } catch (error) {
      console.error("[rampart] could not check the credentials of open streams for revocation", error);
      return 0;
    } finally {
      this.checking = false;
    }
  }

  private unwatch(key: string, end: () => void): void {
    const entry = this.streams.get(key);
    if (!entry?.ends.delete(end)) return;
    if (entry.ends.size === 0) this.streams.delete(key);
    if (this.streams.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }
}

const holder = globalThis as typeof globalThis & { __rampartRevocationWatch?: { connection: DbConnection; watch: RevocationWatch } };

/** The process-wide watch, on the process-wide database connection. */
export async function getRevocationWatch(): Promise<RevocationWatch> {
  const connection = await getConnection();
  if (holder.__rampartRevocationWatch?.connection !== connection) {
    holder.__rampartRevocationWatch = { connection, watch: new RevocationWatch(connection) };
  }
  return holder.__rampartRevocationWatch.watch;
}
