"""The rules beyond the shared vectors: how Python values read as JavaScript would read them, and
garbage (states, contexts, keys) that must give a value and never raise."""

import math
import unittest
from collections import OrderedDict
from types import MappingProxyType
from typing import Any, Dict

from rampart_sdk import bucket_of, create_client, evaluate
from rampart_sdk.attribute_value import attribute_value
from rampart_sdk.evaluator import percentage_to_basis_points, prepare_flag


def state(**changes: Any) -> Dict[str, Any]:
    base = {"key": "schema_v2", "default": False, "percentage": 50, "rollout": {"by": "user_id"}, "contexts": {}, "killed": False, "version": 1}
    base.update(changes)
    return base


class RaisingContext(dict):  # type: ignore[type-arg]
    def get(self, *args: Any) -> Any:
        raise RuntimeError("a context whose reads raise")


class NumbersAsJavaScriptPrintsThem(unittest.TestCase):
    def test_numbers_share_a_bucket_with_their_javascript_string(self) -> None:
        cases = {42: "42", 42.0: "42", -0.0: "0", 3.14: "3.14", 1e21: "1e+21", 1.5e-7: "1.5e-7", 1e-6: "0.000001", 2**53 + 1: "9007199254740992", 123.456: "123.456"}
        for number, printed in cases.items():
            with self.subTest(number=number):
                self.assertEqual(attribute_value(number), printed)

    def test_what_is_not_a_value(self) -> None:
        for raw in (None, "", True, False, math.nan, math.inf, -math.inf, 10**400, [], {}, b"user-1", object()):
            with self.subTest(raw=raw):
                self.assertIsNone(attribute_value(raw))

    def test_a_numeric_user_id_is_bucketed_as_its_string(self) -> None:
        # sdk/test-vectors.json: schema_v2:3.14 → 6949, so on at 69.50 % and off at 69.49 %.
        self.assertEqual(bucket_of("schema_v2", "3.14"), 6949)
        self.assertEqual(evaluate(state(percentage=69.5), {"user_id": 3.14}), (True, "rollout"))
        self.assertEqual(evaluate(state(percentage=69.49), {"user_id": 3.14}), (False, "rollout"))

    def test_lone_surrogates_hash_as_u_fffd(self) -> None:
        self.assertEqual(bucket_of("schema_v2", "a\ud800b"), bucket_of("schema_v2", "a\ufffdb"))
        # A pair Python kept as two code points is one astral character to JavaScript.
        self.assertEqual(bucket_of("schema_v2", "\ud83d\ude80"), bucket_of("schema_v2", "🚀"))

    def test_percentages_round_half_up_as_math_round(self) -> None:
        self.assertEqual([percentage_to_basis_points(p) for p in (0.005, 0.015, 88.21, 12.345, 100)], [1, 2, 8821, 1235, 10000])


class RulesInPython(unittest.TestCase):
    def test_fallback_counts_only_when_exactly_true(self) -> None:
        self.assertEqual(evaluate(None, {"user_id": "user-1"}, True), (True, "fallback"))
        for fallback in (1, "yes", [True], None):
            self.assertEqual(evaluate(None, {"user_id": "user-1"}, fallback), (False, "fallback"))

    def test_zero_and_a_hundred_percent_answer_without_the_hash_as_with_it(self) -> None:
        users = [{"user_id": "user-%d" % index} for index in range(200)]
        self.assertEqual({evaluate(state(percentage=0), user) for user in users}, {(False, "rollout")})
        self.assertEqual({evaluate(state(percentage=100), user) for user in users}, {(True, "rollout")})

    def test_a_salt_that_is_not_a_string_falls_back_only_for_keyed_contexts(self) -> None:
        salted = state(rollout={"by": "user_id", "salt": 7})
        self.assertEqual(evaluate(salted, {"user_id": "user-1"}, True), (True, "fallback"))
        self.assertEqual(evaluate(salted, {"kind": "user"}, True), (False, "unkeyed"))

    def test_any_mapping_is_a_context(self) -> None:
        for context in (OrderedDict(user_id="user-6"), MappingProxyType({"user_id": "user-6"})):
            self.assertEqual(evaluate(state(percentage=10), context), (True, "rollout"))

    def test_targets_are_prepared_when_the_state_arrives(self) -> None:
        listed = ["t-%d" % index for index in range(10_000)]
        raw = state(percentage=0, targets=[{"attribute": "tenant_id", "values": listed, "value": True}])
        prepared = prepare_flag(raw)
        listed.clear()  # what the evaluation reads was taken when the state arrived
        self.assertEqual(prepared.evaluate({"user_id": "user-1", "tenant_id": "t-9999"}), (True, "targeted"))
        self.assertEqual(prepared.evaluate({"user_id": "user-1", "tenant_id": "t-10000"}), (False, "rollout"))

    def test_a_null_targets_list_is_malformed_and_a_missing_one_is_none(self) -> None:
        self.assertEqual(evaluate(state(targets=None), {"user_id": "user-6"}, True), (True, "fallback"))
        self.assertEqual(evaluate(state(), {"user_id": "user-6"}, True), (True, "rollout"))


class GarbageNeverRaises(unittest.TestCase):
    states = [
        None, 42, "schema_v2", [], [state()], {}, {"killed": "yes"}, state(percentage=math.nan), state(percentage=True),
        state(percentage="50"), state(default=None), state(rollout=None), state(rollout={"by": 5}), state(rollout=[]),
        state(contexts=None), state(contexts=[True]), state(contexts={"web": "on"}), state(targets="t-42"), state(targets=[None]),
        state(targets=[{"attribute": "tenant_id", "values": "t-42", "value": True}]), state(key=None), state(version="x"),
        state(rollout={"by": "user_id", "salt": None}), state(percentage=10**400), state(percentage=-math.inf),
    ]
    contexts = [
        None, "user-1", 42, 4.2, True, [], ["user-1"], (), object(), {}, {"user_id": None}, {"user_id": ""}, {"user_id": [1]},
        {"user_id": {"nested": 1}}, {"user_id": math.nan}, {"user_id": 10**400}, {"kind": None}, {"kind": ["web"]},
        {"kind": "web", "user_id": "user-1"}, {"tenant_id": 42}, {"user_id": "\ud800"}, {1: 2, None: 3}, RaisingContext(user_id="user-1"),
    ]

    def test_every_state_with_every_context_gives_an_evaluation(self) -> None:
        for raw_state in self.states:
            for context in self.contexts:
                for fallback in (True, False):
                    evaluation = evaluate(raw_state, context, fallback)
                    self.assertIsInstance(evaluation.value, bool)
                    self.assertIn(evaluation.reason, ("rollout", "pinned", "targeted", "unkeyed", "killed", "fallback"))

    def test_a_context_whose_reads_raise_gives_the_fallback(self) -> None:
        self.assertEqual(evaluate(state(), RaisingContext(user_id="user-1"), True), (True, "fallback"))

    def test_the_client_takes_garbage_keys_and_contexts(self) -> None:
        client = create_client("http://127.0.0.1:9", "key", bootstrap=[state()], offline=True)
        try:
            for flag in (None, 42, [], {}, "", "Not A Key", "schema_v2"):
                for context in self.contexts:
                    self.assertIsInstance(client.enabled(flag, context), bool)  # type: ignore[arg-type]
                    self.assertIsInstance(client.evaluate(flag, context, True).value, bool)  # type: ignore[arg-type]
            self.assertEqual(client.evaluate([], {"user_id": "user-1"}, True), (True, "fallback"))  # type: ignore[arg-type]
        finally:
            client.close()


if __name__ == "__main__":
    unittest.main()
