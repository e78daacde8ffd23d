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
# (flag, took the new path, reason, elapsed ms, failed)
RecordGated = Callable[[str, bool, EvaluationReason, float, bool], None]


def elapsed_ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000


def run_gated(record: RecordGated, flag: str, evaluation: Evaluation, path: Callable[[], T]) -> T:
    """Runs `path`; a result that is awaitable is recorded when it settles, as the Node SDK does with a promise."""
    started = time.perf_counter()
    try:
        result = path()
    except Exception:
        record(flag, evaluation.value, evaluation.reason, elapsed_ms(started), True)
        raise
    if inspect.isawaitable(result):
        return _settle(record, flag, evaluation, started, result)  # type: ignore[return-value]
    record(flag, evaluation.value, evaluation.reason, elapsed_ms(started), False)
    return result


async def run_gated_async(record: RecordGated, flag: str, evaluation: Evaluation, path: Callable[[], Any]) -> Any:
    """Runs `path` and awaits what it returns if that is awaitable; times both."""
    started = time.perf_counter()
    try:
        result = path()
        if inspect.isawaitable(result):
            result = await result
    except Exception:
        record(flag, evaluation.value, evaluation.reason, elapsed_ms(started), True)
        raise
    record(flag, evaluation.value, evaluation.reason, elapsed_ms(started), False)
    return result


async def _settle(record: RecordGated, flag: str, evaluation: Evaluation, started: float, pending: Awaitable[T]) -> T:
    try:
        result = await pending
    except Exception:
        record(flag, evaluation.value, evaluation.reason, elapsed_ms(started), True)
        raise
    record(flag, evaluation.value, evaluation.reason, elapsed_ms(started), False)
    return result


class GatedBlock:
    """
    `with client.gated(flag, context) as gate:` (or `async with`): `gate.new` says which path to
    take; the block is timed as that path, and an exception leaving it counts as an error and
    propagates unchanged.
    """

    __slots__ = ("flag", "value", "reason", "_record", "_started")

    def __init__(self, flag: str, evaluation: Evaluation, record: RecordGated) -> None:
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
            self._record(self.flag, self.value, self.reason, elapsed_ms(self._started), kind is not None)
        return False

    async def __aenter__(self) -> "GatedBlock":
        return self.__enter__()

    async def __aexit__(self, kind: Optional[Type[BaseException]], error: Optional[BaseException], traceback: Optional[TracebackType]) -> bool:
        return self.__exit__(kind, error, traceback)
