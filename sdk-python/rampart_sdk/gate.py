"""Gated calls: the path a flag chose, timed, with its errors counted and re-raised unchanged.

Only `Exception`s count as path errors. A cancelled task, KeyboardInterrupt or SystemExit ends
the call without a sample: it says nothing about the path.
"""

from __future__ import annotations

import inspect
import time
from types import TracebackType
from typing import Any, Awaitable, Callable, Optional, Type, TypeVar

from .evaluator import Evaluation, EvaluationReason

T = TypeVar("T")
# PathMetrics.record_sample: (flag, "new" or "legacy", reason, elapsed ms, failed); never raises.
RecordSample = Callable[[str, str, str, float, bool], None]
# What most paths return: not awaitable, known without inspect.isawaitable()'s attribute lookups.
_PLAIN_RESULTS = frozenset((type(None), bool, int, float, str, bytes, dict, list, tuple, set))


def run_gated(record: RecordSample, flag: str, evaluation: Evaluation, path: Callable[[], T]) -> T:
    """Runs `path`; a result that is awaitable is recorded when it settles, as the Node SDK does with a promise."""
    path_taken = "new" if evaluation.value else "legacy"
    started = time.perf_counter()
    try:
        result = path()
    except Exception:
        record(flag, path_taken, evaluation.reason, (time.perf_counter() - started) * 1000, True)
        raise
    if result.__class__ not in _PLAIN_RESULTS and inspect.isawaitable(result):
        return _settle(record, flag, path_taken, evaluation.reason, started, result)  # type: ignore[return-value]
    record(flag, path_taken, evaluation.reason, (time.perf_counter() - started) * 1000, False)
    return result


async def run_gated_async(record: RecordSample, flag: str, evaluation: Evaluation, path: Callable[[], Any]) -> Any:
    """Runs `path` and awaits what it returns if that is awaitable; times both."""
    path_taken = "new" if evaluation.value else "legacy"
    started = time.perf_counter()
    try:
        result = path()
        if inspect.isawaitable(result):
            result = await result
    except Exception:
        record(flag, path_taken, evaluation.reason, (time.perf_counter() - started) * 1000, True)
        raise
    record(flag, path_taken, evaluation.reason, (time.perf_counter() - started) * 1000, False)
    return result


async def _settle(record: RecordSample, flag: str, path_taken: str, reason: EvaluationReason, started: float, pending: Awaitable[T]) -> T:
    try:
        result = await pending
    except Exception:
        record(flag, path_taken, reason, (time.perf_counter() - started) * 1000, True)
        raise
    record(flag, path_taken, reason, (time.perf_counter() - started) * 1000, False)
    return result


class GatedBlock:
    """
    `with client.gated(flag, context) as gate:` (or `async with`): `gate.new` says which path to
    take; the block is timed as that path, and an exception leaving it counts as an error and
    propagates unchanged.
    """

    __slots__ = ("flag", "value", "reason", "_record", "_started")

    def __init__(self, flag: str, evaluation: Evaluation, record: RecordSample) -> None:
        self.flag = flag
        self.value = evaluation.value
        self.reason: EvaluationReason = evaluation.reason
        self._record = record
        self._started = 0.0

    @property
    def new(self) -> bool:
        """Whether to run the new path."""
        return self.value

    @property
    def path(self) -> str:
        return "new" if self.value else "legacy"

    def __enter__(self) -> "GatedBlock":
        self._started = time.perf_counter()
        return self

    def __exit__(self, kind: Optional[Type[BaseException]], error: Optional[BaseException], traceback: Optional[TracebackType]) -> bool:
        if kind is None or issubclass(kind, Exception):
            self._record(self.flag, self.path, self.reason, (time.perf_counter() - self._started) * 1000, kind is not None)
        return False

    async def __aenter__(self) -> "GatedBlock":
        return self.__enter__()

    async def __aexit__(self, kind: Optional[Type[BaseException]], error: Optional[BaseException], traceback: Optional[TracebackType]) -> bool:
        return self.__exit__(kind, error, traceback)
