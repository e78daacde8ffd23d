import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { gunzipSync } from "node:zlib";
import { SDK_METRICS_PATH, SDK_SNAPSHOT_PATH, SDK_STREAM_PATH, type FlagSnapshot, type MetricsBatch } from "./protocol";

// For the SDK's tests only (not exported from the package): a control plane on loopback.

export interface MetricsPost {
  batch: MetricsBatch;
  status: number;
  authorization: string | undefined;
  contentType: string | undefined;
  contentEncoding: string | undefined;
  /** The body as it came over the wire (gzip bytes when gzipped). */
  body: Buffer;
  /** When the POST was read (Date.now()). */
  at: number;
}

/** A status, or a status with headers (e.g. `{ status: 429, headers: { "retry-after": "2" } }`). */
export type MetricsAnswer = number | { status: number; headers?: Record<string, string> };

export interface FakeControlPlane {
  url: string;
  posts: MetricsPost[];
  /** The answers the next metrics POSTs get, in order; 201 once they run out. */
  answers: MetricsAnswer[];
  /** While true, metrics POSTs are read and never answered. */
  hang: boolean;
  /**
   * How a gzip body is met: `accept` inflates it; `unsupported` answers 415 as Rampart does for an
   * encoding it does not read; `unknown` answers 400 invalid_json as a control plane before gzip did.
   */
  gzip: "accept" | "unsupported" | "unknown";
  close: () => Promise<void>;
}

/** The snapshot, an open event stream, and a metrics endpoint; the caller closes it. */
export async function fakeControlPlane(snapshot: FlagSnapshot): Promise<FakeControlPlane> {
  const plane: FakeControlPlane = { url: "", posts: [], answers: [], hang: false, gzip: "accept", close: async () => {} };
  const server = createServer((request, response) => {
    if (request.url === SDK_SNAPSHOT_PATH) {
      response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(snapshot));
    } else if (request.url?.startsWith(SDK_STREAM_PATH)) {
      response.writeHead(200, { "content-type": "text/event-stream" });
      response.flushHeaders();
    } else if (request.method === "POST" && request.url === SDK_METRICS_PATH) {
      void receiveMetrics(request, response);
    } else {
      response.writeHead(404).end();
    }
  });
  async function receiveMetrics(request: IncomingMessage, response: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    if (plane.hang) return;
    const body = Buffer.concat(chunks);
    const contentEncoding = request.headers["content-encoding"];
    const json = contentEncoding === "gzip" ? gunzipSync(body) : body;
    let status: number;
    let headers: Record<string, string> = {};
    let answerBody = "{}";
    if (contentEncoding !== undefined && plane.gzip !== "accept") {
      const code = plane.gzip === "unsupported" ? "unsupported_encoding" : "invalid_json";
      status = plane.gzip === "unsupported" ? 415 : 400;
      answerBody = JSON.stringify({ error: { code, message: "refused", details: [] } });
    } else {
      const answer = plane.answers.shift() ?? 201;
      ({ status, headers = {} } = typeof answer === "number" ? { status: answer } : answer);
    }
    plane.posts.push({
      batch: JSON.parse(json.toString("utf8")) as MetricsBatch,
      status,
      authorization: request.headers.authorization,
      contentType: request.headers["content-type"],
      contentEncoding,
      body,
      at: Date.now(),
    });
    response.writeHead(status, { "content-type": "application/json", ...headers }).end(answerBody);
  }
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  plane.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  plane.close = () => {
    server.closeAllConnections();
    return new Promise((resolve) => server.close(() => resolve()));
  };
  return plane;
}

/** Batches the control plane stored: answered 2xx, each batch id once, as the real one does. */
export function delivered(posts: MetricsPost[]): MetricsBatch[] {
  const byId = new Map<string, MetricsBatch>();
  for (const post of posts) if (post.status < 300) byId.set(post.batch.batchId, post.batch);
  return [...byId.values()];
}
