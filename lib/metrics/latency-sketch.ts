import { DDSketch } from "@datadog/sketches-js";

// Latency sketches travel and rest as base64 DDSketch protobuf. Merging two sketches keeps the
// 1% relative accuracy, which is what lets per-instance, per-minute rows add up to any window.

export function decodeSketch(base64: string): DDSketch {
  return DDSketch.fromProto(Buffer.from(base64, "base64"));
}

export function encodeSketch(sketch: DDSketch): string {
  return Buffer.from(sketch.toProto()).toString("base64");
}

/** The merge of several encoded sketches, or null when there are none. */
export function mergeSketches(encoded: (string | null)[]): DDSketch | null {
  let merged: DDSketch | null = null;
  for (const value of encoded) {
    if (!value) continue;
    const sketch = decodeSketch(value);
    if (merged) merged.merge(sketch);
    else merged = sketch;
  }
  return merged;
}

/** A quantile in milliseconds, or null for an empty sketch. */
export function quantile(sketch: DDSketch | null, q: number): number | null {
  if (!sketch || sketch.count === 0) return null;
  return Math.round(sketch.getValueAtQuantile(q) * 1000) / 1000;
}
