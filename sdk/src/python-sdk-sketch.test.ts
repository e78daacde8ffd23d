import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { decodeSketch, encodeSketch, newLatencySketch } from "./latency-sketch";

// The Python SDK (sdk-python/) writes the same DDSketch protobuf, so the control plane merges its
// batches with ours: its encoding of shared samples decodes here to what this codec holds, and the
// sketch this codec writes for the Python tests to decode is still what it writes today.

const fixtures = path.resolve(import.meta.dirname, "../../sdk-python/tests/fixtures");
const { samples } = JSON.parse(readFileSync(path.join(fixtures, "sketch-samples.json"), "utf8")) as { samples: number[] };
const QUANTILES = [0, 0.25, 0.5, 0.9, 0.95, 0.99, 1];

function sketchOfSamples() {
  const sketch = newLatencySketch();
  for (const sample of samples) sketch.accept(sample);
  return sketch;
}

describe("latency sketches from the Python SDK", () => {
  it("decodes the Python encoding to the same count, zeros and quantiles", () => {
    const fromPython = decodeSketch(Buffer.from(readFileSync(path.join(fixtures, "python-sketch.b64"), "utf8").trim(), "base64"));
    const ours = sketchOfSamples();
    expect(fromPython.count).toBe(samples.length);
    expect(fromPython.zeroCount).toBe(3);
    for (const q of QUANTILES) expect(fromPython.getValueAtQuantile(q)).toBe(ours.getValueAtQuantile(q));
  });

  it("merges a Python sketch with one of ours", () => {
    const merged = decodeSketch(Buffer.from(readFileSync(path.join(fixtures, "python-sketch.b64"), "utf8").trim(), "base64"));
    merged.merge(sketchOfSamples());
    expect(merged.count).toBe(2 * samples.length);
    expect(merged.getValueAtQuantile(0.5)).toBe(sketchOfSamples().getValueAtQuantile(0.5));
  });

  it("still writes node-sketch.b64 as committed (regenerate: node --import tsx sdk-python/tests/fixtures/write-node-sketch.mts)", () => {
    const committed = readFileSync(path.join(fixtures, "node-sketch.b64"), "utf8").trim();
    expect(Buffer.from(encodeSketch(sketchOfSamples())).toString("base64")).toBe(committed);
  });
});
