import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

// A local HTTP receiver for notification tests: records every request, and can be told to
// answer 503 (down) until further notice.

export interface ReceivedRequest {
  at: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  status: number;
}

export interface WebhookReceiver {
  url: string;
  received: ReceivedRequest[];
  /** Accepted (2xx) requests, parsed. */
  accepted(): { headers: ReceivedRequest["headers"]; json: Record<string, unknown>; body: string }[];
  setDown(down: boolean): void;
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: ReceivedRequest[] = [];
  let down = false;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const status = down ? 503 : 200;
      received.push({ at: Date.now(), headers: req.headers, body: Buffer.concat(chunks).toString("utf8"), status });
      res.writeHead(status, { "content-type": "text/plain" });
      res.end(down ? "receiver is down" : "ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/rampart`,
    received,
    accepted: () => received.filter((r) => r.status < 300).map((r) => ({ headers: r.headers, json: JSON.parse(r.body) as Record<string, unknown>, body: r.body })),
    setDown: (value) => {
      down = value;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
