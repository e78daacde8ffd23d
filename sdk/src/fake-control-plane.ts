import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { SDK_METRICS_PATH, SDK_SNAPSHOT_PATH, SDK_STREAM_PATH, type FlagSnapshot, type MetricsBatch } from "./protocol";

// For the SDK's tests only (not exported from the package): a control plane on loopback.

export interface MetricsPost {
  batch: MetricsBatch;
  status: number;
  authorization: string | undefined;
  contentType: string | undefined;
}

export interface FakeControlPlane {
  url: string;
  posts: MetricsPost[];
  /** The statuses the next metrics POSTs get, in order; 201 once they run out. */
  answers: number[];
  /** While true, metrics POSTs are read and never answered. */
  hang: boolean;
  close: () => Promise<void>;
}

/** The snapshot, an open event stream, and a metrics endpoint; the caller closes it. */
export async function fakeControlPlane(snapshot: FlagSnapshot): Promise<FakeControlPlane> {
  const plane: FakeControlPlane = { url: "", posts: [], answers: [], hang: false, close: async () => {} };
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
    let body = "";
    for await (const chunk of request) body += chunk;
    if (plane.hang) return;
    const status = plane.answers.shift() ?? 201;
    plane.posts.push({ batch: JSON.parse(body) as MetricsBatch, status, authorization: request.headers.authorization, contentType: request.headers["content-type"] });
    response.writeHead(status, { "content-type": "application/json" }).end("{}");
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
