import { createParser, type EventSourceMessage } from "eventsource-parser";
import type { FlagState } from "./flag-state";
import { asSnapshot, type FlagStore } from "./flag-store";
import { readEventStream } from "./event-stream-request";
import { SDK_SNAPSHOT_PATH, SDK_STREAM_PATH, type FlagChange, type FlagSnapshot } from "./protocol";

export interface FlagSyncOptions {
  /** The control plane's base URL. */
  url: string;
  sdkKey: string;
  /** Reconnect delays: exponential from `minMs` to `maxMs`, with full jitter. */
  backoff?: { minMs?: number; maxMs?: number };
  /** A stream silent (no event, no heartbeat) this long is treated as dead and reopened. */
  staleAfterMs?: number;
  /** Called with a flag's key whenever its state in the store changes. */
  onChange: (flag: string) => void;
  /** Called after each snapshot or change from the control plane is applied, with its environment. */
  onApplied: (environment: string) => void;
  onError: (error: unknown) => void;
}

/**
 * Keeps a FlagStore in step with the control plane: one snapshot, then the server-sent-event
 * stream, reopened with backoff when it fails or falls silent. Starts when constructed.
 */
export class FlagSync {
  /** Resolves once the first snapshot from the control plane is in the store. */
  readonly loaded: Promise<void>;
  private streamOpen = false;
  private environment = "";
  private markLoaded!: () => void;
  private readonly abort = new AbortController();
  private readonly loop: Promise<void>;

  constructor(
    private readonly store: FlagStore,
    private readonly options: FlagSyncOptions,
  ) {
    this.loaded = new Promise<void>((resolve) => (this.markLoaded = resolve));
    this.loop = this.run().catch((error: unknown) => this.options.onError(error));
  }

  /** Whether the stream is open now. */
  get connected(): boolean {
    return this.streamOpen;
  }

  /** Stops the loop and any open stream; resolves when the loop has ended. */
  stop(): Promise<void> {
    this.abort.abort();
    return this.loop;
  }

  private async run(): Promise<void> {
    const { minMs = 250, maxMs = 30_000 } = this.options.backoff ?? {};
    let failures = 0;
    let haveSnapshot = false;
    while (!this.abort.signal.aborted) {
      try {
        if (!haveSnapshot) {
          await this.loadSnapshot();
          haveSnapshot = true;
        }
        await this.stream(() => (failures = 0));
      } catch (error) {
        if (this.abort.signal.aborted) break;
        this.options.onError(error);
      }
      this.streamOpen = false;
      if (this.abort.signal.aborted) break;
      failures += 1;
      await sleep(Math.random() * Math.min(maxMs, minMs * 2 ** Math.min(failures, 16)), this.abort.signal);
    }
  }

  private async loadSnapshot(): Promise<void> {
    const snapshot = await this.fetchSnapshot();
    this.environment = snapshot.environment;
    const before = new Map(this.store.flags);
    this.store.applySnapshot(snapshot, "control-plane");
    this.notifyChanged(before);
    this.markLoaded();
    this.options.onApplied(this.environment);
  }

  /** Reads the stream until it ends; resumes after the last change this client holds. */
  private async stream(onOpen: () => void): Promise<void> {
    const alive = new AbortController();
    const onAbort = () => alive.abort();
    this.abort.signal.addEventListener("abort", onAbort, { once: true });
    const staleAfterMs = this.options.staleAfterMs ?? 45_000;
    let watchdog = setTimeout(() => alive.abort(), staleAfterMs);
    const heard = () => {
      clearTimeout(watchdog);
      watchdog = setTimeout(() => alive.abort(), staleAfterMs);
    };

    try {
      const parser = createParser({ onEvent: (event) => this.receive(event), onComment: heard });
      await readEventStream(
        new URL(SDK_STREAM_PATH, this.options.url),
        { accept: "text/event-stream", authorization: `Bearer ${this.options.sdkKey}`, "last-event-id": String(this.store.cursor) },
        alive.signal,
        () => {
          this.streamOpen = true;
          onOpen();
        },
        (text) => {
          heard();
          parser.feed(text);
        },
      );
    } catch (error) {
      // Our own watchdog or close(): not an error worth reporting.
      if (!alive.signal.aborted) throw error;
    } finally {
      clearTimeout(watchdog);
      this.abort.signal.removeEventListener("abort", onAbort);
    }
  }

  private receive(event: EventSourceMessage): void {
    const seq = Number(event.id);
    if (!Number.isSafeInteger(seq)) return;
    let change: FlagChange;
    if (event.event === "flag") change = { type: "flag", seq, flag: JSON.parse(event.data) as FlagState };
    else if (event.event === "archived") change = { type: "archived", seq, key: (JSON.parse(event.data) as { key: string }).key };
    else return;
    const key = change.type === "flag" ? change.flag.key : change.key;
    const before = this.store.flags.get(key);
    this.store.applyChange(change);
    if (this.store.flags.get(key) !== before) this.options.onChange(key);
    this.options.onApplied(this.environment);
  }

  private notifyChanged(before: Map<string, FlagState>): void {
    for (const key of new Set([...before.keys(), ...this.store.flags.keys()])) {
      if (before.get(key) !== this.store.flags.get(key)) this.options.onChange(key);
    }
  }

  private async fetchSnapshot(): Promise<FlagSnapshot> {
    const response = await fetch(new URL(SDK_SNAPSHOT_PATH, this.options.url), {
      headers: { accept: "application/json", authorization: `Bearer ${this.options.sdkKey}` },
      signal: this.abort.signal,
    });
    if (!response.ok) {
      await response.body?.cancel();
      throw new Error(`Rampart answered ${response.status} for ${SDK_SNAPSHOT_PATH}`);
    }
    return asSnapshot(await response.json());
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
  });
}
