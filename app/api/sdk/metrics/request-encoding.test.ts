import { randomUUID } from "node:crypto";
import { gzipSync } from "node:zlib";
import { encodeSketch, newLatencySketch, type MetricsBatch } from "@rampart/sdk";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { POST as postMetrics } from "@/app/api/sdk/metrics/route";
import { metricBatches } from "@/testing/db";
import { getDb } from "@/testing/db";
import type { ErrorEnvelope } from "@/testing/api";
import { givenFlag, givenSdkKey } from "@/testing/api";
import { MAX_METRICS_BODY_BYTES } from "@/lib/metrics/schemas";

// SDKs may gzip a metrics batch (Content-Encoding: gzip). The limit holds for the bytes sent and
// for the bytes they inflate to; other encodings are refused by name.

function batchFor(flag: string, samples = 250): MetricsBatch {
  const sketch = newLatencySketch();
  for (let i = 0; i < samples; i++) sketch.accept(1 + (i % 40) * 0.7);
  const now = Date.now();
  return {
    batchId: randomUUID(),
    instanceId: "orders-gzip",
    windowStart: now - 10_000,
    windowEnd: now,
    entries: [{ flag, path: "new", reason: "rollout", count: samples, errors: 3, sketch: Buffer.from(encodeSketch(sketch)).toString("base64") }],
    dropped: 2,
  };
}

/** POSTs bytes as sent over the wire: callRoute would JSON-stringify the body. */
async function postRaw(sdkKey: string, body: Buffer | string, headers: Record<string, string>) {
  const request = new Request("http://localhost/api/sdk/metrics", {
    method: "POST",
    headers: { authorization: `Bearer ${sdkKey}`, "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : new Uint8Array(body),
  });
  const response = await postMetrics(request, { params: Promise.resolve({} as never) });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : null) as Record<string, unknown> & Partial<ErrorEnvelope> };
}

async function storedBatch(batchId: string) {
  const db = await getDb();
  const [row] = await db.select().from(metricBatches).where(eq(metricBatches.batchId, batchId));
  return row;
}

describe("POST /api/sdk/metrics with Content-Encoding", () => {
  it("stores a gzipped batch, and a retry of it once", async () => {
    const flag = await givenFlag("gzip_ok");
    const sdkKey = await givenSdkKey();
    const batch = batchFor(flag);
    const gzipped = gzipSync(JSON.stringify(batch));
    const first = await postRaw(sdkKey, gzipped, { "content-encoding": "gzip" });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ batchId: batch.batchId, stored: true, samples: 250, ignoredEntries: 0 });
    expect(await storedBatch(batch.batchId)).toMatchObject({ samples: 250, dropped: 2, instanceId: "orders-gzip" });

    // Header names and values are case-insensitive; the retry is acknowledged, not counted again.
    const retry = await postRaw(sdkKey, gzipped, { "Content-Encoding": " GZIP " });
    expect(retry.status).toBe(200);
    expect(retry.body).toMatchObject({ stored: false });
  });

  it("still takes plain JSON, with no Content-Encoding or identity", async () => {
    const flag = await givenFlag("gzip_plain");
    const sdkKey = await givenSdkKey();
    const headerSets: Record<string, string>[] = [{}, { "content-encoding": "identity" }];
    for (const headers of headerSets) {
      const batch = batchFor(flag, 7);
      const answer = await postRaw(sdkKey, JSON.stringify(batch), headers);
      expect(answer.status).toBe(201);
      expect(await storedBatch(batch.batchId)).toMatchObject({ samples: 7 });
    }
  });

  it("answers 413 for a gzip bomb: small on the wire, over the limit inflated, and stores nothing", async () => {
    const flag = await givenFlag("gzip_bomb");
    const sdkKey = await givenSdkKey();
    const batch = batchFor(flag);
    // Valid JSON that inflates past the 1 MiB limit: 64 MiB of spaces after the batch.
    const bomb = gzipSync(Buffer.concat([Buffer.from(JSON.stringify(batch)), Buffer.alloc(64 * 1024 * 1024, 0x20)]));
    expect(bomb.length).toBeLessThan(MAX_METRICS_BODY_BYTES / 4);
    const started = Date.now();
    const answer = await postRaw(sdkKey, bomb, { "content-encoding": "gzip" });
    expect(answer.status).toBe(413);
    expect(answer.body.error).toMatchObject({ code: "body_too_large", details: [{ path: "body" }] });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(await storedBatch(batch.batchId)).toBeUndefined();

    // Just under the limit inflated is fine: the limit is on the JSON, not an arbitrary ratio.
    const padded = JSON.stringify(batch).padEnd(MAX_METRICS_BODY_BYTES, " ");
    expect((await postRaw(sdkKey, gzipSync(padded), { "content-encoding": "gzip" })).status).toBe(201);
  });

  it("answers 413 for a compressed body itself over the limit", async () => {
    const sdkKey = await givenSdkKey();
    const incompressible = Buffer.alloc(MAX_METRICS_BODY_BYTES + 1024);
    for (let i = 0; i < incompressible.length; i++) incompressible[i] = (i * 2_654_435_761) >>> 24;
    const answer = await postRaw(sdkKey, incompressible, { "content-encoding": "gzip" });
    expect(answer.status).toBe(413);
    expect(answer.body.error?.code).toBe("body_too_large");
  });

  it("answers 400 naming body for corrupt or truncated gzip", async () => {
    const flag = await givenFlag("gzip_corrupt");
    const sdkKey = await givenSdkKey();
    const batch = batchFor(flag);
    const gzipped = gzipSync(JSON.stringify(batch));
    const corrupt = Buffer.from(gzipped);
    corrupt.fill(0x55, 20, 40);
    for (const body of [Buffer.from(JSON.stringify(batch)), gzipped.subarray(0, gzipped.length - 12), corrupt]) {
      const answer = await postRaw(sdkKey, body, { "content-encoding": "gzip" });
      expect(answer.status).toBe(400);
      expect(answer.body.error).toMatchObject({ code: "invalid_gzip", details: [{ path: "body", message: "must be gzip data" }] });
    }
    expect(await storedBatch(batch.batchId)).toBeUndefined();
  });

  it("answers 415 unsupported_encoding naming the header for br, deflate and stacked encodings", async () => {
    const flag = await givenFlag("gzip_br");
    const sdkKey = await givenSdkKey();
    const batch = batchFor(flag);
    for (const encoding of ["br", "deflate", "gzip, gzip", "zstd"]) {
      const answer = await postRaw(sdkKey, JSON.stringify(batch), { "content-encoding": encoding });
      expect(answer.status, encoding).toBe(415);
      expect(answer.body.error).toMatchObject({
        code: "unsupported_encoding",
        details: [{ path: "Content-Encoding", message: "must be gzip or absent" }],
      });
      expect(answer.body.error?.message).toContain(encoding);
    }
    expect(await storedBatch(batch.batchId)).toBeUndefined();
  });

  it("checks the SDK key before reading the body", async () => {
    const answer = await postRaw("rps_not-a-key", "garbage", { "content-encoding": "br" });
    expect(answer.status).toBe(401);
  });
});
