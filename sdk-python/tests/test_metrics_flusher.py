"""Delivery of metrics batches against a scripted control plane: idempotent retries, Retry-After,
gzip refused, and bounded memory with drops counted while it is down."""

import threading
import unittest
from typing import List

from rampart_sdk.metrics_flusher import MetricsFlusher
from rampart_sdk.path_metrics import PathMetrics

from .fake_control_plane import FakeControlPlane, wait_until


class Delivery(unittest.TestCase):
    def setUp(self) -> None:
        self.control_plane = FakeControlPlane()
        self.metrics = PathMetrics(instance_id="orders-1")
        self.errors: List[BaseException] = []
        self.flusher = MetricsFlusher(self.metrics, url=self.control_plane.url, sdk_key="rps_key", interval=0.05, max_pending_batches=3, on_error=self.errors.append)

    def tearDown(self) -> None:
        self.flusher.close(timeout=1)
        self.control_plane.close()

    def posts(self) -> list:  # type: ignore[type-arg]
        return [request.json() for request in self.control_plane.requests_to("/api/sdk/metrics")]

    def test_a_failed_batch_is_retried_with_the_same_id_gzipped_and_authenticated(self) -> None:
        self.control_plane.metrics_answers = [(503, {}, b""), (500, {}, b"")]
        self.metrics.record_sample("orders", "new", "rollout", 3.0, False)
        self.flusher.start()
        self.assertIsNotNone(wait_until(lambda: self.flusher.status().batches_sent == 1))
        posts = self.control_plane.requests_to("/api/sdk/metrics")
        self.assertEqual(len(posts), 3)
        self.assertEqual({request.json()["batchId"] for request in posts}, {posts[0].json()["batchId"]})
        self.assertEqual({(request.headers["content-encoding"], request.headers["authorization"]) for request in posts}, {("gzip", "Bearer rps_key")})

    def test_retry_after_holds_every_post_back(self) -> None:
        self.control_plane.metrics_answers = [(429, {"retry-after": "1"}, b"")]
        self.metrics.record_sample("orders", "new", "rollout", 3.0, False)
        self.flusher.start()
        self.assertIsNotNone(wait_until(lambda: len(self.posts()) == 1))
        self.assertIsNone(wait_until(lambda: len(self.posts()) > 1, timeout=0.8))
        self.assertTrue(self.flusher.status().overloaded)
        self.assertEqual(self.flusher.status().last_retry_after, 1.0)
        held = wait_until(lambda: self.flusher.status().batches_sent == 1, timeout=3)
        self.assertIsNotNone(held)
        self.assertEqual(len({post["batchId"] for post in self.posts()}), 1)

    def test_a_control_plane_that_refuses_gzip_gets_plain_json(self) -> None:
        self.control_plane.metrics_answers = [(415, {}, b"")]
        self.metrics.record_sample("orders", "new", "rollout", 3.0, False)
        self.flusher.start()
        self.assertIsNotNone(wait_until(lambda: self.flusher.status().batches_sent == 1))
        encodings = [request.headers.get("content-encoding") for request in self.control_plane.requests_to("/api/sdk/metrics")]
        self.assertEqual(encodings, ["gzip", None])
        self.assertFalse(self.flusher.status().compressing)

    def test_a_refused_batch_is_final_and_its_samples_counted_as_dropped(self) -> None:
        self.control_plane.metrics_answers = [(400, {}, b'{"error":{"code":"invalid_body"}}')]
        self.metrics.record_sample("orders", "new", "rollout", 3.0, False)
        self.flusher.start()
        self.assertIsNotNone(wait_until(lambda: self.metrics.counts() == (1, 1)))
        self.assertIn("400", str(self.errors[0]))


class RampartDown(unittest.TestCase):
    def test_memory_stays_bounded_and_lost_samples_are_counted_then_reported(self) -> None:
        metrics = PathMetrics(instance_id="orders-1")
        errors: List[BaseException] = []
        flusher = MetricsFlusher(metrics, url="http://127.0.0.1:9", sdk_key="k", interval=0.02, max_pending_batches=2, attempts_per_flush=1, on_error=errors.append)
        flusher.start()
        stop = threading.Event()

        def record() -> None:
            while not stop.is_set():
                metrics.record_sample("orders", "new", "rollout", 1.0, False)
                stop.wait(0.001)

        recorder = threading.Thread(target=record)
        recorder.start()
        try:
            self.assertIsNotNone(wait_until(lambda: flusher.status().merged >= 3, timeout=5))
            self.assertLessEqual(flusher.status().pending_batches, 2)
        finally:
            stop.set()
            recorder.join()
        flusher.close(timeout=0.5)
        recorded, dropped = metrics.counts()
        # Nothing was delivered: every sample recorded is now counted as lost, none twice.
        self.assertEqual(dropped, recorded)
        self.assertGreater(recorded, 0)
        self.assertTrue(all(isinstance(error, OSError) for error in errors))
        # ... and the next batch reports them, once the control plane is back.
        control_plane = FakeControlPlane()
        try:
            back = MetricsFlusher(metrics, url=control_plane.url, sdk_key="k", interval=0.02, max_pending_batches=2, on_error=errors.append)
            back.close(timeout=1)
            [batch] = [request.json() for request in control_plane.requests_to("/api/sdk/metrics")]
            self.assertEqual((batch["dropped"], batch["entries"]), (dropped, []))
        finally:
            control_plane.close()


if __name__ == "__main__":
    unittest.main()
