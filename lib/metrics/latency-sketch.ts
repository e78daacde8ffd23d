import { decodeSketch as decodeSketchBytes, encodeSketch as encodeSketchBytes, type LatencySketch } from "@rampart/sdk";

// Latency sketches travel and rest as base64 DDSketch protobuf, encoded by the SDK's own codec
// (the same one services use). Merging keeps the 1% relative accuracy, which is what lets
// per-instance, per-minute rows add up to any window.

export function decodeSketch(base64: string): LatencySketch {
  return decodeSketchBytes(Buffer.from(base64, "base64"));
}

export function encodeSketch(sketch: LatencySketch): string {
  return Buffer.from(encodeSketchBytes(sketch)).toString("base64");
}

/** The merge of several encoded sketches, or null when there are none. */
export function mergeSketches(encoded: (string | null)[]): LatencySketch | null {
  let merged: LatencySketch | null = null;
  for (const value of encoded) {
    if (!value) continue;
    const sketch = decodeSketch(value);
    if (merged) merged.merge(sketch);
    else merged = sketch;
  }
  return merged;
}

/** A quantile in milliseconds, or null for an empty sketch. */
export function quantile(sketch: LatencySketch | null, q: number): number | null {
  if (!sketch || sketch.count === 0) return null;
  return Math.round(sketch.getValueAtQuantile(q) * 1000) / 1000;
}
