"""Metrics windows and batches in the shape lib/metrics/schemas.ts accepts, bounded, dropping and counting."""

import base64
import re
import unittest

from rampart_sdk.latency_sketch import decode_sketch
from rampart_sdk.metrics_flusher import parse_retry_after, split_batch
from rampart_sdk.path_metrics import PathMetrics, merge_batches, samples_in

BATCH_KEYS = {"batchId", "instanceId", "windowStart", "windowEnd", "entries", "dropped"}
ENTRY_KEYS = {"flag", "path", "reason", "count", "errors", "sketch"}


class Windows(unittest.TestCase):
    def test_a_window_drains_into_a_batch_the_control_plane_takes(self) -> None:
        metrics = PathMetrics(instance_id="orders-1", window_start=1_000)
        for latency in (2.0, 4.0, 8.0):
            metrics.record_sample("enable_orders_v2_total", "new", "rollout", latency, False)
        metrics.record_sample("enable_orders_v2_total", "legacy", "killed", 1.0, True)
        metrics.note_evaluated("schema_v2")
        metrics.note_evaluated("enable_orders_v2_total")
        batch = metrics.drain(now=11_000)
        assert batch is not None
        self.assertEqual(set(batch), BATCH_KEYS | {"evaluated"})
        self.assertRegex(batch["batchId"], r"^[A-Za-z0-9_.:-]{8,100}$")
        self.assertEqual((batch["instanceId"], batch["windowStart"], batch["windowEnd"], batch["dropped"]), ("orders-1", 1_000, 11_000, 0))
        self.assertEqual(batch["evaluated"], ["enable_orders_v2_total", "schema_v2"])
        entries = {(entry["path"], entry["reason"]): entry for entry in batch["entries"]}
        self.assertEqual({frozenset(entry) for entry in batch["entries"]}, {frozenset(ENTRY_KEYS)})
        self.assertEqual((entries["new", "rollout"]["count"], entries["new", "rollout"]["errors"]), (3, 0))
        self.assertEqual((entries["legacy", "killed"]["count"], entries["legacy", "killed"]["errors"]), (1, 1))
        slowest = decode_sketch(base64.b64decode(entries["new", "rollout"]["sketch"])).quantile(1)
        assert slowest is not None
        self.assertAlmostEqual(slowest, 8.0, delta=0.08)
        self.assertIsNone(metrics.drain(now=21_000))

    def test_input_it_cannot_take_is_dropped_counted_and_reported(self) -> None:
        metrics = PathMetrics(max_series=2)
        metrics.record_sample("a", "sideways", "rollout", 1.0, False)
        metrics.record_sample("a", "new", "because", 1.0, False)
        metrics.record_sample("a", "new", "rollout", -1.0, False)
        metrics.record_sample("a", "new", "rollout", float("nan"), False)
        metrics.record_sample("Not A Key", "new", "rollout", 1.0, False)
        metrics.record_sample("a", "new", "rollout", 1.0, False)
        metrics.record_sample("a", "legacy", "rollout", 1.0, False)
        metrics.record_sample("a", "new", "pinned", 1.0, False)  # a third series
        self.assertEqual(metrics.counts(), (2, 6))
        batch = metrics.drain()
        assert batch is not None
        self.assertEqual((len(batch["entries"]), batch["dropped"]), (2, 6))

    def test_evaluated_keys_are_bounded_and_only_valid_ones(self) -> None:
        metrics = PathMetrics(max_evaluated=3)
        for flag in ("b", "a", "Bad Key", "", "c", "d"):
            metrics.note_evaluated(flag)
        batch = metrics.drain()
        assert batch is not None
        self.assertEqual(batch["evaluated"], ["a", "b", "c"])


class Batches(unittest.TestCase):
    def batch(self, metrics: PathMetrics, latencies: list, start: int) -> dict:  # type: ignore[type-arg]
        metrics.drain(now=start)
        for latency in latencies:
            metrics.record_sample("orders", "new", "rollout", latency, latency > 50)
        metrics.note_evaluated("orders")
        batch = metrics.drain(now=start + 10_000)
        assert batch is not None
        return batch

    def test_two_windows_merge_into_one_batch(self) -> None:
        metrics = PathMetrics(instance_id="orders-1", window_start=0)
        older, newer = self.batch(metrics, [1.0, 2.0], 0), self.batch(metrics, [100.0], 10_000)
        merged = merge_batches(older, newer)
        assert merged is not None
        self.assertNotIn(merged["batchId"], (older["batchId"], newer["batchId"]))
        self.assertEqual((merged["windowStart"], merged["windowEnd"], merged["evaluated"]), (0, 20_000, ["orders"]))
        [entry] = merged["entries"]
        self.assertEqual((entry["count"], entry["errors"]), (3, 1))
        self.assertEqual(decode_sketch(base64.b64decode(entry["sketch"])).count, 3)
        self.assertIsNone(merge_batches(older, dict(newer, instanceId="other")))

    def test_a_batch_over_the_limits_splits_keeping_ids_apart(self) -> None:
        metrics = PathMetrics(instance_id="orders-1")
        for index in range(5):
            metrics.record_sample("flag_%d" % index, "new", "rollout", 1.0, False)
        metrics.note_evaluated("flag_0")
        batch = metrics.drain()
        assert batch is not None
        parts = split_batch(batch, max_entries=2)
        self.assertEqual([len(part["entries"]) for part in parts], [2, 2, 1])
        self.assertEqual([part["batchId"] for part in parts], [batch["batchId"], batch["batchId"] + ".1", batch["batchId"] + ".2"])
        self.assertEqual(["evaluated" in part for part in parts], [True, False, False])
        self.assertEqual(sum(samples_in(part) for part in parts), 5)
        for part in parts:
            self.assertTrue(re.fullmatch(r"[A-Za-z0-9_.:-]{8,100}", part["batchId"]))

    def test_retry_after_in_seconds_or_as_a_date_capped_at_five_minutes(self) -> None:
        self.assertEqual(parse_retry_after("7"), 7.0)
        self.assertEqual(parse_retry_after("86400"), 300.0)
        self.assertEqual(parse_retry_after("Thu, 01 Jan 1970 00:00:30 GMT", now=10.0), 20.0)
        self.assertEqual(parse_retry_after("Thu, 01 Jan 1970 00:00:30 GMT", now=60.0), 0.0)
        for unreadable in (None, "", "soon", "-1", "1.5"):
            self.assertIsNone(parse_retry_after(unreadable))


if __name__ == "__main__":
    unittest.main()
