"""Latency as a DDSketch that merges with the Node SDK's: the same logarithmic mapping (1% relative
accuracy), the same collapsing-lowest store (2,048 bins) and the same protobuf encoding as
sdk/src/latency-sketch.ts, which follows @datadog/sketches-js."""

from __future__ import annotations

import math
from typing import Dict, List, Optional, Tuple

from .protobuf_wire import (
    WIRE_FIXED64,
    WIRE_LENGTH,
    WIRE_VARINT,
    ProtoReader,
    double,
    length_delimited,
    tag,
    varint,
    zigzag32,
)

LATENCY_RELATIVE_ACCURACY = 0.01
# Each bin spans a factor γ ≈ 1.0202, so 2,048 bins cover 1 ns to years in ms; the limit only
# bounds memory against garbage. Collapsing the lowest bins keeps p95/p99 exact.
LATENCY_BIN_LIMIT = 2048


class IndexMapping:
    """sketches-js's LogarithmicMapping: key(v) = ⌈log₂(v) · multiplier⌉, computed the same way."""

    __slots__ = ("relative_accuracy", "gamma", "multiplier", "min_possible")

    def __init__(self, relative_accuracy: float) -> None:
        if not 0 < relative_accuracy < 1:
            raise ValueError("relative accuracy must be between 0 and 1")
        gamma_mantissa = (2 * relative_accuracy) / (1 - relative_accuracy)
        self.relative_accuracy = relative_accuracy
        self.gamma = 1 + gamma_mantissa
        self.multiplier = (1 / math.log1p(gamma_mantissa)) * math.log(2)
        self.min_possible = 2.0**-1023 * self.gamma

    def key(self, value: float) -> int:
        return math.ceil(math.log2(value) * self.multiplier)

    def value(self, key: int) -> float:
        return 2.0 ** (key / self.multiplier) * (2 / (1 + self.gamma))


LATENCY_MAPPING = IndexMapping(LATENCY_RELATIVE_ACCURACY)
# Beyond any key: log₂ of a double is within ±1075, times a multiplier of at most ~70 at 1 %.
_NO_KEY_ABOVE = 2**31
_NO_KEY_BELOW = -(2**31)
LATENCY_GAMMA = LATENCY_MAPPING.gamma


class CollapsingLowestStore:
    """
    Counts per key within the highest `bin_limit` keys seen; lower keys fold into the lowest bin
    kept, as sketches-js's CollapsingLowestDenseStore does. Sparse: only occupied keys cost memory.
    """

    __slots__ = ("bins", "count", "min_key", "max_key", "collapsed", "bin_limit")

    def __init__(self, bin_limit: int = LATENCY_BIN_LIMIT) -> None:
        self.bins: Dict[int, float] = {}
        self.count = 0.0
        # Empty, the range is inverted: every key is outside it.
        self.min_key = _NO_KEY_ABOVE
        self.max_key = _NO_KEY_BELOW
        self.collapsed = False
        self.bin_limit = bin_limit

    def add(self, key: int, weight: float = 1.0) -> None:
        bins = self.bins
        if self.min_key <= key <= self.max_key:
            bins[key] = bins.get(key, 0.0) + weight
            self.count += weight
            return
        if not bins and self.min_key > self.max_key:
            self.min_key = self.max_key = key
        elif key < self.min_key:
            if self.collapsed:
                key = self.min_key
            elif self.max_key - key + 1 > self.bin_limit:
                key = self.min_key = self.max_key - self.bin_limit + 1
                self.collapsed = True
            else:
                self.min_key = key
        elif key > self.max_key:
            if key - self.min_key + 1 > self.bin_limit:
                lowest = key - self.bin_limit + 1
                folded = 0.0
                for low in [low for low in bins if low < lowest]:
                    folded += bins.pop(low)
                if folded:
                    bins[lowest] = bins.get(lowest, 0.0) + folded
                self.min_key = lowest
                self.collapsed = True
            self.max_key = key
        bins[key] = bins.get(key, 0.0) + weight
        self.count += weight

    def occupied(self) -> List[Tuple[int, float]]:
        """(key, count) for every bin holding a count, lowest key first."""
        return sorted((key, count) for key, count in self.bins.items() if count > 0)

    def key_at_rank(self, rank: float, lower: bool = True) -> int:
        running = 0.0
        for key, count in sorted(self.bins.items()):
            running += count
            if (lower and running > rank) or (not lower and running >= rank + 1):
                return key
        return self.max_key if self.bins else 0


