import { createServer, request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { nodeRouteFor, registerNodeRoute } from "./node-route";

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()));

/** A server that serves registered node routes, as scripts/server.mjs does, and 404s the rest. */
async function serverWithNodeRoutes(): Promise<string> {
  const server = createServer((req, res) => {
    const route = nodeRouteFor(req.method, req.url);
    if (route) void route(req, res);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanups.push(() => (server.closeAllConnections(), server.close()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe("a node route", () => {
  it("is found by method and path, whatever the query", () => {
    registerNodeRoute("GET", "/api/test/lookup", async () => new Response("ok"));
    expect(nodeRouteFor("GET", "/api/test/lookup?after=12")).toBeDefined();
    expect(nodeRouteFor("POST", "/api/test/lookup")).toBeUndefined();
    expect(nodeRouteFor("GET", "/api/test/lookup/more")).toBeUndefined();
  });

  it("answers with the handler's status, headers and body, plus the configured headers", async () => {
    let seen: Request | undefined;
    registerNodeRoute(
      "GET",
      "/api/test/answer",
      async (request) => {
        seen = request;
        return Response.json({ error: { code: "unauthorized" } }, { status: 401, headers: { "x-request-id": "r-1" } });
      },
      [{ key: "X-Frame-Options", value: "DENY" }],
    );
    const url = await serverWithNodeRoutes();
    const response = await fetch(`${url}/api/test/answer?after=5`, { headers: { authorization: "Bearer rps_x", "last-event-id": "7" } });
    expect(response.status).toBe(401);
    expect(response.headers.get("x-request-id")).toBe("r-1");
    expect(response.headers.get("x-frame-options")).toBe("DENY");
    expect(await response.json()).toEqual({ error: { code: "unauthorized" } });
    // The handler saw the request as Next would hand it over.
    expect(new URL(seen!.url).search).toBe("?after=5");
    expect(seen!.headers.get("authorization")).toBe("Bearer rps_x");
    expect(seen!.headers.get("last-event-id")).toBe("7");
  });

  it("hands a POST's body to the handler as it arrives", async () => {
    registerNodeRoute("POST", "/api/test/echo", async (request) => {
      const text = await request.text();
      return Response.json({ method: request.method, length: text.length, head: text.slice(0, 12) }, { status: 201 });
    });
    const url = await serverWithNodeRoutes();
    const body = JSON.stringify({ entries: "x".repeat(200_000) });
    const response = await fetch(`${url}/api/test/echo`, { method: "POST", body, headers: { "content-type": "application/json" } });
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ method: "POST", length: body.length, head: '{"entries":"' });
  });

  it("answers without reading a body the handler refuses, and the connection serves the next request", async () => {
    let calls = 0;
    registerNodeRoute("POST", "/api/test/refuse", async () => {
      calls += 1;
      return Response.json({ error: { code: "overloaded" } }, { status: 429, headers: { "retry-after": "2" } });
    });
    const url = await serverWithNodeRoutes();
    const body = "y".repeat(500_000);
    for (let i = 0; i < 3; i++) {
      const response = await fetch(`${url}/api/test/refuse`, { method: "POST", body });
      expect(response.status).toBe(429);
      expect(response.headers.get("retry-after")).toBe("2");
      await response.arrayBuffer();
    }
    expect(calls).toBe(3);
  });

  it("closes the connection after a 413 instead of draining the rest of a huge body", async () => {
    registerNodeRoute("POST", "/api/test/too-large", async (request) => {
      const reader = request.body!.getReader();
      await reader.read();
      await reader.cancel();
      return Response.json({ error: { code: "body_too_large" } }, { status: 413 });
    });
    const url = await serverWithNodeRoutes();
    const response = await new Promise<{ status: number; connection: string | undefined }>((resolve, reject) => {
      const request = httpRequest(`${url}/api/test/too-large`, { method: "POST" }, (res) => {
        res.resume();
        resolve({ status: res.statusCode ?? 0, connection: res.headers.connection });
      });
      request.on("error", reject);
      // A chunked body that never ends: only closing the connection gets rid of it.
      request.write("z".repeat(256 * 1024));
    });
    expect(response).toEqual({ status: 413, connection: "close" });
  });

  it("streams the body as it is written and cancels it when the client goes", async () => {
    let cancelled = false;
    let push: ((text: string) => void) | undefined;
    registerNodeRoute("GET", "/api/test/stream", async (request) => {
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          push = (text) => controller.enqueue(new TextEncoder().encode(text));
        },
        cancel() {
          cancelled = true;
        },
      });
      expect(request.signal.aborted).toBe(false);
      return new Response(body, { headers: { "content-type": "text/event-stream" } });
    });
    const url = await serverWithNodeRoutes();
    const received: string[] = [];
    const request = httpRequest(`${url}/api/test/stream`);
    const answered = new Promise<void>((resolve) =>
      request.on("response", (response) => {
        response.on("data", (chunk: Buffer) => received.push(chunk.toString()));
        resolve();
      }),
    );
    request.end();
    await answered;
    push!("data: one\n\n");
    await until(() => received.join("") === "data: one\n\n");
    request.destroy();
    await until(() => cancelled);
  });

  it("answers 500 when the handler itself throws", async () => {
    registerNodeRoute("GET", "/api/test/broken", async () => {
      throw new Error("a bug");
    });
    const url = await serverWithNodeRoutes();
    const errors: unknown[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => errors.push(args);
    try {
      expect((await fetch(`${url}/api/test/broken`)).status).toBe(500);
    } finally {
      console.error = original;
    }
    expect(errors).toHaveLength(1);
  });
});

async function until(condition: () => boolean, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
