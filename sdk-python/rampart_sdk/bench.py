"""`python3 -m rampart_sdk.bench`: ns per `client.enabled()` call on the SDK's hot path.

As the Node SDK's `npm run bench:eval`: 1,000 flags (25 % rollout by user_id, states parsed from a
snapshot's JSON), 10,000 rotating user contexts, all flag × user pairs coming round. Each round is
timed in this thread's CPU time (other processes on a shared machine stretch wall time, not
that) and in wall time; medians and p99 (nearest rank) over the rounds. Results: docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import time
from typing import Any, Callable, Dict, List, Sequence, Tuple

from . import create_client
from .murmurhash3 import prefixed_hash

FLAGS = 1_000
USERS = 10_000
TENANTS = 1_000


def _plain_state(key: str, percentage: float = 25) -> Dict[str, Any]:
    return {"key": key, "default": False, "percentage": percentage, "rollout": {"by": "user_id"}, "contexts": {}, "killed": False, "version": 1}


def _pairs(keys: Sequence[str], contexts: Sequence[Any], calls: int) -> List[Tuple[str, Any]]:
    """The Node bench's order: flags and users both advance; the flag shifts each time the users wrap."""
    pairs = []
    flag = user = 0
    for _ in range(calls):
        pairs.append((keys[flag], contexts[user]))
        flag = (flag + 1) % len(keys)
        user += 1
        if user == len(contexts):
            user = 0
            flag = (flag + 1) % len(keys)
    return pairs


def _measure(run: Callable[[], int], calls: int, rounds: int, warmup: int) -> Dict[str, float]:
    for _ in range(warmup):
        run()
    cpu: List[float] = []
    wall: List[float] = []
    for _ in range(rounds):
        cpu_start, wall_start = time.thread_time_ns(), time.perf_counter_ns()
        run()
        cpu.append((time.thread_time_ns() - cpu_start) / calls)
        wall.append((time.perf_counter_ns() - wall_start) / calls)
    p99 = max(0, -(-99 * rounds // 100) - 1)
    return {"cpu_median": statistics.median(cpu), "cpu_p99": sorted(cpu)[p99], "wall_median": statistics.median(wall), "wall_p99": sorted(wall)[p99], "cpu_best": min(cpu)}


def main(argv: Sequence[str] = ()) -> None:
    parser = argparse.ArgumentParser(prog="python3 -m rampart_sdk.bench")
    parser.add_argument("--rounds", type=int, default=21)
    parser.add_argument("--calls", type=int, default=100_000, help="calls per round")
    parser.add_argument("--warmup", type=int, default=3)
    options = parser.parse_args(argv)

    keys = ["flag_%04d" % index for index in range(FLAGS)]
    contexts = [{"kind": "user", "user_id": "user-%d" % index} for index in range(USERS)]
    snapshot = json.loads(json.dumps({"environment": "bench", "cursor": 1, "flags": [_plain_state(key) for key in keys]}))
    client = create_client("http://127.0.0.1:9", "bench", bootstrap=snapshot, offline=True)

    targeted_state = dict(_plain_state("flag_targeted"), targets=[{"attribute": "tenant_id", "values": ["t-%d" % i for i in range(TENANTS)], "value": True}])
    targeted = create_client("http://127.0.0.1:9", "bench", bootstrap=json.loads(json.dumps([targeted_state])), offline=True)
    tenant_contexts = [{"kind": "user", "user_id": "user-%d" % index, "tenant_id": "t-%d" % (index % TENANTS)} for index in range(USERS)]

    pairs = _pairs(keys, contexts, options.calls)
    targeted_pairs = _pairs(["flag_targeted"], tenant_contexts, options.calls)
    hashers = {key: prefixed_hash(key + ":") for key in keys}

    def enabled_round(on_client: Any = client, round_pairs: List[Tuple[str, Any]] = pairs) -> Callable[[], int]:
        enabled = on_client.enabled

        def run() -> int:
            on = 0
            for key, context in round_pairs:
                if enabled(key, context):
                    on += 1
            return on

        return run

    def gate_round() -> int:
        gate = client.gate
        new_path, legacy_path = (lambda: 1), (lambda: 0)
        on = 0
        for key, context in pairs:
            on += gate(key, context, new_path, legacy_path)
        return on

    def hash_round() -> int:
        total = 0
        for key, context in pairs:
            total ^= hashers[key](context["user_id"])
        return total

    def loop_round() -> int:
        on = 0
        for key, context in pairs:
            if key:
                on += 1
        return on

    rows = [
        ("client.enabled(key, context): 1,000 flags, 25 % rollout, 10,000 users", enabled_round()),
        ("client.gate(key, context, new_path, legacy_path): the same, paths return at once", gate_round),
        ("client.enabled(): one flag, a 1,000-value tenant list, tenant listed (no hash)", enabled_round(targeted, targeted_pairs)),
        ("the hash alone: murmurhash3_x86_32(salt + \":\" + user_id), salt prepared", hash_round),
        ("the loop alone (included in every row)", loop_round),
    ]
    print(
        "rampart_sdk.bench: Python %s (%s, %s), %d rounds of %d calls after %d warm-up rounds"
        % (platform.python_version(), platform.python_implementation(), sys.executable, options.rounds, options.calls, options.warmup)
    )
    print("%-72s %22s %22s" % ("benchmark", "CPU median / p99 ns", "wall median / p99 ns"))
    for name, run in rows:
        result = _measure(run, options.calls, options.rounds, options.warmup)
        print("%-72s %10.0f / %9.0f %10.0f / %9.0f" % (name, result["cpu_median"], result["cpu_p99"], result["wall_median"], result["wall_p99"]))
    client.close()
    targeted.close()


if __name__ == "__main__":
    main(sys.argv[1:])