class LatencySketch:
    """Latencies in milliseconds. `accept` is on the gate() path: one log and one dict update."""

    __slots__ = ("mapping", "positive", "negative", "zero_count", "count")

    def __init__(self, mapping: IndexMapping = LATENCY_MAPPING) -> None:
        self.mapping = mapping
        self.positive = CollapsingLowestStore()
        self.negative = CollapsingLowestStore()
        self.zero_count = 0.0
        self.count = 0.0

    def accept(self, value: float, weight: float = 1.0) -> None:
        mapping = self.mapping
        if value > mapping.min_possible:
            key = math.ceil(math.log2(value) * mapping.multiplier)
            store = self.positive
            if store.min_key <= key <= store.max_key:
                # Inside the range seen so far (nearly every call): no collapsing to consider.
                bins = store.bins
                bins[key] = bins.get(key, 0.0) + weight
                store.count += weight
            else:
                store.add(key, weight)
        elif value < -mapping.min_possible:
            self.negative.add(mapping.key(-value), weight)
        else:
            self.zero_count += weight
        self.count += weight

    def merge(self, other: "LatencySketch") -> None:
        if other.mapping.gamma != self.mapping.gamma:
            raise ValueError("cannot merge DDSketches with different relative accuracies")
        for mine, theirs in ((self.positive, other.positive), (self.negative, other.negative)):
            for key, count in theirs.occupied():
                mine.add(key, count)
        self.zero_count += other.zero_count
        self.count += other.count

    def quantile(self, quantile: float) -> Optional[float]:
        """sketches-js's getValueAtQuantile; None for an empty sketch or a quantile outside 0..1."""
        if not 0 <= quantile <= 1 or self.count == 0:
            return None
        rank = quantile * (self.count - 1)
        negative = self.negative.count
        if rank < negative:
            return -self.mapping.value(self.negative.key_at_rank(negative - rank - 1, lower=False))
        if rank < self.zero_count + negative:
            return 0.0
        return self.mapping.value(self.positive.key_at_rank(rank - self.zero_count - negative))


def encode_sketch(sketch: LatencySketch) -> bytes:
    """The DDSketch protobuf (sketches-proto) with only the occupied bin range, byte for byte as the Node SDK writes it."""
    mapping = tag(1, WIRE_FIXED64) + double(sketch.mapping.gamma) + tag(2, WIRE_FIXED64) + double(0.0) + tag(3, WIRE_VARINT) + varint(0)
    return b"".join(
        (
            length_delimited(1, mapping),
            length_delimited(2, _encode_store(sketch.positive)),
            length_delimited(3, _encode_store(sketch.negative)),
            tag(4, WIRE_FIXED64),
            double(sketch.zero_count),
        )
    )


def _encode_store(store: CollapsingLowestStore) -> bytes:
    """`contiguousBinCounts` from the first to the last occupied bin, and `contiguousBinIndexOffset`."""
    occupied = store.occupied()
    if not occupied:
        return b""
    first, last = occupied[0][0], occupied[-1][0]
    packed = b"".join(double(store.bins.get(key, 0.0)) for key in range(first, last + 1))
    return length_delimited(2, packed) + tag(3, WIRE_VARINT) + varint(zigzag32(first))


