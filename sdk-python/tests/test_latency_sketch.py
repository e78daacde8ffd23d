"""The sketch codec against the Node SDK's: a sketch the Node codec wrote decodes here to the same
bins, counts and quantiles (sdk/src/python-sdk-sketch.test.ts checks the other direction)."""

import base64
import json
import struct
import unittest

from rampart_sdk.latency_sketch import LATENCY_BIN_LIMIT, LATENCY_GAMMA, LatencySketch, decode_sketch, encode_sketch
from rampart_sdk.protobuf_wire import WIRE_FIXED64, WIRE_VARINT, length_delimited, tag, varint, zigzag32

from .fixtures.write_python_sketch import python_sketch_b64
from .shared_files import FIXTURES

QUANTILES = (0, 0.25, 0.5, 0.9, 0.95, 0.99, 1)
SAMPLES = json.loads((FIXTURES / "sketch-samples.json").read_text())["samples"]


def sketch_of(samples: list) -> LatencySketch:  # type: ignore[type-arg]
    sketch = LatencySketch()
    for sample in samples:
        sketch.accept(sample)
    return sketch


class NodeEncodedSketch(unittest.TestCase):
    def test_decodes_to_the_same_counts_bins_and_quantiles(self) -> None:
        from_node = decode_sketch(base64.b64decode((FIXTURES / "node-sketch.b64").read_text()))
        ours = sketch_of(SAMPLES)
        self.assertEqual(from_node.count, len(SAMPLES))
        self.assertEqual(from_node.zero_count, 3)
        self.assertEqual(from_node.positive.occupied(), ours.positive.occupied())
        self.assertEqual([from_node.quantile(q) for q in QUANTILES], [ours.quantile(q) for q in QUANTILES])
        # The samples span more than the bin limit: the lowest bins collapsed, on both sides alike.
        keys = [key for key, _ in ours.positive.occupied()]
        self.assertEqual(keys[-1] - keys[0] + 1, LATENCY_BIN_LIMIT)

    def test_our_encoding_is_the_node_encoding_byte_for_byte(self) -> None:
        self.assertEqual(base64.b64encode(encode_sketch(sketch_of(SAMPLES))).decode() + "\n", (FIXTURES / "node-sketch.b64").read_text())

    def test_the_python_fixture_is_what_this_codec_writes_now(self) -> None:
        self.assertEqual((FIXTURES / "python-sketch.b64").read_text(), python_sketch_b64())


class Codec(unittest.TestCase):
    def test_quantiles_are_within_one_percent(self) -> None:
        sketch = sketch_of([float(ms) for ms in range(1, 1001)])
        for q, exact in ((0.5, 500.5), (0.95, 950.05), (0.99, 990.01)):
            value = sketch.quantile(q)
            assert value is not None
            self.assertLessEqual(abs(value - exact) / exact, 0.011)

    def test_merging_decoded_halves_gives_the_whole(self) -> None:
        merged = decode_sketch(encode_sketch(sketch_of(SAMPLES[:700])))
        merged.merge(decode_sketch(encode_sketch(sketch_of(SAMPLES[700:]))))
        whole = sketch_of(SAMPLES)
        self.assertEqual(merged.count, whole.count)
        self.assertEqual([merged.quantile(q) for q in QUANTILES], [whole.quantile(q) for q in QUANTILES])

    def test_an_empty_sketch_round_trips(self) -> None:
        decoded = decode_sketch(encode_sketch(LatencySketch()))
        self.assertEqual((decoded.count, decoded.quantile(0.99)), (0, None))

    def test_reads_sparse_bins_and_skips_unknown_fields(self) -> None:
        mapping = tag(1, WIRE_FIXED64) + struct.pack("<d", LATENCY_GAMMA)
        entry = lambda key, count: tag(1, WIRE_VARINT) + varint(zigzag32(key)) + tag(2, WIRE_FIXED64) + struct.pack("<d", count)  # noqa: E731
        store = length_delimited(1, entry(100, 3)) + length_delimited(1, entry(-5, 2))
        decoded = decode_sketch(length_delimited(1, mapping) + length_delimited(2, store) + tag(9, WIRE_VARINT) + varint(7))
        self.assertEqual(decoded.count, 5)
        self.assertEqual(decoded.positive.occupied(), [(-5, 2.0), (100, 3.0)])

    def test_refuses_what_it_cannot_merge(self) -> None:
        for garbage in (b"", b"\x0a\x05\x09", length_delimited(1, tag(3, WIRE_VARINT) + varint(1)), b"\xff" * 12):
            with self.subTest(garbage=garbage):
                with self.assertRaises(ValueError):
                    decode_sketch(garbage)


if __name__ == "__main__":
    unittest.main()
