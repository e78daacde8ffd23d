import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import net, { type AddressInfo } from "node:net";
import { createClient, type RampartClient } from "@rampart/sdk";
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { flags } from "@/testing/db";
import { getDb } from "@/testing/db";
import { killFlag } from "@/lib/flags/kill-switch";
import { updateFlagState } from "@/lib/flags/update-flag-state";
import { getFlagStreamHub } from "@/lib/sdk/flag-stream-hub";
import { givenFlag, givenSdkKey, readStateRow, testContext } from "@/testing/api";
import { startControlPlaneServer } from "@/testing/control-plane-server";

// Read when the stream module loads: quick heartbeats, and a bound a stalled socket overflows
// within a few dozen big changes, once the kernel's own few MB of socket buffers are full.
vi.hoisted(() => {
  process.env.RAMPART_SSE_HEARTBEAT_MS = "100";
  process.env.RAMPART_SSE_MAX_BUFFER_BYTES = String(256 * 1024);
});

/** A Last-Event-ID from the future, or from another database: the report's rogue stream. */
const FUTURE_ID = "999999999999999";
const ENV = "production";

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function harnessServer(): Promise<{ url: string }> {
  const started = await startControlPlaneServer();
  cleanups.push(() => started.close());
  return started;
}

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;
type StreamServer = { url: string; port: number; streamRequests: () => number };

/**
 * The SDK routes served as `next start` serves a route handler: through Next's own pipe, which
 * waits for a slow socket to drain, so an unread stream backs up into the stream's queue.
 */
async function nextStyleServer(): Promise<StreamServer> {
  return listen(await throughNextPipe());
}

/**
 * As scripts/server.mjs serves the stream: through the registered node route
 * (lib/runtime/node-route.ts), which also waits for a slow socket to drain.
 */
async function nodeRouteServer(): Promise<StreamServer> {
  const [serveOthers, streamRoute, { registerNodeRoute, nodeRouteFor }] = await Promise.all([
    throughNextPipe(),
    import("@/app/api/sdk/stream/route"),
    import("@/lib/runtime/node-route"),
  ]);
  registerNodeRoute("GET", "/api/sdk/stream", streamRoute.GET as Handler);
  return listen((req, res) => {
    const route = nodeRouteFor(req.method, req.url);
    if (route) void route(req, res);
    else serveOthers(req, res);
  });
}

async function throughNextPipe(): Promise<(req: IncomingMessage, res: ServerResponse) => void> {
  const [snapshotRoute, streamRoute, { pipeToNodeResponse }] = await Promise.all([
    import("@/app/api/sdk/flags/route"),
    import("@/app/api/sdk/stream/route"),
    import("next/dist/server/pipe-readable"),
  ]);
  return (req, res) => {
    const abort = new AbortController();
    res.on("close", () => abort.abort());
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(name, value);
    const handler = (req.url?.startsWith("/api/sdk/stream") ? streamRoute.GET : snapshotRoute.GET) as Handler;
    handler(new Request(`http://127.0.0.1${req.url}`, { headers, signal: abort.signal }), { params: Promise.resolve({}) })
      .then(async (response) => {
        res.writeHead(response.status, Object.fromEntries(response.headers));
        if (response.body) await pipeToNodeResponse(response.body, res);
        else res.end();
      })
      .catch(() => res.destroy());
  };
}

