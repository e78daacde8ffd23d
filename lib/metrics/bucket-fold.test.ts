import { newLatencySketch } from "@rampart/sdk";
import { describe, expect, it } from "vitest";
import { bucketDeltas, foldIntoRows } from "./bucket-fold";
import { decodeSketch, encodeSketch } from "./latency-sketch";

function sketchOf(values: number[]) {
  const sketch = newLatencySketch();
  for (const value of values) sketch.accept(value);
  return sketch;
}

describe("folding batches into bucket rows", () => {
  it("gives the same sketch as merging one batch at a time, whatever the order of their ranges", () => {
    // Ranges that grow downwards and upwards, so each merge would reach past the range so far.
    const ranges = [[20, 40], [1, 3], [500, 900], [0.2, 0.5], [5_000, 9_000], [60, 61]];
    const sketches = ranges.map(([low, high]) => sketchOf(Array.from({ length: 50 }, (_, i) => low + ((high - low) * i) / 49)));
    const batches = sketches.map((sketch, i) => ({
      batch: {
        batchId: `batch-000${i}`,
        instanceId: "instance-1",
        windowStart: 0,
        windowEnd: 10_000,
        dropped: 0,
        entries: [{ flag: "f", path: "new" as const, reason: "rollout" as const, count: 50, errors: 0, sketch: encodeSketch(sketch) }],
      },
      sketches: [sketch],
    }));
    const stored = sketchOf([30, 31, 32]);
    const deltas = bucketDeltas(1, batches, new Map([["f", 7]]));
    const minuteKey = deltas.find((delta) => delta.key.resolution === "minute")!.key;
    const rows = foldIntoRows(deltas, [{ ...minuteKey, cohort: "ramp", requests: 3, errors: 0, reasons: { rollout: 3 }, sketch: encodeSketch(stored) }]);

    const expected = sketchOf([30, 31, 32]);
    for (const sketch of sketches) expected.merge(sketch);
    const minute = rows.find((row) => row.resolution === "minute")!;
    expect(minute.requests).toBe(303);
    const folded = decodeSketch(minute.sketch!);
    expect(folded.count).toBe(303);
    for (const q of [0, 0.01, 0.25, 0.5, 0.75, 0.95, 0.99, 1]) expect(folded.getValueAtQuantile(q)).toBe(expected.getValueAtQuantile(q));
    expect(minute.sketch).toBe(encodeSketch(expected));

    const hour = decodeSketch(rows.find((row) => row.resolution === "hour")!.sketch!);
    const expectedHour = newLatencySketch();
    for (const sketch of sketches) expectedHour.merge(sketch);
    expect(encodeSketch(hour)).toBe(encodeSketch(expectedHour));
  });
});
