"""The vectors every Rampart SDK must pass: sdk/test-vectors.json and sdk/evaluation-vectors.json."""

import json
import unittest

from rampart_sdk import EVALUATION_REASONS, bucket_of, evaluate, murmurhash3_x86_32

from .shared_files import sdk_json


class HashVectors(unittest.TestCase):
    vectors = sdk_json("test-vectors.json")["vectors"]

    def test_there_are_vectors_with_multibyte_and_astral_values(self) -> None:
        values = [vector["value"] for vector in self.vectors]
        self.assertGreaterEqual(len(values), 50)
        self.assertTrue(any(len(value.encode()) > len(value) for value in values))
        self.assertTrue(any(ord(char) > 0xFFFF for value in values for char in value))

    def test_hash_and_bucket_of_every_vector(self) -> None:
        for vector in self.vectors:
            with self.subTest(salt=vector["salt"], value=vector["value"]):
                self.assertEqual(murmurhash3_x86_32(vector["salt"] + ":" + vector["value"]), vector["hash"])
                self.assertEqual(bucket_of(vector["salt"], vector["value"]), vector["bucket"])


class EvaluationVectors(unittest.TestCase):
    cases = sdk_json("evaluation-vectors.json")["cases"]

    def test_every_case(self) -> None:
        self.assertGreaterEqual(len(self.cases), 25)
        for case in self.cases:
            with self.subTest(case["name"]):
                # A fresh parse per case, so no case reuses what another one prepared.
                state = json.loads(json.dumps(case["state"]))
                evaluation = evaluate(state, case["context"], case.get("fallback", False))
                self.assertEqual({"value": evaluation.value, "reason": evaluation.reason}, case["expected"])

    def test_the_cases_cover_every_reason_with_both_values(self) -> None:
        seen = {(case["expected"]["reason"], case["expected"]["value"]) for case in self.cases}
        for reason in EVALUATION_REASONS:
            self.assertIn((reason, False), seen)
            if reason != "killed":
                self.assertIn((reason, True), seen)


if __name__ == "__main__":
    unittest.main()
