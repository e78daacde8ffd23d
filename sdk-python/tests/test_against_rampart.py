"""The SDK against a real Rampart started here: snapshot then stream, a kill arriving in under
500 ms, a dropped stream resuming without a missed change, and gate() metrics on the flag's
metrics page merged with a Node SDK service's for the same flag."""

import json
import os
import re
import subprocess
import sys
import threading
import time
import unittest
import uuid
from typing import Any, Dict, List
from urllib.parse import urlsplit

from rampart_sdk import create_client

from .control_plane import ControlPlane
from .fake_control_plane import wait_until
from .shared_files import PACKAGE_DIR, REPO
from .tcp_proxy import TcpProxy


def unique_key(prefix: str) -> str:
    return "py_%s_%s" % (prefix, uuid.uuid4().hex[:8])


class PathError(Exception):
    pass


class AgainstRampart(unittest.TestCase):
    control_plane: ControlPlane

    @classmethod
    def setUpClass(cls) -> None:
        cls.control_plane = ControlPlane()
        cls.control_plane.start()

    @classmethod
    def tearDownClass(cls) -> None:
        cls.control_plane.remove()

    def client(self, url: str = "", **options: Any) -> Any:
        options.setdefault("backoff", (0.05, 0.2))
        client = create_client(url or self.control_plane.url, self.control_plane.sdk_key, **options)
        self.addCleanup(client.close)
        return client

    def sdk_snapshot(self) -> Dict[str, Any]:
        status, snapshot = self.control_plane.api("GET", "/api/sdk/flags", token=self.control_plane.sdk_key)
        self.assertEqual(status, 200)
        return snapshot  # type: ignore[no-any-return]

    def test_1_snapshot_then_stream(self) -> None:
        flag = unique_key("stream")
        self.control_plane.given_flag(flag, 100)
        client = self.client()
        self.assertTrue(client.ready(timeout=15))
        self.assertEqual((client.status().source, client.evaluate(flag, {"user_id": "user-1"})), ("control-plane", (True, "rollout")))
        self.assertIsNotNone(wait_until(lambda: client.status().connected, 10))
        version = client.flag(flag)["version"]
        status, _ = self.control_plane.api("PATCH", "/api/flags/%s?env=production" % flag, {"percentage": 0, "reason": "python sdk test"})
        self.assertEqual(status, 200)
        self.assertIsNotNone(wait_until(lambda: client.flag(flag)["version"] == version + 1, 5))
        self.assertEqual(client.evaluate(flag, {"user_id": "user-1"}), (False, "rollout"))
        self.assertEqual(client.status().cursor, self.sdk_snapshot()["cursor"])

    def test_2_a_kill_reaches_the_client_in_under_500_ms(self) -> None:
        flag = unique_key("kill")
        self.control_plane.given_flag(flag, 100)
        client = self.client()
        self.assertTrue(client.ready(timeout=15))
        self.assertIsNotNone(wait_until(lambda: client.status().connected, 10))
        killed = threading.Event()
        client.on_change(lambda key: key == flag and client.evaluate(key, {"user_id": "user-1"}).reason == "killed" and killed.set())
        sent = time.monotonic()
        status, _ = self.control_plane.api("POST", "/api/flags/%s/kill?env=production" % flag, {"reason": "python sdk kill test"})
        self.assertEqual(status, 200)
        self.assertTrue(killed.wait(5))
        took = time.monotonic() - sent
        self.assertLess(took, 0.5, "the kill took %.0f ms" % (took * 1000))
        self.assertEqual(client.enabled(flag, {"user_id": "user-1"}, True), False)

    def test_3_a_dropped_stream_resumes_after_its_last_change_without_missing_one(self) -> None:
        ramped, killed = unique_key("ramped"), unique_key("killed")
        for flag in (ramped, killed):
            self.control_plane.given_flag(flag, 10)
        parts = urlsplit(self.control_plane.url)
        proxy = TcpProxy((parts.hostname or "127.0.0.1", parts.port or 80))
        self.addCleanup(proxy.close)
        client = self.client(proxy.url)
        self.assertTrue(client.ready(timeout=15))
        self.assertIsNotNone(wait_until(lambda: client.status().connected, 10))
        cursor_before = client.status().cursor

        proxy.cut()
        self.assertIsNotNone(wait_until(lambda: not client.status().connected, 5))
        for percentage in (20, 30, 40):
            self.control_plane.api("PATCH", "/api/flags/%s?env=production" % ramped, {"percentage": percentage})
        self.control_plane.api("POST", "/api/flags/%s/kill?env=production" % killed, {"reason": "while the stream is down"})
        server = {flag["key"]: flag for flag in self.sdk_snapshot()["flags"]}
        self.assertEqual(client.evaluate(killed, {"user_id": "user-1"}).reason, "rollout")  # nothing arrived meanwhile

        proxy.resume()
        self.assertIsNotNone(wait_until(lambda: client.status().cursor == self.sdk_snapshot()["cursor"], 10))
        for flag in (ramped, killed):
            self.assertEqual(client.flag(flag), server[flag])
        self.assertEqual(client.evaluate(killed, {"user_id": "user-1"}), (False, "killed"))
        streams = [request for request in proxy.requests if request.startswith("GET /api/sdk/stream")]
        self.assertRegex(streams[-1], r"(?i)\r\nlast-event-id: %d\r\n" % cursor_before)
        self.assertEqual(sum(request.startswith("GET /api/sdk/flags") for request in proxy.requests), 1)

    def test_4_gate_metrics_reach_the_flag_page_merged_with_a_node_service(self) -> None:
        flag = unique_key("metrics")
        self.control_plane.given_flag(flag, 100)
        errors: List[BaseException] = []
        client = self.client(flush_interval=0.2, on_error=errors.append)
        self.assertTrue(client.ready(timeout=15))
        for user in range(98):
            self.assertEqual(client.gate(flag, {"user_id": "user-%d" % user}, lambda: "new", lambda: "legacy"), "new")
        # Without a user the flag serves its default (off): the legacy path, reason unkeyed.
        for attempt in range(3):
            try:
                with client.gated(flag, {"kind": "cron"}) as gate:
                    self.assertFalse(gate.new)
                    if attempt == 0:
                        raise PathError("the legacy path failed")
            except PathError:
                pass
        client.enabled(unique_key("evaluated_only"), {"user_id": "user-1"})

        node = subprocess.run(
            ["node", "--import", "tsx", "sdk-python/tests/fixtures/node-service.mts"],
            cwd=REPO,
            env=dict(os.environ, RAMPART_URL=self.control_plane.url, RAMPART_SDK_KEY=self.control_plane.sdk_key, RAMPART_FLAG=flag),
            capture_output=True,
            timeout=60,
        )
        self.assertEqual(node.returncode, 0, node.stderr.decode(errors="replace"))
        self.assertEqual(json.loads(node.stdout.decode().strip().splitlines()[-1]), {"ready": True, "paths": ["new", "new"], "batchesSent": 1})
        client.close()
        self.assertEqual((client.metrics_status().dropped, client.metrics_status().pending_batches, errors), (0, 0, []))
        self.assertGreaterEqual(client.metrics_status().batches_sent, 1)

        status, page = self.control_plane.api("GET", "/api/flags/%s/metrics?env=production&window=15m" % flag)
        self.assertEqual(status, 200)
        new, legacy = page["totals"]["new"], page["totals"]["legacy"]
        self.assertEqual((new["requests"], new["errors"], legacy["requests"], legacy["errors"]), (100, 0, 3, 1))
        # p99 is the Node calls' 250 ms and p95 the Python calls' microseconds: both sketches merged.
        self.assertGreaterEqual(new["p99"], 245)
        self.assertLess(new["p99"], 400)
        self.assertLess(new["p95"], 50)
        self.assertEqual((page["evaluations"]["rollout"], page["evaluations"]["unkeyed"]), (100, 3))

    def test_5_the_readme_examples_run_as_written(self) -> None:
        with open(PACKAGE_DIR / "README.md", encoding="utf-8") as file:
            readme = file.read()
        examples = dict(re.findall(r"<!-- example: ([a-z-]+) -->\s*```python\n(.*?)```", readme, re.DOTALL))
        self.assertEqual(sorted(examples), ["order-total", "write-order"])
        for flag in ("schema_v2", "enable_orders_v2_total"):
            self.control_plane.given_flag(flag, 100)
        env = dict(os.environ, RAMPART_URL=self.control_plane.url, RAMPART_SDK_KEY=self.control_plane.sdk_key, PYTHONPATH=str(PACKAGE_DIR))
        printed = {}
        for name, code in examples.items():
            run = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, timeout=60)
            self.assertEqual(run.returncode, 0, run.stderr.decode(errors="replace"))
            printed[name] = run.stdout.decode().strip()
        self.assertEqual(printed, {"write-order": "('paid', 'paid')", "order-total": "9.0 9.0"})
        status, page = self.control_plane.api("GET", "/api/flags/enable_orders_v2_total/metrics?env=production&window=15m")
        self.assertEqual((status, page["totals"]["new"]["requests"], page["totals"]["legacy"]["requests"]), (200, 1, 1))


if __name__ == "__main__":
    unittest.main()
