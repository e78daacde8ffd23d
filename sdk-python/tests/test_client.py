"""The client's surface: gate() in its forms (call, context manager, decorator, asyncio), ready(),
the change stream against a scripted control plane, and close() leaving no thread behind."""

import asyncio
import json
import os
import tempfile
import threading
import time
import unittest
from typing import Any, Dict, List

from rampart_sdk import GatedBlock, create_client

from .fake_control_plane import FakeControlPlane, flag_event, flag_state, wait_until

ON = flag_state("orders_v2", 1, percentage=100)
OFF = flag_state("orders_v1", 1, percentage=0)
USER = {"user_id": "user-1"}


class PathError(Exception):
    pass


def series(client: Any) -> Dict[Any, Dict[str, Any]]:
    """What the client would send now, by (flag, path, reason)."""
    batch = client._metrics.drain()
    return {(entry["flag"], entry["path"], entry["reason"]): entry for entry in (batch or {"entries": []})["entries"]}


class Gate(unittest.TestCase):
    def setUp(self) -> None:
        self.client = create_client("http://127.0.0.1:9", "key", bootstrap=[ON, OFF], offline=True)

    def tearDown(self) -> None:
        self.client.close()

    def test_gate_runs_one_path_and_records_it(self) -> None:
        ran: List[str] = []
        self.assertEqual(self.client.gate("orders_v2", USER, lambda: ran.append("new") or "new", lambda: ran.append("legacy") or "legacy"), "new")
        self.assertEqual(self.client.gate("orders_v1", USER, lambda: "new", lambda: "legacy"), "legacy")
        self.assertEqual(self.client.gate("unknown", USER, lambda: "new", lambda: "legacy", fallback=True), "new")
        self.assertEqual(ran, ["new"])
        recorded = series(self.client)
        self.assertEqual(sorted(recorded), [("orders_v1", "legacy", "rollout"), ("orders_v2", "new", "rollout"), ("unknown", "new", "fallback")])
        self.assertEqual(self.client.metrics_status().recorded, 3)

    def test_a_path_error_is_counted_and_reaches_the_caller_unchanged(self) -> None:
        error = PathError("the new total failed")

        def failing() -> None:
            raise error

        try:
            self.client.gate("orders_v2", USER, failing, lambda: None)
        except PathError as raised:
            self.assertIs(raised, error)
            innermost = raised.__traceback__
            while innermost is not None and innermost.tb_next is not None:
                innermost = innermost.tb_next
            self.assertEqual(innermost.tb_frame.f_code.co_name if innermost else None, "failing")
        else:
            self.fail("gate() swallowed the path's error")
        self.assertEqual(series(self.client)["orders_v2", "new", "rollout"]["errors"], 1)

    def test_the_context_manager_times_the_block_as_the_path_taken(self) -> None:
        with self.client.gated("orders_v2", USER) as gate:
            self.assertIsInstance(gate, GatedBlock)
            self.assertEqual((gate.new, gate.path, gate.reason), (True, "new", "rollout"))
            time.sleep(0.02)
        with self.assertRaises(PathError):
            with self.client.gated("orders_v1", USER) as gate:
                self.assertFalse(gate.new)
                raise PathError("legacy failed")
        recorded = series(self.client)
        self.assertEqual((recorded["orders_v2", "new", "rollout"]["errors"], recorded["orders_v1", "legacy", "rollout"]["errors"]), (0, 1))

    def test_the_decorator_gates_a_function_with_its_legacy_counterpart(self) -> None:
        def total_v1(order: Dict[str, int], user: Dict[str, str]) -> int:
            return order["legacy_total"]

        @self.client.new_path("orders_v2", legacy_path=total_v1, context=lambda order, user: user)
        def total_v2(order: Dict[str, int], user: Dict[str, str]) -> int:
            return order["new_total"]

        @self.client.new_path("orders_v1", legacy_path=total_v1, context=lambda order, user: user)
        def total_off(order: Dict[str, int], user: Dict[str, str]) -> int:
            return order["new_total"]

        order = {"legacy_total": 1, "new_total": 2}
        self.assertEqual((total_v2(order, USER), total_off(order, user=USER), total_v2.__name__), (2, 1, "total_v2"))
        self.assertEqual(sorted(series(self.client)), [("orders_v1", "legacy", "rollout"), ("orders_v2", "new", "rollout")])

    def test_a_context_function_that_raises_gives_the_fallback(self) -> None:
        errors: List[BaseException] = []
        client = create_client("http://127.0.0.1:9", "key", bootstrap=[ON], offline=True, on_error=errors.append)

        @client.new_path("orders_v2", legacy_path=lambda order: "legacy", context=lambda order: order["user"])
        def total(order: Dict[str, Any]) -> str:
            return "new"

        self.assertEqual(total({}), "legacy")
        self.assertIsInstance(errors[0], KeyError)
        self.assertIn(("orders_v2", "legacy", "fallback"), series(client))
        client.close()

    def test_asyncio_forms(self) -> None:
        async def new_total() -> str:
            await asyncio.sleep(0.01)
            return "new"

        async def failing() -> str:
            raise PathError("async failure")

        async def main() -> List[Any]:
            results: List[Any] = [await self.client.gate_async("orders_v2", USER, new_total, failing)]
            with self.assertRaises(PathError):
                await self.client.gate_async("orders_v2", USER, failing, new_total)
            # A coroutine path through the plain gate() settles when awaited, as a promise would.
            results.append(await self.client.gate("orders_v2", USER, new_total, failing))
            async with self.client.gated("orders_v1", USER) as gate:
                results.append(gate.path)

            @self.client.new_path("orders_v2", legacy_path=failing, context=lambda: USER)
            async def decorated() -> str:
                return await new_total()

            results.append(await decorated())
            return results

        self.assertEqual(asyncio.run(main()), ["new", "new", "legacy", "new"])
        recorded = series(self.client)
        new_path = recorded["orders_v2", "new", "rollout"]
        self.assertEqual((new_path["count"], new_path["errors"]), (4, 1))
        self.assertEqual(recorded["orders_v1", "legacy", "rollout"]["count"], 1)

    def test_with_metrics_off_gate_still_runs_the_path(self) -> None:
        client = create_client("http://127.0.0.1:9", "key", bootstrap=[ON], offline=True, metrics=False)
        self.assertEqual(client.gate("orders_v2", USER, lambda: "new", lambda: "legacy"), "new")
        self.assertEqual(client.metrics_status().enabled, False)
        client.close()


