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
