import { LogCollapsingLowestDenseDDSketch, type DDSketch } from "@datadog/sketches-js";
import { ProtoReader, ProtoWriter, varintSize, WIRE_FIXED64, WIRE_LENGTH, WIRE_VARINT, zigzag32 } from "./protobuf-wire";

export const LATENCY_RELATIVE_ACCURACY = 0.01;
// Each bin spans a factor γ ≈ 1.0202, so 2,048 bins cover a ratio of ~6e17 (1 ns to years in ms):
// real latencies never collapse. The limit only bounds memory (≤ 16 KiB a sketch) against
// garbage; collapsing the lowest bins keeps p95/p99, the quantiles a ramp is judged on, exact.
export const LATENCY_BIN_LIMIT = 2_048;

export type LatencySketch = LogCollapsingLowestDenseDDSketch;
const LATENCY_GAMMA = newLatencySketch().mapping.gamma;
type EncodableSketch = Pick<DDSketch, "mapping" | "store" | "negativeStore" | "zeroCount">;
type Store = DDSketch["store"];

export function newLatencySketch(): LatencySketch {
  return new LogCollapsingLowestDenseDDSketch({ relativeAccuracy: LATENCY_RELATIVE_ACCURACY, binLimit: LATENCY_BIN_LIMIT });
}

/**
 * The DDSketch protobuf (sketches-proto's DDSketch message), as `toProto()` writes it but with
 * only the occupied bin range, so `DDSketch.fromProto` and any other DDSketch decoder read it.
 */
export function encodeSketch(sketch: EncodableSketch): Uint8Array {
  const mapping = new ProtoWriter(9 + 9 + 2).tag(1, WIRE_FIXED64).double(sketch.mapping.gamma)
    .tag(2, WIRE_FIXED64).double(0).tag(3, WIRE_VARINT).varint(0).finish();
  const positive = encodeStore(sketch.store);
  const negative = encodeStore(sketch.negativeStore);
  const size = lengthField(mapping) + lengthField(positive) + lengthField(negative) + 9;
  return new ProtoWriter(size)
    .tag(1, WIRE_LENGTH).varint(mapping.length).raw(mapping)
    .tag(2, WIRE_LENGTH).varint(positive.length).raw(positive)
    .tag(3, WIRE_LENGTH).varint(negative.length).raw(negative)
    .tag(4, WIRE_FIXED64).double(sketch.zeroCount)
    .finish();
}

/** Reads a DDSketch protobuf (logarithmic mapping) into a sketch that merges with this SDK's. */
export function decodeSketch(bytes: Uint8Array): LatencySketch {
  const reader = new ProtoReader(bytes);
  let gamma = 0;
  let positive: DecodedBins | undefined;
  let negative: DecodedBins | undefined;
  let zeroCount = 0;
  while (!reader.done) {
    const tag = reader.varint();
    const field = tag >>> 3;
    if (field === 1 && (tag & 7) === WIRE_LENGTH) gamma = decodeMapping(reader.message());
    else if (field === 2 && (tag & 7) === WIRE_LENGTH) positive = decodeStore(reader.message());
    else if (field === 3 && (tag & 7) === WIRE_LENGTH) negative = decodeStore(reader.message());
    else if (field === 4 && (tag & 7) === WIRE_FIXED64) zeroCount = reader.double();
    else reader.skip(tag & 7);
  }
  if (!(gamma > 1)) throw new Error("DDSketch protobuf without a usable index mapping");

  // Our own gamma gets our exact accuracy: (γ−1)/(γ+1) is off in the last bits, and merge()
  // refuses sketches whose gammas differ at all.
  const relativeAccuracy = gamma === LATENCY_GAMMA ? LATENCY_RELATIVE_ACCURACY : (gamma - 1) / (gamma + 1);
  const sketch = new LogCollapsingLowestDenseDDSketch({ relativeAccuracy, binLimit: LATENCY_BIN_LIMIT });
  if (!(zeroCount >= 0)) throw new Error("DDSketch protobuf with a negative zero count");
  sketch.zeroCount = zeroCount;
  sketch.count = zeroCount;
  for (const [bins, store] of [[positive, sketch.store], [negative, sketch.negativeStore]] as const) {
    if (!bins || bins.keys.length === 0) continue;
    // Sized once for the whole key range: added one by one in ascending order, each new key
    // would re-centre (copy) the store's bins, most of the cost of a decode.
    store.add(bins.max, 0);
    store.add(bins.min, 0);
    const { keys, counts } = bins;
    for (let index = 0; index < keys.length; index++) {
      store.add(keys[index]!, counts[index]!);
      sketch.count += counts[index]!;
    }
  }
  return sketch;
}

