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

export const HEARTBEAT_MS = Number(process.env.RAMPART_SSE_HEARTBEAT_MS) || 15_000;

/**
 * A text/event-stream response. `open` starts sending and returns its cleanup, which runs
 * once when the client goes away. Comment heartbeats keep idle proxies from closing it.
 */
export function eventStreamResponse(
  signal: AbortSignal,
  open: (send: (event: Uint8Array) => void) => Promise<() => void>,
  heartbeatMs = HEARTBEAT_MS,
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

  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      const write = (bytes: Uint8Array) => {
        if (closed) return;
        try {
          controller.enqueue(bytes);
        } catch {
          stop();
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
      if (closed) cleanup();
    },
    cancel: stop,
  });

  return new Response(body, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      connection: "keep-alive",
      "x-accel-buffering": "no",
    },
  });
}
