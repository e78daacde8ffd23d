"""Where served state comes from: snapshots and changes (never an older version), a bootstrap, a cache file."""

import json
import os
import tempfile
import unittest

from rampart_sdk import create_client
from rampart_sdk.event_stream import EventStreamParser, ServerSentEvent
from rampart_sdk.flag_store import FlagStore, as_snapshot

from .fake_control_plane import flag_state


class Store(unittest.TestCase):
    def test_a_change_never_replaces_a_newer_version(self) -> None:
        store = FlagStore()
        self.assertEqual(store.apply_flag(4, flag_state("orders", 5)), "orders")
        self.assertIsNone(store.apply_flag(5, flag_state("orders", 4, percentage=0)))
        self.assertEqual(store.flags["orders"].version, 5)
        self.assertEqual(store.cursor, 5)
        self.assertTrue(store.flags["orders"].evaluate({"user_id": "user-1"}).value)

    def test_an_equal_state_is_no_change_and_a_snapshot_drops_what_it_does_not_list(self) -> None:
        store = FlagStore()
        store.apply_snapshot(as_snapshot({"environment": "production", "cursor": 3, "flags": [flag_state("a", 1), flag_state("b", 1)]}), "control-plane")
        changed = store.apply_snapshot(as_snapshot({"environment": "production", "cursor": 7, "flags": [flag_state("a", 1)]}), "control-plane")
        self.assertEqual((changed, sorted(store.flags), store.cursor), ({"b"}, ["a"], 7))
        self.assertEqual(store.apply_archived(8, "a"), "a")
        self.assertEqual((store.flags, store.cursor), ({}, 8))

    def test_snapshots_read_from_json(self) -> None:
        self.assertEqual(as_snapshot([flag_state("a", 1)]).cursor, 0)
        self.assertEqual(as_snapshot({"cursor": "9", "flags": []}).cursor, 9)
        self.assertEqual(as_snapshot({"cursor": None, "flags": []}).cursor, 0)
        with self.assertRaises(ValueError):
            as_snapshot({"flags": "none"})


class BootstrapAndCacheFile(unittest.TestCase):
    def test_a_bootstrap_from_a_dict_a_list_or_a_file(self) -> None:
        with tempfile.TemporaryDirectory() as directory:
            path = os.path.join(directory, "flags.json")
            with open(path, "w") as file:
                json.dump({"environment": "production", "cursor": 2, "flags": [flag_state("from_file", 1)]}, file)
            for bootstrap, key in (({"flags": [flag_state("from_dict", 1)]}, "from_dict"), ([flag_state("from_list", 1)], "from_list"), (path, "from_file")):
                with create_client("http://127.0.0.1:9", "key", bootstrap=bootstrap, offline=True) as client:
                    self.assertEqual((client.evaluate(key, {"user_id": "u"}), client.status().source), ((True, "rollout"), "bootstrap"))

    def test_an_unreadable_bootstrap_is_reported_and_fallbacks_serve(self) -> None:
        errors = []
        with create_client("http://127.0.0.1:9", "key", bootstrap="/nonexistent/flags.json", offline=True, on_error=errors.append) as client:
            self.assertEqual(client.evaluate("a", {"user_id": "u"}, True), (True, "fallback"))
        self.assertIsInstance(errors[0], FileNotFoundError)

    def test_the_cache_file_outranks_an_older_bootstrap(self) -> None:
        with tempfile.TemporaryDirectory() as directory:
            cache_file = os.path.join(directory, "cache", "flags.json")
            os.makedirs(os.path.dirname(cache_file))
            with open(cache_file, "w") as file:
                json.dump({"environment": "production", "cursor": 9, "flags": [flag_state("orders", 3, killed=True)]}, file)
            with create_client("http://127.0.0.1:9", "key", bootstrap={"cursor": 2, "flags": [flag_state("orders", 2)]}, cache_file=cache_file, offline=True) as client:
                self.assertEqual(client.evaluate("orders", {"user_id": "u"}), (False, "killed"))


class ServerSentEvents(unittest.TestCase):
    def test_events_and_comments_split_anywhere_and_any_line_ending(self) -> None:
        events, comments = [], []
        parser = EventStreamParser(events.append, comments.append)
        wire = "retry: 1000\n\nid: 1\nevent: flag\ndata: {\"a\":1}\n\n: heartbeat\r\n\rid: 2\r\nevent: archived\r\ndata: x\r\ndata: é\r\n\r\ndata: plain\n\n".encode()
        for index in range(len(wire)):
            parser.feed(wire[index : index + 1])
        self.assertEqual(events, [ServerSentEvent("1", "flag", '{"a":1}'), ServerSentEvent("2", "archived", "x\né"), ServerSentEvent(None, "message", "plain")])
        self.assertEqual(comments, ["heartbeat"])


if __name__ == "__main__":
    unittest.main()
