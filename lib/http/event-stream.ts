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

const HEARTBEAT = encoder.encode(": heartbeat\n\n");

function positiveFromEnv(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

export const HEARTBEAT_MS = positiveFromEnv("RAMPART_SSE_HEARTBEAT_MS", 15_000);

/** What one stream may queue for a reader that is not reading, beyond its catch-up; past it the stream is dropped. */
export const MAX_BUFFER_BYTES = positiveFromEnv("RAMPART_SSE_MAX_BUFFER_BYTES", 1024 * 1024);

export interface EventStreamLimits {
  heartbeatMs?: number;
  maxBufferBytes?: number;
}

/**
 * A text/event-stream response. `open` starts sending and returns its cleanup, run once when the
 * client goes away or is dropped for leaving over `maxBufferBytes` unread after its catch-up.
 * Heartbeats keep idle proxies open and a vanished peer's socket busy, so TCP gives up on it.
 */
export function eventStreamResponse(
  signal: AbortSignal,
  open: (send: (event: Uint8Array) => void) => Promise<() => void>,
  { heartbeatMs = HEARTBEAT_MS, maxBufferBytes = MAX_BUFFER_BYTES }: EventStreamLimits = {},
): Response {
  let cleanup: (() => void) | null = null;
  let closed = false;
  let heartbeat: ReturnType<typeof setInterval> | undefined;

  const stop = () => {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    cleanup?.();
  };

  const body = new ReadableStream<Uint8Array>(
    {
      async start(controller) {
        const backlog = readerBacklog(controller, maxBufferBytes);
        const write = (bytes: Uint8Array) => {
          if (closed) return;
          try {
            controller.enqueue(bytes);
          } catch {
            stop();
            return;
          }
          if (backlog.add(bytes.byteLength) > maxBufferBytes) {
            // Errored, not closed: the queue is freed now, and the client resumes from its last id.
            stop();
            controller.error(new DOMException("the reader fell too far behind", "AbortError"));
          }
        };
        write(encoder.encode("retry: 1000\n\n"));
        signal.addEventListener("abort", stop, { once: true });
        heartbeat = setInterval(() => write(HEARTBEAT), heartbeatMs);
        try {
          cleanup = await open(write);
        } catch (error) {
          stop();
          controller.error(error);
          return;
        }
        backlog.catchUpSent();
        if (closed) cleanup();
      },
      cancel: stop,
    },
    new ByteLengthQueuingStrategy({ highWaterMark: maxBufferBytes }),
  );

  return new Response(body, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      connection: "keep-alive",
      "x-accel-buffering": "no",
    },
  });
}

/**
 * Bytes queued for the reader beyond its catch-up. The catch-up is sized by the environment,
 * not by the reader, so the bound starts counting once it is sent; the reader reads it first.
 */
function readerBacklog(controller: ReadableStreamDefaultController<Uint8Array>, highWaterMark: number) {
  let enqueued = 0;
  let catchUpBytes = Infinity;
  return {
    add(byteLength: number): number {
      enqueued += byteLength;
      const queued = highWaterMark - (controller.desiredSize ?? highWaterMark);
      const catchUpUnread = Math.max(0, catchUpBytes - (enqueued - queued));
      return queued - catchUpUnread;
    },
    catchUpSent(): void {
      catchUpBytes = enqueued;
    },
  };
}
