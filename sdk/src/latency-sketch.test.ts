import { DDSketch } from "@datadog/sketches-js";
import { describe, expect, it } from "vitest";
import { decodeSketch, encodeSketch, newLatencySketch } from "./latency-sketch";
import { ProtoWriter, WIRE_FIXED64, WIRE_LENGTH, WIRE_VARINT, zigzag32 } from "./protobuf-wire";

const QUANTILES = [0, 0.25, 0.5, 0.9, 0.95, 0.99, 1];

function sketchOf(values: number[]) {
  const sketch = newLatencySketch();
  for (const value of values) sketch.accept(value);
  return sketch;
}

const latencies = Array.from({ length: 2_000 }, (_, i) => 0.05 * 1.004 ** i + (i % 3 === 0 ? 0 : 0.3));

// sketches-js's own toProto/fromProto need protobufjs, which it does not declare: it is a dev
// dependency here only so this test can check our codec against theirs in both directions.

describe("latency sketch protobuf", () => {
  it("round-trips counts, zeros and every quantile", () => {
    const sketch = sketchOf([...latencies, 0, 0]);
    const decoded = decodeSketch(encodeSketch(sketch));
    expect(decoded.count).toBe(sketch.count);
    expect(decoded.zeroCount).toBe(2);
    for (const q of QUANTILES) expect(decoded.getValueAtQuantile(q)).toBe(sketch.getValueAtQuantile(q));
  });

  it("writes only the occupied bins", () => {
    expect(encodeSketch(sketchOf([12.5])).length).toBeLessThan(64);
    expect(encodeSketch(sketchOf([1, 1.5, 2])).length).toBeLessThan(64 + 8 * 40);
  });

  it("merges decoded sketches", () => {
    const merged = decodeSketch(encodeSketch(sketchOf(latencies.slice(0, 1_000))));
    merged.merge(decodeSketch(encodeSketch(sketchOf(latencies.slice(1_000)))));
    const whole = sketchOf(latencies);
    expect(merged.count).toBe(whole.count);
    for (const q of QUANTILES) expect(merged.getValueAtQuantile(q)).toBe(whole.getValueAtQuantile(q));
  });

  it("reads sparse bins and skips fields it does not know", () => {
    const gamma = newLatencySketch().mapping.gamma;
    const mapping = new ProtoWriter(9).tag(1, WIRE_FIXED64).double(gamma).finish();
    const entry = (key: number, count: number) =>
      new ProtoWriter(2 + 1 + 8 + (key > 63 || key < -64 ? 1 : 0)).tag(1, WIRE_VARINT).varint(zigzag32(key)).tag(2, WIRE_FIXED64).double(count).finish();
    const bins = [entry(100, 3), entry(-5, 2)];
    const storeSize = bins.reduce((sum, bin) => sum + 2 + bin.length, 0);
    const store = new ProtoWriter(storeSize);
    for (const bin of bins) store.tag(1, WIRE_LENGTH).varint(bin.length).raw(bin);
    const storeBytes = store.finish();
    const bytes = new ProtoWriter(2 + mapping.length + 2 + storeBytes.length + 2)
      .tag(1, WIRE_LENGTH).varint(mapping.length).raw(mapping)
      .tag(2, WIRE_LENGTH).varint(storeBytes.length).raw(storeBytes)
      .tag(9, WIRE_VARINT).varint(7)
      .finish();

    const decoded = decodeSketch(bytes);
    expect(decoded.count).toBe(5);
    expect(decoded.getValueAtQuantile(0)).toBeCloseTo(decoded.mapping.value(-5), 12);
    expect(decoded.getValueAtQuantile(1)).toBeCloseTo(decoded.mapping.value(100), 12);
  });

  it("throws on bytes that are not a DDSketch", () => {
    expect(() => decodeSketch(new Uint8Array([0x0a, 0x7f]))).toThrow(/truncated/);
    expect(() => decodeSketch(new Uint8Array([]))).toThrow(/index mapping/);
    expect(() => decodeSketch(new Uint8Array([0x0f]))).toThrow(/wire type/);
  });

  it("is read by sketches-js's DDSketch.fromProto, and reads its toProto", () => {
    const sketch = sketchOf(latencies);
    const byReference = DDSketch.fromProto(encodeSketch(sketch));
    const fromReference = decodeSketch(sketch.toProto());
    for (const q of QUANTILES) {
      expect(byReference.getValueAtQuantile(q)).toBeCloseTo(sketch.getValueAtQuantile(q), 9);
      expect(fromReference.getValueAtQuantile(q)).toBe(sketch.getValueAtQuantile(q));
    }
  });
});
