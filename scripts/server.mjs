#!/usr/bin/env node
// Serves the built app like `next start`, and tells it who is connecting: a route handler gets a
// web Request with no socket, and Next keeps a client's own X-Forwarded-For, so the peer address
// travels in a header only this server sets (lib/auth/trusted-proxies.ts reads it).
import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import path from "node:path";
import next from "next";

const PEER_ADDRESS_HEADER = "x-rampart-peer-address";
// The app runs in this process: it trusts the header only with this boot's token, so a client
// cannot name its own address even where Rampart is served some other way.
const token = randomBytes(16).toString("hex");
process.env.RAMPART_PEER_ADDRESS_TOKEN = token;

const root = path.resolve(import.meta.dirname, "..");
const port = Number(process.env.PORT ?? 3000);
const app = next({ dev: false, dir: root, port });
const handle = app.getRequestHandler();
await app.prepare();

const server = createServer((request, response) => {
  request.headers[PEER_ADDRESS_HEADER] = `${token} ${request.socket.remoteAddress ?? ""}`;
  // SDK streams skip Next's pipeline, which holds ~50 KB per open response (lib/runtime/node-route.ts).
  const nodeRoute = globalThis.__rampartNodeRoutes?.get(`${request.method} ${(request.url ?? "/").split("?", 1)[0]}`);
  if (nodeRoute) nodeRoute(request, response);
  else handle(request, response);
});
server.listen(port, process.env.HOSTNAME, () => console.log(`[rampart] serving on http://localhost:${port}`));

for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    server.close();
    server.closeAllConnections();
    app.close?.().finally(() => process.exit(0));
    setTimeout(() => process.exit(0), 3_000).unref();
  });
}
