import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";

// Serves Rampart's own route handlers over real HTTP without a Next build, so SDK tests and
// benchmarks exercise real sockets, SSE and reconnects against the real services and database.

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

async function routes(): Promise<{ pattern: RegExp; method: string; handler: Handler }[]> {
  const [snapshot, stream, metrics, flag, kill, restore, flags, flagMetrics, rampPlan, rampStart, rampPause, rampResume, rampAbort, ofrepFlags, ofrepFlag] = await Promise.all([
    import("@/app/api/sdk/flags/route"),
    import("@/app/api/sdk/stream/route"),
    import("@/app/api/sdk/metrics/route"),
    import("@/app/api/flags/[key]/route"),
    import("@/app/api/flags/[key]/kill/route"),
    import("@/app/api/flags/[key]/restore/route"),
    import("@/app/api/flags/route"),
    import("@/app/api/flags/[key]/metrics/route"),
    import("@/app/api/flags/[key]/ramp-plan/route"),
    import("@/app/api/flags/[key]/ramp-plan/start/route"),
    import("@/app/api/flags/[key]/ramp-plan/pause/route"),
    import("@/app/api/flags/[key]/ramp-plan/resume/route"),
    import("@/app/api/flags/[key]/ramp-plan/abort/route"),
    import("@/app/ofrep/v1/evaluate/flags/route"),
    import("@/app/ofrep/v1/evaluate/flags/[key]/route"),
  ]);
  return [
    { pattern: /^\/api\/sdk\/flags$/, method: "GET", handler: snapshot.GET as Handler },
    { pattern: /^\/api\/sdk\/stream$/, method: "GET", handler: stream.GET as Handler },
    { pattern: /^\/api\/sdk\/metrics$/, method: "POST", handler: metrics.POST as Handler },
    { pattern: /^\/api\/flags$/, method: "POST", handler: flags.POST as Handler },
    { pattern: /^\/api\/flags\/(?<key>[^/]+)$/, method: "PATCH", handler: flag.PATCH as Handler },
    { pattern: /^\/api\/flags\/(?<key>[^/]+)\/kill$/, method: "POST", handler: kill.POST as Handler },
    { pattern: /^\/api\/flags\/(?<key>[^/]+)\/restore$/, method: "POST", handler: restore.POST as Handler },
    { pattern: /^\/api\/flags\/(?<key>[^/]+)\/metrics$/, method: "GET", handler: flagMetrics.GET as Handler },
    { pattern: /^\/api\/flags\/(?<key>[^/]+)\/ramp-plan$/, method: "GET", handler: rampPlan.GET as Handler },
    { pattern: /^\/api\/flags\/(?<key>[^/]+)\/ramp-plan\/start$/, method: "POST", handler: rampStart.POST as Handler },
    { pattern: /^\/api\/flags\/(?<key>[^/]+)\/ramp-plan\/pause$/, method: "POST", handler: rampPause.POST as Handler },
    { pattern: /^\/api\/flags\/(?<key>[^/]+)\/ramp-plan\/resume$/, method: "POST", handler: rampResume.POST as Handler },
    { pattern: /^\/api\/flags\/(?<key>[^/]+)\/ramp-plan\/abort$/, method: "POST", handler: rampAbort.POST as Handler },
    { pattern: /^\/ofrep\/v1\/evaluate\/flags$/, method: "POST", handler: ofrepFlags.POST as Handler },
    { pattern: /^\/ofrep\/v1\/evaluate\/flags\/(?<key>[^/]+)$/, method: "POST", handler: ofrepFlag.POST as Handler },
  ];
}

export interface ControlPlaneServer {
  url: string;
  port: number;
  /** Stops listening and cuts every open connection, as a crashed instance would. */
  close(): Promise<void>;
}

export async function startControlPlaneServer(port = 0): Promise<ControlPlaneServer> {
  const table = await routes();
  const server: Server = createServer((req, res) => {
    serve(table, req, res).catch((error: unknown) => {
      console.error("[control-plane-server]", error);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const actualPort = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${actualPort}`,
    port: actualPort,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function serve(table: Awaited<ReturnType<typeof routes>>, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? "/", `http://${req.headers.host ?? "127.0.0.1"}`);
  const route = table.find((r) => r.method === req.method && r.pattern.test(url.pathname));
  if (!route) {
    res.writeHead(404).end();
    return;
  }
  const params = (route.pattern.exec(url.pathname)?.groups ?? {}) as Record<string, string>;
  const abort = new AbortController();
  res.on("close", () => abort.abort());
  const hasBody = req.method !== "GET" && req.method !== "HEAD";
  const request = new Request(url, {
    method: req.method,
    headers: Object.entries(req.headers).flatMap(([name, value]) =>
      value === undefined ? [] : [[name, Array.isArray(value) ? value.join(", ") : value] as [string, string]],
    ),
    body: hasBody ? (Readable.toWeb(req) as ReadableStream<Uint8Array>) : undefined,
    signal: abort.signal,
    ...(hasBody ? { duplex: "half" } : {}),
  } as RequestInit);
  const response = await route.handler(request, { params: Promise.resolve(params) });
  res.writeHead(response.status, Object.fromEntries(response.headers));
  res.flushHeaders();
  if (!response.body) {
    res.end();
    return;
  }
  const reader = response.body.getReader();
  abort.signal.addEventListener("abort", () => reader.cancel().catch(() => undefined), { once: true });
  for (;;) {
    const { done, value } = await reader.read().catch(() => ({ done: true as const, value: undefined }));
    if (done) break;
    // Wait for the socket as `next start` does, so a reader that stops reading backs up into the stream's bounded queue.
    if (!res.write(value)) await new Promise((resolve) => (res.once("drain", resolve), res.once("close", resolve)));
  }
  res.end();
}
