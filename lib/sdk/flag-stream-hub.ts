import { randomUUID } from "node:crypto";
import type { FlagChange } from "@rampart/sdk";
import { getConnection, type DbConnection } from "@/lib/db/client";
import type { Environment } from "@/lib/environments/environment-store";
import { FLAG_CHANGES_CHANNEL, NOTIFY_PROBE_PREFIX, sendNotifyProbe } from "@/lib/propagation/flag-changes";
import { readFlagChangesSince, readNewestChangeSeq } from "./flag-snapshot";

type Listener = (changes: FlagChange[]) => void;

/** A probe that has not come back within this long reads as this long. */
export const NOTIFY_PROBE_TIMEOUT_MS = 2_000;
/** Within this long of the last probe, its answer is reused: scrapes cannot flood the channel. */
const NOTIFY_PROBE_REUSE_MS = 1_000;

interface Feed {
  environment: Environment;
  /** The newest change already fanned out to listeners. Only ever read from the database. */
  seq: number;
  /** Settles once `seq` holds the environment's newest change; no refresh reads before that. */
  started: Promise<void>;
  subscribers: Set<Subscriber>;
  refreshing: Promise<void> | null;
  refreshAgain: boolean;
}

/** Where one subscriber's catch-up resumes from, and the changes it gets. */
interface CatchUp {
  position: number;
  changes: FlagChange[];
}

/**
 * Fans flag changes out to this instance's SDK streams. A NOTIFY names the environment that
 * changed; the hub reads what is new there once and hands it to every stream of it, so a
 * thousand streams cost one query per change, not a thousand.
 */
export class FlagStreamHub {
  private readonly feeds = new Map<string, Feed>();
  private listening: Promise<() => Promise<void>> | null = null;
  private readonly probes = new Map<string, () => void>();
  private probing: Promise<number> | null = null;
  private lastProbe: { at: number; seconds: number } | null = null;

  constructor(private readonly connection: DbConnection) {}

  /**
   * Sends the listener every change after `afterSeq`, then each new one as it commits, in
   * order and without gaps. `afterSeq` only chooses this listener's catch-up; it never moves
   * the shared feed. Returns the unsubscribe function.
   */
  async subscribe(environment: Environment, afterSeq: number, listener: Listener): Promise<() => void> {
    await this.listen();

    const feed = this.feedFor(environment);
    const subscriber = new Subscriber(listener);
    feed.subscribers.add(subscriber);
    const unsubscribe = () => this.unsubscribe(feed, subscriber);
    try {
      await feed.started;
      const catchUp = await this.catchUp(feed, afterSeq);
      subscriber.goLive(catchUp.changes, catchUp.changes.at(-1)?.seq ?? catchUp.position);
      return unsubscribe;
    } catch (error) {
      unsubscribe();
      throw error;
    }
  }

  /** LISTEN once per hub. A LISTEN that failed (the database was down) is tried again by the next caller. */
  private listen(): Promise<() => Promise<void>> {
    if (!this.listening) {
      const listening = this.connection.listen(
        FLAG_CHANGES_CHANNEL,
        (payload) => this.changed(payload),
        () => this.feeds.forEach((feed) => this.refresh(feed)),
      );
      this.listening = listening;
      listening.catch(() => {
        if (this.listening === listening) this.listening = null;
      });
    }
    return this.listening;
  }

  /**
   * Seconds a NOTIFY on the flag-change channel takes to reach this instance's listener: the way
   * every flag change comes to its streams. Null while this instance listens for nothing (it has
   * served no stream); `timeoutMs` in seconds when the probe did not come back within it.
   */
  async notifyLag(timeoutMs = NOTIFY_PROBE_TIMEOUT_MS): Promise<number | null> {
    if (!this.listening || !(await this.listening.then(() => true, () => false))) return null;
    if (this.lastProbe && performance.now() - this.lastProbe.at < NOTIFY_PROBE_REUSE_MS) return this.lastProbe.seconds;
    this.probing ??= this.probe(timeoutMs).finally(() => {
      this.probing = null;
    });
    return this.probing;
  }

