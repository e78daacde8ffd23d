import { positiveFromEnv } from "@/lib/runtime/env-number";

/** One server-sent event; `data` is sent as JSON. */
export interface ServerSentEvent {
  id?: number | string;
  event?: string;
  data: unknown;
}

const encoder = new TextEncoder();

/** The wire bytes of one event; encode once and send the same bytes to many streams. */
export function encodeEvent({ id, event, data }: ServerSentEvent): Uint8Array {
  return encoder.encode(`${id === undefined ? "" : `id: ${id}\n`}${event ? `event: ${event}\n` : ""}data: ${JSON.stringify(data)}\n\n`);
}

const RETRY = encoder.encode("retry: 1000\n\n");
const HEARTBEAT = encoder.encode(": heartbeat\n\n");

export const HEARTBEAT_MS = positiveFromEnv("RAMPART_SSE_HEARTBEAT_MS", 15_000);

/** What one stream may queue for a reader that is not reading, beyond its catch-up; past it the stream is dropped. */
export const MAX_BUFFER_BYTES = positiveFromEnv("RAMPART_SSE_MAX_BUFFER_BYTES", 1024 * 1024);

export interface EventStreamLimits {
  heartbeatMs?: number;
  maxBufferBytes?: number;
}

type Send = (event: Uint8Array) => void;
/** `end` closes the stream from the server's side (its cleanup runs): the client sees it end, and reconnects. */
type Open = (send: Send, end: () => void) => Promise<() => void>;

/**
 * A text/event-stream response. `open` starts sending and returns its cleanup, run once when the
 * client goes away or is dropped for leaving over `maxBufferBytes` unread after its catch-up.
 * Heartbeats keep idle proxies open and a vanished peer's socket busy, so TCP gives up on it.
 */
export function eventStreamResponse(
  signal: AbortSignal,
  open: Open,
  { heartbeatMs = HEARTBEAT_MS, maxBufferBytes = MAX_BUFFER_BYTES }: EventStreamLimits = {},
): Response {
  const source = new EventStreamSource(signal, open, maxBufferBytes, heartbeatWheel(heartbeatMs));
  return new Response(new ReadableStream<Uint8Array>(source, byteLengthStrategy(maxBufferBytes)), {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      connection: "keep-alive",
      "x-accel-buffering": "no",
    },
  });
}

/**
 * One stream's state, with methods rather than per-stream closures and no timer of its own:
 * thousands of streams stay open at once, and each closure, timer and listener is held by each
 * (docs/benchmarks.md, bench:propagation).
 */
class EventStreamSource implements UnderlyingDefaultSource<Uint8Array> {
  /** What the hub calls with each change's bytes. */
  readonly send: Send = (bytes) => this.write(bytes);
  /** What the stream's owner calls to end it, e.g. when its credential is revoked. */
  readonly end = (): void => this.endFromServer();
  /** Where this stream sits on its heartbeat wheel; -1 once it is off. */
  slot = -1;
  private controller: ReadableStreamDefaultController<Uint8Array> | null = null;
  private open: Open | null;
  private cleanup: (() => void) | null = null;
  private closed = false;
  /** Bytes enqueued so far, and how many of them were the catch-up (Infinity until it is sent). */
  private enqueued = 0;
  private catchUpBytes = Infinity;

  constructor(
    private readonly signal: AbortSignal,
    open: Open,
    private readonly maxBufferBytes: number,
    private readonly heartbeat: HeartbeatWheel,
  ) {
    this.open = open;
  }

  async start(controller: ReadableStreamDefaultController<Uint8Array>): Promise<void> {
    this.controller = controller;
    const open = this.open!;
    this.open = null;
    this.write(RETRY);
    if (this.signal.aborted) return this.stop();
    // The source itself is the listener (handleEvent): no closure per stream.
    this.signal.addEventListener("abort", this, { once: true });
    this.heartbeat.add(this);
    let cleanup: () => void;
    try {
      cleanup = await open(this.send, this.end);
    } catch (error) {
      this.stop();
      controller.error(error);
      return;
    }
    this.catchUpBytes = this.enqueued;
    if (this.closed) cleanup();
    else this.cleanup = cleanup;
  }