class Connection(unittest.TestCase):
    def test_ready_is_false_on_timeout_while_fallbacks_serve_and_close_leaves_no_thread(self) -> None:
        before = set(threading.enumerate())
        client = create_client("http://127.0.0.1:9", "key", backoff=(0.01, 0.05))
        started = time.monotonic()
        self.assertFalse(client.ready(timeout=0.3))
        self.assertGreaterEqual(time.monotonic() - started, 0.3)
        self.assertEqual(client.evaluate("orders_v2", USER, True), (True, "fallback"))
        client.close()
        self.assertEqual(set(threading.enumerate()) - before, set())

    def test_snapshot_then_stream_a_silent_stream_is_reopened_after_the_last_change_and_older_versions_are_ignored(self) -> None:
        control_plane = FakeControlPlane()
        control_plane.snapshot = {"environment": "production", "cursor": 4, "flags": [flag_state("orders_v2", 3, percentage=0)]}
        control_plane.streams = [
            (flag_event(5, flag_state("orders_v2", 5)) + flag_event(6, flag_state("orders_v2", 4, killed=True)), True),
            (flag_event(7, flag_state("orders_v2", 6, killed=True)), True),
        ]
        changes: List[str] = []
        client = create_client(control_plane.url, "rps_key", stale_after=0.3, backoff=(0.01, 0.02))
        client.on_change(changes.append)
        try:
            self.assertTrue(client.ready(timeout=5))
            self.assertIsNotNone(wait_until(lambda: client.status().cursor == 6))
            self.assertEqual((client.evaluate("orders_v2", USER), client.flag("orders_v2")["version"]), ((True, "rollout"), 5))  # type: ignore[index]
            self.assertIsNotNone(wait_until(lambda: client.evaluate("orders_v2", USER).reason == "killed"))
            resumed = [request.headers["last-event-id"] for request in control_plane.requests_to("/api/sdk/stream")]
            self.assertEqual(resumed[:2], ["4", "6"])
            self.assertEqual(len(control_plane.requests_to("/api/sdk/flags")), 1)
            self.assertEqual(changes, ["orders_v2", "orders_v2", "orders_v2"])
            self.assertEqual(client.status().connected, True)
        finally:
            client.close()
            control_plane.close()

    def test_a_restart_during_an_outage_serves_the_cache_file(self) -> None:
        control_plane = FakeControlPlane()
        control_plane.snapshot = {"environment": "production", "cursor": 4, "flags": [flag_state("orders_v2", 3, percentage=0)]}
        control_plane.streams = [(flag_event(5, flag_state("orders_v2", 4, killed=True)), True)]
        with tempfile.TemporaryDirectory() as directory:
            cache_file = os.path.join(directory, "rampart", "flags.json")
            client = create_client(control_plane.url, "rps_key", cache_file=cache_file)
            try:
                self.assertIsNotNone(wait_until(lambda: client.status().cursor == 5))
            finally:
                client.close()
                control_plane.close()
            with open(cache_file) as file:
                self.assertEqual(json.load(file)["cursor"], 5)
            restarted = create_client("http://127.0.0.1:9", "rps_key", cache_file=cache_file)
            try:
                self.assertFalse(restarted.ready(timeout=0.05))
                self.assertEqual((restarted.evaluate("orders_v2", USER, True), restarted.status().source), ((False, "killed"), "bootstrap"))
            finally:
                restarted.close()


if __name__ == "__main__":
    unittest.main()
