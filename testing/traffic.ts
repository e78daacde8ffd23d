import { randomUUID } from "node:crypto";
import { newLatencySketch } from "@rampart/sdk";
import { getDb } from "@/lib/db/client";
import { requireEnvironment } from "@/lib/environments/environment-store";
import { ingestMetrics } from "@/lib/metrics/ingest-metrics";
import { encodeSketch } from "@/lib/metrics/latency-sketch";
import type { MetricsBatchInput } from "@/lib/metrics/schemas";

export interface GeneratedTraffic {
  env?: string;
  path: "new" | "legacy";
  requests: number;
  reason?: MetricsBatchInput["entries"][number]["reason"];
  /** When the SDK's window ended; the batch is ingested as if the server's clock read this. */
  at: Date;
  /** How many of the requests failed; none by default. */
  errors?: number;
  /** The i-th request's latency in ms; 5–24 ms by default. */
  latencyMs?: (i: number) => number;
}

/** One SDK batch of generated requests for a flag, stored as the metrics endpoint would store it. */
export async function givenTraffic(flagKey: string, traffic: GeneratedTraffic): Promise<void> {
  const db = await getDb();
  const environment = await requireEnvironment(db, traffic.env ?? "production");
  const sketch = newLatencySketch();
  for (let i = 0; i < traffic.requests; i++) sketch.accept(traffic.latencyMs?.(i) ?? 5 + (i % 20));
  const end = traffic.at.getTime();
  await ingestMetrics(
    environment,
    {
      batchId: randomUUID(),
      instanceId: "generated",
      windowStart: end - 10_000,
      windowEnd: end,
      entries: [
        { flag: flagKey, path: traffic.path, reason: traffic.reason ?? "rollout", count: traffic.requests, errors: traffic.errors ?? 0, sketch: encodeSketch(sketch) },
      ],
      dropped: 0,
    },
    traffic.at,
  );
}