  cancel(): void {
    this.stop();
  }

  /** The request's signal aborted: the client went away. */
  handleEvent(): void {
    this.stop();
  }

  write(bytes: Uint8Array): void {
    if (this.closed) return;
    const controller = this.controller!;
    try {
      controller.enqueue(bytes);
    } catch {
      this.stop();
      return;
    }
    this.enqueued += bytes.byteLength;
    if (this.unreadBeyondCatchUp() > this.maxBufferBytes) {
      // Errored, not closed: the queue is freed now, and the client resumes from its last id.
      this.stop();
      controller.error(new DOMException("the reader fell too far behind", "AbortError"));
    }
  }

  /**
   * Bytes queued for the reader beyond its catch-up. The catch-up is sized by the environment,
   * not by the reader, so the bound starts counting once it is sent; the reader reads it first.
   */
  private unreadBeyondCatchUp(): number {
    const queued = this.maxBufferBytes - (this.controller!.desiredSize ?? this.maxBufferBytes);
    const catchUpUnread = Math.max(0, this.catchUpBytes - (this.enqueued - queued));
    return queued - catchUpUnread;
  }

  private endFromServer(): void {
    if (this.closed) return;
    this.stop();
    try {
      this.controller?.close();
    } catch {
      // Already closed or errored by the reader.
    }
  }

  private stop(): void {
    if (this.closed) return;
    this.closed = true;
    this.signal.removeEventListener("abort", this);
    this.heartbeat.remove(this);
    const cleanup = this.cleanup;
    this.cleanup = null;
    cleanup?.();
  }
}

const strategies = new Map<number, ByteLengthQueuingStrategy>();

/** A strategy is read once when a stream is made, so streams with one bound share one. */
function byteLengthStrategy(highWaterMark: number): ByteLengthQueuingStrategy {
  let strategy = strategies.get(highWaterMark);
  if (!strategy) strategies.set(highWaterMark, (strategy = new ByteLengthQueuingStrategy({ highWaterMark })));
  return strategy;
}

/** Heartbeats go out in this many slices of the interval, so 10,000 streams never beat at once. */
const WHEEL_SLOTS = 16;

/**
 * One timer for every stream with the same heartbeat interval, instead of one per stream. A
 * stream joins the slot that just beat, so its first heartbeat comes one interval after it opens
 * (give or take a slice), and each stream gets one every interval after that.
 */
class HeartbeatWheel {
  private readonly slots = Array.from({ length: WHEEL_SLOTS }, () => new Set<EventStreamSource>());
  private cursor = 0;
  private timer: ReturnType<typeof setInterval> | null = null;
  private size = 0;

  constructor(private readonly intervalMs: number) {}

  add(source: EventStreamSource): void {
    source.slot = (this.cursor + WHEEL_SLOTS - 1) % WHEEL_SLOTS;
    this.slots[source.slot].add(source);
    this.size += 1;
    if (!this.timer) {
      this.timer = setInterval(() => this.beat(), this.intervalMs / WHEEL_SLOTS);
      // Open streams hold their sockets; the heartbeat alone must not keep a process alive.
      this.timer.unref();
    }
  }

  remove(source: EventStreamSource): void {
    if (source.slot < 0 || !this.slots[source.slot].delete(source)) return;
    source.slot = -1;
    this.size -= 1;
    if (this.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }

  private beat(): void {
    const slot = this.slots[this.cursor];
    this.cursor = (this.cursor + 1) % WHEEL_SLOTS;
    for (const source of slot) source.write(HEARTBEAT);
  }
}

const wheels = new Map<number, HeartbeatWheel>();

function heartbeatWheel(intervalMs: number): HeartbeatWheel {
  let wheel = wheels.get(intervalMs);
  if (!wheel) wheels.set(intervalMs, (wheel = new HeartbeatWheel(intervalMs)));
  return wheel;
}
