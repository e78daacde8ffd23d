import type { IncomingMessage, ServerResponse } from "node:http";

// Next keeps about 16 suspended async frames and its per-request objects alive for as long as a
// route handler's response streams (about 50 KB per open SDK stream), and spends more CPU routing a
// request than the metrics ingest spends storing it (docs/benchmarks.md). A route registered here is
// served by scripts/server.mjs straight from the Node request, through the same handler (apiRoute).

type RouteHandler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;
export type NodeRoute = (request: IncomingMessage, response: ServerResponse) => Promise<void>;

const holder = globalThis as typeof globalThis & { __rampartNodeRoutes?: Map<string, NodeRoute> };

/**
 * Registers a parameterless route for scripts/server.mjs, which looks it up by
 * `${method} ${pathname}` before handing a request to Next. `headers` are added to every
 * response, as next.config.ts adds them to the routes Next serves.
 */
export function registerNodeRoute(method: string, pathname: string, handler: RouteHandler, headers: { key: string; value: string }[] = []): void {
  holder.__rampartNodeRoutes ??= new Map();
  holder.__rampartNodeRoutes.set(`${method} ${pathname}`, (request, response) => serveOnNode(handler, request, response, headers));
}

/** The registered route for a request, if any: what scripts/server.mjs calls. */
export function nodeRouteFor(method: string | undefined, url: string | undefined): NodeRoute | undefined {
  const pathname = (url ?? "/").split("?", 1)[0];
  return holder.__rampartNodeRoutes?.get(`${method} ${pathname}`);
}

export async function serveOnNode(handler: RouteHandler, request: IncomingMessage, response: ServerResponse, headers: { key: string; value: string }[]): Promise<void> {
  const abort = new AbortController();
  response.once("close", () => abort.abort());
  try {
    await answer(handler, request, response, headers, abort.signal);
  } finally {
    // A body left unread (a 429 before reading) is drained, not left to stall the connection.
    if (!request.complete) request.removeAllListeners("data").resume();
  }
}

async function answer(handler: RouteHandler, request: IncomingMessage, response: ServerResponse, headers: { key: string; value: string }[], signal: AbortSignal): Promise<void> {
  let webResponse: Response;
  try {
    webResponse = await handler(toWebRequest(request, signal), { params: Promise.resolve({}) });
  } catch (error) {
    // apiRoute turns every error into a response; this is a bug, not a client's doing.
    console.error("[rampart] a node route failed", error);
    if (!response.headersSent) response.writeHead(500);
    response.end();
    return;
  }
  // Past the size limit the rest of the body is not worth draining: the connection closes instead.
  if (webResponse.status === 413) response.shouldKeepAlive = false;
  for (const { key, value } of headers) response.setHeader(key, value);
  webResponse.headers.forEach((value, key) => response.setHeader(key, value));
  response.writeHead(webResponse.status);
  response.flushHeaders();
  await pipeBody(webResponse.body, response, signal);
}

function toWebRequest(request: IncomingMessage, signal: AbortSignal): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
  }
  const url = `http://${request.headers.host ?? "localhost"}${request.url ?? "/"}`;
  if (request.method === "GET" || request.method === "HEAD") return new Request(url, { method: request.method, headers, signal });
  return new Request(url, { method: request.method, headers, signal, body: bodyOf(request), duplex: "half" } as RequestInit);
}

/** The request body as it arrives, 64 KB ahead of its reader; a cancelled body is drained, not destroyed. */
function bodyOf(request: IncomingMessage): ReadableStream<Uint8Array> {
  let open = true;
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        request.pause();
        request.on("data", (chunk: Buffer) => {
          if (!open) return;
          controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
          if ((controller.desiredSize ?? 0) <= 0) request.pause();
        });
        request.once("end", () => open && controller.close());
        request.once("error", (error) => open && controller.error(error));
      },
      pull() {
        request.resume();
      },
      cancel() {
        open = false;
        request.resume();
      },
    },
    new ByteLengthQueuingStrategy({ highWaterMark: 64 * 1024 }),
  );
}

/**
 * Copies the body to the socket and, as Next does, waits for a full socket to drain: a reader
 * that stops reading backs up into the stream's own bounded queue, which drops it past its bound.
 */
async function pipeBody(body: ReadableStream<Uint8Array> | null, response: ServerResponse, signal: AbortSignal): Promise<void> {
  if (!body) {
    response.end();
    return;
  }
  const reader = body.getReader();
  const cancel = () => reader.cancel().catch(() => undefined);
  signal.addEventListener("abort", cancel, { once: true });
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (!response.write(value)) await drained(response);
      if (signal.aborted) return;
    }
    response.end();
  } catch {
    // The stream was errored (a reader dropped past its bound) or cancelled: close the connection.
    response.destroy();
  } finally {
    signal.removeEventListener("abort", cancel);
  }
}

function drained(response: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      response.off("drain", done);
      response.off("close", done);
      resolve();
    };
    response.on("drain", done);
    response.on("close", done);
  });
}
