import { createServer, Socket, type Server } from "node:net";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as listFlags } from "@/app/api/flags/route";
import { closeDb } from "@/testing/db";
import { callRoute, givenToken } from "@/testing/api";

// A TCP relay between Rampart and PostgreSQL that the test can cut, as a network partition or a
// database restart would: the real pool, the real driver errors, the real route.

const realUrl = new URL(process.env.DATABASE_URL!);
let relay: { server: Server; sockets: Set<Socket>; port: number } | null = null;

async function startRelay(port = 0) {
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = new Socket();
    upstream.connect(Number(realUrl.port || 5432), realUrl.hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
      socket.on("error", () => socket.destroy());
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  relay = { server, sockets, port: (server.address() as AddressInfo).port };
}

async function cutRelay() {
  const current = relay!;
  for (const socket of current.sockets) socket.destroy();
  await new Promise((resolve) => current.server.close(resolve));
}

beforeAll(async () => {
  await closeDb();
  await startRelay();
  const viaRelay = new URL(realUrl);
  viaRelay.port = String(relay!.port);
  process.env.DATABASE_URL = viaRelay.toString();
});

afterAll(async () => {
  await closeDb();
  process.env.DATABASE_URL = realUrl.toString();
  if (relay?.server.listening) await cutRelay();
});

describe("a PostgreSQL outage", () => {
  it("answers 503 unavailable with Retry-After, then serves again once the database is back", async () => {
    const { secret } = await givenToken("viewer");
    expect((await callRoute(listFlags, { path: "/api/flags", as: secret })).status).toBe(200);

    const port = relay!.port;
    await cutRelay();
    const started = Date.now();
    const during = await callRoute(listFlags, { path: "/api/flags", as: secret });
    expect(during.status).toBe(503);
    expect(during.headers.get("retry-after")).toBe("5");
    expect(during.body.error).toMatchObject({ code: "unavailable", details: [] });
    expect(Date.now() - started).toBeLessThan(6_000);

    await startRelay(port);
    let after = await callRoute(listFlags, { path: "/api/flags", as: secret });
    for (let attempt = 0; attempt < 20 && after.status !== 200; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      after = await callRoute(listFlags, { path: "/api/flags", as: secret });
    }
    expect(after.status).toBe(200);
  });
});
