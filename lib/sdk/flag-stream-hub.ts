import type { FlagChange } from "@rampart/sdk";
import { getConnection, type DbConnection } from "@/lib/db/client";
import type { Environment } from "@/lib/environments/environment-store";
import { FLAG_CHANGES_CHANNEL } from "@/lib/propagation/flag-changes";
import { readFlagChangesSince } from "./flag-snapshot";

type Listener = (changes: FlagChange[]) => void;

interface Feed {
  environment: Environment;
  /** The newest change already fanned out to listeners. */
  seq: number;
  listeners: Set<Listener>;
  refreshing: Promise<void> | null;
  refreshAgain: boolean;
}

/**
 * Fans flag changes out to this instance's SDK streams. A NOTIFY names the environment that
 * changed; the hub reads what is new there once and hands it to every stream of it, so a
 * thousand streams cost one query per change, not a thousand.
 */
export class FlagStreamHub {
  private readonly feeds = new Map<string, Feed>();
  private listening: Promise<() => Promise<void>> | null = null;

  constructor(private readonly connection: DbConnection) {}

  /**
   * Sends the listener every change after `afterSeq`, then each new one as it commits, in
   * order and without gaps. Returns the unsubscribe function.
   */
  async subscribe(environment: Environment, afterSeq: number, listener: Listener): Promise<() => void> {
    this.listening ??= this.connection.listen(
      FLAG_CHANGES_CHANNEL,
      (environmentKey) => this.changed(environmentKey),
      () => this.feeds.forEach((feed) => this.refresh(feed)),
    );
    await this.listening;

    const feed = this.feedFor(environment, afterSeq);
    // Live changes wait until the catch-up read is sent, so the stream never goes backwards.
    const held: FlagChange[] = [];
    let live = false;
    const deliver: Listener = (changes) => (live ? listener(changes) : held.push(...changes));
    feed.listeners.add(deliver);
    const unsubscribe = () => {
      feed.listeners.delete(deliver);
      if (feed.listeners.size === 0 && this.feeds.get(environment.key) === feed) this.feeds.delete(environment.key);
    };
    try {
      const missed = await readFlagChangesSince(this.connection.db, environment.id, afterSeq);
      const caughtUpTo = missed.at(-1)?.seq ?? afterSeq;
      live = true;
      const pending = [...missed, ...held.filter((change) => change.seq > caughtUpTo)];
      if (pending.length > 0) listener(pending);
      feed.seq = Math.max(feed.seq, caughtUpTo);
      return unsubscribe;
    } catch (error) {
      unsubscribe();
      throw error;
    }
  }

  /** A new feed starts where its first subscriber is; nothing after that can be missed. */
  private feedFor(environment: Environment, afterSeq: number): Feed {
    let feed = this.feeds.get(environment.key);
    if (!feed) {
      feed = { environment, seq: afterSeq, listeners: new Set(), refreshing: null, refreshAgain: false };
      this.feeds.set(environment.key, feed);
    }
    return feed;
  }

  private changed(environmentKey: string): void {
    const feed = this.feeds.get(environmentKey);
    if (feed) this.refresh(feed);
  }

  /** One read at a time per environment; a notification during a read triggers one more. */
  private refresh(feed: Feed): void {
    if (feed.refreshing) {
      feed.refreshAgain = true;
      return;
    }
    feed.refreshing = (async () => {
      do {
        feed.refreshAgain = false;
        const changes = await readFlagChangesSince(this.connection.db, feed.environment.id, feed.seq);
        if (changes.length === 0) continue;
        feed.seq = Math.max(feed.seq, changes[changes.length - 1].seq);
        for (const listener of feed.listeners) listener(changes);
      } while (feed.refreshAgain);
    })()
      .catch((error: unknown) => console.error(`[rampart] could not read flag changes for ${feed.environment.key}`, error))
      .finally(() => {
        feed.refreshing = null;
      });
  }

  async close(): Promise<void> {
    const stop = await this.listening;
    this.listening = null;
    this.feeds.clear();
    await stop?.();
  }
}

const holder = globalThis as typeof globalThis & { __rampartStreamHub?: { connection: DbConnection; hub: FlagStreamHub } };

/** The process-wide hub, on the process-wide database connection. */
export async function getFlagStreamHub(): Promise<FlagStreamHub> {
  const connection = await getConnection();
  if (holder.__rampartStreamHub?.connection !== connection) {
    holder.__rampartStreamHub = { connection, hub: new FlagStreamHub(connection) };
  }
  return holder.__rampartStreamHub.hub;
}
