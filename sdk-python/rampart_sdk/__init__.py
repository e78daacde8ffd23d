"""Rampart's Python SDK: local flag evaluation, streamed flag changes and per-path metrics.

    from rampart_sdk import create_client

    rampart = create_client(url="https://rampart.internal", sdk_key=os.environ["RAMPART_SDK_KEY"])
    rampart.ready(timeout=2.0)
    if rampart.enabled("schema_v2", {"user_id": user.id}): ...
"""

from .client import ClientStatus, MetricsStatus, RampartClient, create_client
from .evaluator import EVALUATION_REASONS, Evaluation, EvaluationReason, bucket_of, evaluate
from .gate import GatedBlock
from .latency_sketch import LatencySketch, decode_sketch, encode_sketch
from .murmurhash3 import murmurhash3_x86_32

__version__ = "0.1.0"

__all__ = [
    "ClientStatus",
    "EVALUATION_REASONS",
    "Evaluation",
    "EvaluationReason",
    "GatedBlock",
    "LatencySketch",
    "MetricsStatus",
    "RampartClient",
    "bucket_of",
    "create_client",
    "decode_sketch",
    "encode_sketch",
    "evaluate",
    "murmurhash3_x86_32",
]