function lengthField(message: Uint8Array): number {
  return 1 + varintSize(message.length) + message.length;
}

/** `contiguousBinCounts` over the first to last occupied bin, and its `contiguousBinIndexOffset`. */
function encodeStore(store: Store): Uint8Array {
  const { bins } = store;
  let first = 0;
  while (first < bins.length && !(bins[first]! > 0)) first++;
  let last = bins.length - 1;
  while (last >= first && !(bins[last]! > 0)) last--;
  if (first > last) return new Uint8Array(0);

  const packedLength = (last - first + 1) * 8;
  const offset = zigzag32(store.offset + first);
  const writer = new ProtoWriter(1 + varintSize(packedLength) + packedLength + 1 + varintSize(offset));
  writer.tag(2, WIRE_LENGTH).varint(packedLength);
  for (let index = first; index <= last; index++) writer.double(bins[index]!);
  return writer.tag(3, WIRE_VARINT).varint(offset).finish();
}

function decodeMapping(reader: ProtoReader): number {
  let gamma = 0;
  while (!reader.done) {
    const tag = reader.varint();
    const field = tag >>> 3;
    if (field === 1 && (tag & 7) === WIRE_FIXED64) gamma = reader.double();
    else if (field === 2 && (tag & 7) === WIRE_FIXED64) {
      if (reader.double() !== 0) throw new Error("DDSketch protobuf with an index offset is not supported");
    } else if (field === 3 && (tag & 7) === WIRE_VARINT) {
      if (reader.varint() !== 0) throw new Error("DDSketch protobuf with an interpolated mapping is not supported");
    } else reader.skip(tag & 7);
  }
  return gamma;
}

/** Bins as parallel key and count lists, from the sparse map and the contiguous run alike (the format allows both). */
interface DecodedBins {
  keys: number[];
  counts: number[];
  min: number;
  max: number;
}

function decodeStore(reader: ProtoReader): DecodedBins {
  const bins: DecodedBins = { keys: [], counts: [], min: Infinity, max: -Infinity };
  const add = (key: number, count: number) => {
    if (!(count >= 0) || count === Infinity) throw new Error("DDSketch protobuf with an invalid bin count");
    if (count === 0) return;
    bins.keys.push(key);
    bins.counts.push(count);
    if (key < bins.min) bins.min = key;
    if (key > bins.max) bins.max = key;
  };
  const contiguous: number[] = [];
  let contiguousOffset = 0;
  while (!reader.done) {
    const tag = reader.varint();
    const field = tag >>> 3;
    if (field === 1 && (tag & 7) === WIRE_LENGTH) {
      const entry = reader.message();
      let key = 0;
      let count = 0;
      while (!entry.done) {
        const entryTag = entry.varint();
        if (entryTag >>> 3 === 1 && (entryTag & 7) === WIRE_VARINT) key = entry.sint32();
        else if (entryTag >>> 3 === 2 && (entryTag & 7) === WIRE_FIXED64) count = entry.double();
        else entry.skip(entryTag & 7);
      }
      add(key, count);
    } else if (field === 2 && (tag & 7) === WIRE_LENGTH) {
      const packed = reader.message();
      while (!packed.done) contiguous.push(packed.double());
    } else if (field === 2 && (tag & 7) === WIRE_FIXED64) contiguous.push(reader.double());
    else if (field === 3 && (tag & 7) === WIRE_VARINT) contiguousOffset = reader.sint32();
    else reader.skip(tag & 7);
  }
  for (let index = 0; index < contiguous.length; index++) add(contiguousOffset + index, contiguous[index]!);
  return bins;
}