def decode_sketch(data: bytes) -> LatencySketch:
    """Reads a DDSketch protobuf (logarithmic mapping) into a sketch that merges with this SDK's; ValueError if it cannot."""
    reader = ProtoReader(data)
    gamma = 0.0
    positive: List[Tuple[int, float]] = []
    negative: List[Tuple[int, float]] = []
    zero_count = 0.0
    while not reader.done:
        field_tag = reader.varint()
        field, wire_type = field_tag >> 3, field_tag & 7
        if field == 1 and wire_type == WIRE_LENGTH:
            gamma = _decode_mapping(reader.message())
        elif field == 2 and wire_type == WIRE_LENGTH:
            positive = _decode_store(reader.message())
        elif field == 3 and wire_type == WIRE_LENGTH:
            negative = _decode_store(reader.message())
        elif field == 4 and wire_type == WIRE_FIXED64:
            zero_count = reader.double()
        else:
            reader.skip(wire_type)
    if not gamma > 1:
        raise ValueError("DDSketch protobuf without a usable index mapping")
    if not zero_count >= 0:
        raise ValueError("DDSketch protobuf with a negative zero count")
    # Our own gamma keeps our exact accuracy: (γ−1)/(γ+1) is off in the last bits, and sketches
    # whose gammas differ at all do not merge.
    mapping = LATENCY_MAPPING if gamma == LATENCY_GAMMA else IndexMapping((gamma - 1) / (gamma + 1))
    sketch = LatencySketch(mapping)
    sketch.zero_count = zero_count
    sketch.count = zero_count
    for bins, store in ((positive, sketch.positive), (negative, sketch.negative)):
        for key, count in sorted(bins):
            store.add(key, count)
            sketch.count += count
    return sketch


def _decode_mapping(reader: ProtoReader) -> float:
    gamma = 0.0
    while not reader.done:
        field_tag = reader.varint()
        field, wire_type = field_tag >> 3, field_tag & 7
        if field == 1 and wire_type == WIRE_FIXED64:
            gamma = reader.double()
        elif field == 2 and wire_type == WIRE_FIXED64:
            if reader.double() != 0:
                raise ValueError("DDSketch protobuf with an index offset is not supported")
        elif field == 3 and wire_type == WIRE_VARINT:
            if reader.varint() != 0:
                raise ValueError("DDSketch protobuf with an interpolated mapping is not supported")
        else:
            reader.skip(wire_type)
    return gamma


def _decode_store(reader: ProtoReader) -> List[Tuple[int, float]]:
    """Occupied bins as (key, count), from the sparse map and the contiguous run alike (the format allows both)."""
    bins: List[Tuple[int, float]] = []
    contiguous: List[float] = []
    offset = 0

    def add(key: int, count: float) -> None:
        if not 0 <= count < math.inf:
            raise ValueError("DDSketch protobuf with an invalid bin count")
        if count > 0:
            bins.append((key, count))

    while not reader.done:
        field_tag = reader.varint()
        field, wire_type = field_tag >> 3, field_tag & 7
        if field == 1 and wire_type == WIRE_LENGTH:
            entry = reader.message()
            key, count = 0, 0.0
            while not entry.done:
                entry_tag = entry.varint()
                if entry_tag >> 3 == 1 and entry_tag & 7 == WIRE_VARINT:
                    key = entry.sint32()
                elif entry_tag >> 3 == 2 and entry_tag & 7 == WIRE_FIXED64:
                    count = entry.double()
                else:
                    entry.skip(entry_tag & 7)
            add(key, count)
        elif field == 2 and wire_type == WIRE_LENGTH:
            packed = reader.message()
            while not packed.done:
                contiguous.append(packed.double())
        elif field == 2 and wire_type == WIRE_FIXED64:
            contiguous.append(reader.double())
        elif field == 3 and wire_type == WIRE_VARINT:
            offset = reader.sint32()
        else:
            reader.skip(wire_type)
    for index, count in enumerate(contiguous):
        add(offset + index, count)
    return bins