async function listen(serve: (req: IncomingMessage, res: ServerResponse) => void): Promise<StreamServer> {
  let streamRequests = 0;
  const server = createServer((req, res) => {
    if (req.url?.startsWith("/api/sdk/stream")) streamRequests += 1;
    serve(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, port, streamRequests: () => streamRequests };
}

function client(url: string, sdkKey: string): RampartClient {
  const created = createClient({ url, sdkKey, backoff: { minMs: 20, maxMs: 200 } });
  cleanups.push(() => created.close());
  return created;
}

interface StreamEvent {
  id: number;
  event: string;
  data: { key: string; killed?: boolean; percentage?: number; version?: number };
}

/** A raw SSE reader, as curl would be: it resumes from whatever Last-Event-ID it is given. */
async function openStream(url: string, sdkKey: string, lastEventId: string): Promise<{ events: StreamEvent[] }> {
  const abort = new AbortController();
  const response = await fetch(`${url}/api/sdk/stream`, {
    headers: { authorization: `Bearer ${sdkKey}`, "last-event-id": lastEventId },
    signal: abort.signal,
  });
  expect(response.status).toBe(200);
  const events: StreamEvent[] = [];
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  const reading = (async () => {
    let buffered = "";
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      buffered += value;
      for (let end = buffered.indexOf("\n\n"); end >= 0; end = buffered.indexOf("\n\n")) {
        events.push(...parseEvent(buffered.slice(0, end)));
        buffered = buffered.slice(end + 2);
      }
    }
  })().catch(() => undefined);
  cleanups.push(async () => {
    abort.abort();
    await reading;
  });
  return { events };
}

function parseEvent(block: string): StreamEvent[] {
  const fields = new Map(block.split("\n").flatMap((line) => (line.startsWith(":") || !line.includes(": ") ? [] : [[line.slice(0, line.indexOf(": ")), line.slice(line.indexOf(": ") + 2)] as const])));
  const data = fields.get("data");
  return data === undefined || !fields.has("id") ? [] : [{ id: Number(fields.get("id")), event: fields.get("event") ?? "", data: JSON.parse(data) }];
}

/** Sends the stream request over a bare socket and never reads a byte of the answer. */
function stalledStream(port: number, sdkKey: string): net.Socket {
  const socket = net.connect(port, "127.0.0.1");
  socket.pause();
  socket.write(`GET /api/sdk/stream HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAccept: text/event-stream\r\nAuthorization: Bearer ${sdkKey}\r\n\r\n`);
  cleanups.push(async () => socket.destroy());
  return socket;
}

async function setPercentage(key: string, percentage: number) {
  return updateFlagState({ ctx: await testContext(), input: { key, env: ENV, patch: { percentage } } });
}

async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** A change the client must see before timing starts, so the first measured kill is not a cold one. */
async function warmUp(sdk: RampartClient, key: string): Promise<void> {
  const { state: { version } } = await updateFlagState({ ctx: await testContext(), input: { key, env: ENV, patch: { contexts: { beta: true } } } });
  await until(() => sdk.flag(key)?.version === version);
}

/** Kills the flag; how long after killFlag() resolved the client held it killed (Infinity: never, in 5 s). */
async function killLatencyMs(sdk: RampartClient, key: string): Promise<number> {
  let seenAt: number | undefined;
  const off = sdk.onChange((changed) => {
    if (changed === key && sdk.flag(key)?.killed) seenAt ??= performance.now();
  });
  try {
    await killFlag({ ctx: await testContext(), input: { key, env: ENV } });
    const committedAt = performance.now();
    await until(() => seenAt !== undefined).catch(() => undefined);
    return seenAt === undefined ? Infinity : Math.max(0, seenAt - committedAt);
  } finally {
    off();
  }
}

const everyone = Array.from({ length: 200 }, (_, i) => ({ user_id: `user-${i}` }));

describe("a stream resuming from a position that does not exist yet", () => {
  it("opened first, so its feed is created by it, holds back no kill from another SDK", async () => {
    const key = await givenFlag("rogue_first");
    await setPercentage(key, 100);
    const hub = await getFlagStreamHub();
    await until(() => hub.listenerCount(ENV) === 0);
    const { url } = await harnessServer();
    const sdkKey = await givenSdkKey();

    const rogue = await openStream(url, sdkKey, FUTURE_ID);
    await until(() => rogue.events.some((event) => event.data.key === key));
    expect(hub.listenerCount(ENV)).toBe(1);
    const sdk = client(url, sdkKey);
    expect(await sdk.ready()).toBe(true);
    await warmUp(sdk, key);
    expect(everyone.every((user) => sdk.enabled(key, user))).toBe(true);

    expect(await killLatencyMs(sdk, key)).toBeLessThan(100);
    expect(everyone.some((user) => sdk.enabled(key, user))).toBe(false);
    expect(sdk.status().connected).toBe(true);
  });

  it("opened while other SDKs stream, holds back no kill from them", async () => {
    const key = await givenFlag("rogue_joins");
    await setPercentage(key, 100);
    const { url } = await harnessServer();
    const sdkKey = await givenSdkKey();
    const sdk = client(url, sdkKey);
    expect(await sdk.ready()).toBe(true);
    await warmUp(sdk, key);

    const rogue = await openStream(url, sdkKey, FUTURE_ID);
    await until(() => rogue.events.some((event) => event.data.key === key));
    expect(await killLatencyMs(sdk, key)).toBeLessThan(100);
    expect(everyone.some((user) => sdk.enabled(key, user))).toBe(false);
    expect(sdk.status().connected).toBe(true);
  });

  it("gets every flag's true current state, then live changes", async () => {
    const live = await givenFlag("rogue_sees_live");
    await setPercentage(live, 30);
    const archived = await givenFlag("rogue_sees_archived");
    await (await getDb()).update(flags).set({ archivedAt: new Date() }).where(eq(flags.key, archived));
    const liveState = (await readStateRow(live))!;
    const { url } = await harnessServer();

    const rogue = await openStream(url, await givenSdkKey(), FUTURE_ID);
    await until(() => rogue.events.some((event) => event.data.key === live) && rogue.events.some((event) => event.data.key === archived));
    const fresh = rogue.events.find((event) => event.data.key === live)!;
    expect(fresh).toMatchObject({ id: liveState.changeSeq, event: "flag", data: { percentage: 30, killed: false, version: liveState.version } });
    expect(rogue.events.filter((event) => event.data.key === archived).map((event) => event.event)).toEqual(["archived"]);
    // Real positions, so the client's next Last-Event-ID is one this database knows.
    expect(Math.max(...rogue.events.map((event) => event.id))).toBeLessThan(Number(FUTURE_ID));

    const { state: { version } } = await killFlag({ ctx: await testContext(), input: { key: live, env: ENV } });
    await until(() => rogue.events.some((event) => event.data.key === live && event.data.killed === true));
    const kill = rogue.events.findLast((event) => event.data.key === live)!;
    expect(kill).toMatchObject({ event: "flag", data: { killed: true, version } });
    expect(kill.id).toBeGreaterThan(fresh.id);
  });

  it("answers 400 to a position that is not a non-negative safe integer", async () => {
    const { url } = await harnessServer();
    const authorization = `Bearer ${await givenSdkKey()}`;
    const statusFor = async (lastEventId: string) => {
      const response = await fetch(`${url}/api/sdk/stream`, { headers: { authorization, "last-event-id": lastEventId } });
      await response.body?.cancel();
      return response.status;
    };
    expect(await statusFor("-1")).toBe(400);
    expect(await statusFor("12abc")).toBe(400);
    expect(await statusFor(String(Number.MAX_SAFE_INTEGER + 1))).toBe(400);
    expect(await statusFor(String(Number.MAX_SAFE_INTEGER))).toBe(200);
  });
});

/** ~68 KB of context pins: big flag states, so a stalled socket overflows in a few dozen changes. */
function ballastPins(pinned: boolean): Record<string, boolean> {
  return Object.fromEntries(Array.from({ length: 1_000 }, (_, i) => [`ballast_${String(i).padStart(3, "0")}_${"x".repeat(48)}`, pinned]));
}

const pipes = [
  ["Next's pipe (next start)", nextStyleServer],
  ["the node route (scripts/server.mjs)", nodeRouteServer],
] as const;

describe.each(pipes)("through %s, a reader that stops reading", (_, streamServer) => {
  it("is dropped past the buffer bound and resumes from its last id; a reading SDK is untouched", async () => {
    const ballast = await givenFlag("ballast");
    const key = await givenFlag("after_stall");
    await setPercentage(key, 100);
    const hub = await getFlagStreamHub();
    await until(() => hub.listenerCount(ENV) === 0);
    const { url, port, streamRequests } = await streamServer();
    const sdkKey = await givenSdkKey();
    const sdk = client(url, sdkKey);
    expect(await sdk.ready()).toBe(true);
    await until(() => hub.listenerCount(ENV) === 1);

    const stalled = stalledStream(port, sdkKey);
    await until(() => hub.listenerCount(ENV) === 2);
    let changes = 0;
    while (hub.listenerCount(ENV) === 2 && changes < 300) {
      const { state } = await updateFlagState({ ctx: await testContext(), input: { key: ballast, env: ENV, patch: { contexts: ballastPins(changes % 2 === 0) } } });
      changes += 1;
      // The reading SDK takes each change before the next: under load it would otherwise fall a few
      // 68 KB changes behind too and be dropped past this test's 256 KB bound, as it should be.
      await until(() => sdk.flag(ballast)?.version === state.version || hub.listenerCount(ENV) !== 2);
    }
    await until(() => hub.listenerCount(ENV) === 1).catch(() => undefined);
    expect(hub.listenerCount(ENV)).toBe(1);
    // The kernel holds a few MB for the socket before the stream's own queue starts to fill.
    expect(changes * 68_000).toBeGreaterThan(256 * 1024);

    // The reading SDK kept its one stream, got every change and still gets a kill at once.
    const ballastVersion = (await readStateRow(ballast))!.version;
    await until(() => sdk.flag(ballast)?.version === ballastVersion);
    expect(await killLatencyMs(sdk, key)).toBeLessThan(100);
    expect(streamRequests()).toBe(2);
    expect(sdk.status().connected).toBe(true);

    // Reading again, the dropped client gets what the socket held, then the end of the stream.
    let received = "";
    stalled.on("data", (chunk: Buffer) => (received += chunk.toString("latin1")));
    stalled.resume();
    await new Promise<void>((resolve) => stalled.once("close", () => resolve()));
    const lastId = Math.max(...[...received.matchAll(/^id: (\d+)$/gm)].map((match) => Number(match[1])));
    expect(lastId).toBeGreaterThan(0);

    const resumed = await openStream(url, sdkKey, String(lastId));
    await until(() => resumed.events.some((event) => event.data.key === key && event.data.killed === true));
    expect(resumed.events.every((event) => event.id > lastId)).toBe(true);
    expect(resumed.events.findLast((event) => event.data.key === ballast)?.data.version).toBe(ballastVersion);
  });

  it.each(["destroy", "resetAndDestroy"] as const)("that vanishes (socket.%s) is unsubscribed within a second", async (vanish) => {
    const hub = await getFlagStreamHub();
    await until(() => hub.listenerCount(ENV) === 0);
    const { port } = await streamServer();
    const socket = stalledStream(port, await givenSdkKey());
    await until(() => hub.listenerCount(ENV) === 1);

    socket[vanish]();
    const vanishedAt = performance.now();
    await until(() => hub.listenerCount(ENV) === 0, 1_000);
    expect(performance.now() - vanishedAt).toBeLessThan(1_000);
  });
});