  private async probe(timeoutMs: number): Promise<number> {
    const payload = `${NOTIFY_PROBE_PREFIX}${randomUUID()}`;
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    const cameBack = new Promise<boolean>((resolve) => {
      this.probes.set(payload, () => resolve(true));
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    try {
      await sendNotifyProbe(this.connection.db, payload);
      const seconds = (await cameBack) ? Math.min(performance.now() - started, timeoutMs) / 1000 : timeoutMs / 1000;
      this.lastProbe = { at: performance.now(), seconds };
      return seconds;
    } finally {
      clearTimeout(timer);
      this.probes.delete(payload);
    }
  }

  private unsubscribe(feed: Feed, subscriber: Subscriber): void {
    feed.subscribers.delete(subscriber);
    if (feed.subscribers.size === 0 && this.feeds.get(feed.environment.key) === feed) this.feeds.delete(feed.environment.key);
  }

  /** How many streams this hub feeds, in every environment. */
  streamCount(): number {
    let count = 0;
    for (const feed of this.feeds.values()) count += feed.subscribers.size;
    return count;
  }

  /** How many streams of the environment this hub feeds. */
  listenerCount(environmentKey: string): number {
    return this.feeds.get(environmentKey)?.subscribers.size ?? 0;
  }

  /**
   * A position past the environment's newest change (made up, or from another database) resumes
   * from 0: every flag's current state with its real id, live ones as `flag` and archived ones
   * as `archived` events, so the client ends with the true state and a real position.
   */
  private async catchUp(feed: Feed, afterSeq: number): Promise<CatchUp> {
    const { db } = this.connection;
    const environmentId = feed.environment.id;
    const missed = await readFlagChangesSince(db, environmentId, afterSeq);
    const known = missed.length > 0 || afterSeq <= feed.seq || afterSeq <= (await readNewestChangeSeq(db, environmentId));
    if (known) return { position: afterSeq, changes: missed };
    return { position: 0, changes: await readFlagChangesSince(db, environmentId, 0) };
  }

  /**
   * A new feed starts at the environment's newest change in the database. LISTEN is already
   * on, so every change after that read is announced and read by `refresh`.
   */
  private feedFor(environment: Environment): Feed {
    const existing = this.feeds.get(environment.key);
    if (existing) return existing;
    const feed: Feed = { environment, seq: 0, started: Promise.resolve(), subscribers: new Set(), refreshing: null, refreshAgain: false };
    feed.started = readNewestChangeSeq(this.connection.db, environment.id).then((newest) => {
      feed.seq = newest;
    });
    // Its subscribers see the error; the next subscriber starts a new feed.
    feed.started.catch(() => {
      if (this.feeds.get(environment.key) === feed) this.feeds.delete(environment.key);
    });
    this.feeds.set(environment.key, feed);
    return feed;
  }

  private changed(payload: string): void {
    if (payload.startsWith(NOTIFY_PROBE_PREFIX)) {
      // Only this instance's own probes are answered here; other instances' pass by.
      this.probes.get(payload)?.();
      return;
    }
    const feed = this.feeds.get(payload);
    if (feed) this.refresh(feed);
  }

  /** One read at a time per environment; a notification during a read triggers one more. */
  private refresh(feed: Feed): void {
    if (feed.refreshing) {
      feed.refreshAgain = true;
      return;
    }
    feed.refreshing = (async () => {
      await feed.started;
      do {
        feed.refreshAgain = false;
        const changes = await readFlagChangesSince(this.connection.db, feed.environment.id, feed.seq);
        if (changes.length === 0) continue;
        feed.seq = changes[changes.length - 1].seq;
        fanOut(feed, changes);
      } while (feed.refreshAgain);
    })()
      .catch((error: unknown) => console.error(`[rampart] could not read flag changes for ${feed.environment.key}`, error))
      .finally(() => {
        feed.refreshing = null;
        // A notification may land between the last read and here; it must not be lost.
        if (feed.refreshAgain) this.refresh(feed);
      });
  }

  async close(): Promise<void> {
    const stop = await this.listening?.catch(() => undefined);
    this.listening = null;
    this.feeds.clear();
    await stop?.();
  }
}

/**
 * One stream's place in a feed. Live changes wait in `held` until its catch-up is sent, so the
 * stream never goes backwards. An object with methods, not closures: one per open stream.
 */
class Subscriber {
  private held: FlagChange[] | null = [];

  constructor(private readonly listener: Listener) {}

  deliver(changes: FlagChange[]): void {
    if (this.held) this.held.push(...changes);
    else this.listener(changes);
  }

  /** Sends the catch-up, then whatever arrived meanwhile that it does not already cover. */
  goLive(catchUp: FlagChange[], caughtUpTo: number): void {
    const held = this.held ?? [];
    this.held = null;
    const pending = [...catchUp, ...held.filter((change) => change.seq > caughtUpTo)];
    if (pending.length > 0) this.listener(pending);
  }
}

/** A stream that fails on a change must not cost the other streams that change. */
function fanOut(feed: Feed, changes: FlagChange[]): void {
  for (const subscriber of feed.subscribers) {
    try {
      subscriber.deliver(changes);
    } catch (error) {
      console.error(`[rampart] a stream of ${feed.environment.key} failed to take a change`, error);
    }
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
