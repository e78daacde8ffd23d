"""The client: flag state in memory, fed by a snapshot and then a server-sent-event stream, and
evaluated locally; `enabled()` does no I/O and never raises. While the control plane is
unreachable it keeps serving the last state it had."""

from __future__ import annotations

import asyncio
import functools
import inspect
import logging
import os
import threading
from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Dict, Iterable, List, Optional, Tuple, TypeVar, Union

from .evaluator import Evaluation, fallback_of
from .flag_store import FlagStore, StateSource
from .flag_sync import FlagSync
from .gate import GatedBlock, run_gated, run_gated_async
from .local_cache import Bootstrap, LocalCache
from .metrics_flusher import MetricsFlusher
from .path_metrics import PathMetrics

T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])

logger = logging.getLogger("rampart_sdk")


@dataclass(frozen=True)
class ClientStatus:
    connected: bool
    """Whether the change stream is open now."""
    source: StateSource
    """Where the state served comes from: nothing yet, a bootstrap or cache file, or the control plane."""
    cursor: int
    """The newest change position held; a reconnect resumes after it."""
    flags: int


@dataclass(frozen=True)
class MetricsStatus:
    enabled: bool
    recorded: int
    """Samples aggregated since the client started."""
    dropped: int
    """Samples lost since the client started: bad input, the series bound, undeliverable batches."""
    batches_sent: int
    pending_batches: int
    pending_samples: int
    merged: int
    """Times two waiting batches became one instead of one being dropped."""
    overloaded: bool
    """The control plane's last answer to a batch was 429 or 503: it is shedding load."""
    last_retry_after: Optional[float]
    """The last Retry-After it sent, in seconds (at most 300); None if it never sent one."""


def _log_error(error: BaseException) -> None:
    logger.debug("rampart: %s", error)


class RampartClient:
    """Use `create_client()`. Thread-safe; one per process and environment is enough."""

    def __init__(
        self,
        url: str,
        sdk_key: str,
        *,
        bootstrap: Bootstrap = None,
        cache_file: Union[str, "os.PathLike[str]", None] = None,
        backoff: Tuple[float, float] = (0.25, 30.0),
        stale_after: float = 45.0,
        request_timeout: float = 10.0,
        on_error: Optional[Callable[[BaseException], None]] = None,
        metrics: bool = True,
        flush_interval: float = 10.0,
        max_pending_batches: int = 6,
        compress_metrics: bool = True,
        offline: bool = False,
    ) -> None:
        self._on_error = on_error or _log_error
        self._store = FlagStore()
        self._flags = self._store.flags
        self._listeners: List[Callable[[str], None]] = []
        self._closed = False
        self._metrics: Optional[PathMetrics] = PathMetrics() if metrics else None
        # enabled() checks this set before calling anything: a key already noted costs one lookup.
        self._evaluated: Any = self._metrics.evaluated if self._metrics is not None else _EVERY_KEY
        self._note_evaluated: Callable[[str], None] = self._metrics.note_evaluated if self._metrics is not None else _ignore
        self._record_sample: Callable[[str, str, str, float, bool], None] = self._metrics.record_sample if self._metrics is not None else _ignore_sample
        self._cache = LocalCache(self._store, os.fspath(cache_file) if cache_file is not None else None, self._report)
        self._cache.load(bootstrap)
        self._offline = offline
        self._sync: Optional[FlagSync] = None
        self._flusher: Optional[MetricsFlusher] = None
        if offline:
            return
        if self._metrics is not None:
            self._flusher = MetricsFlusher(
                self._metrics,
                url=url,
                sdk_key=sdk_key,
                interval=max(0.01, float(flush_interval)),
                max_pending_batches=max(1, int(max_pending_batches)),
                compress=compress_metrics,
                on_error=self._report,
            )
            self._flusher.start()
        self._sync = FlagSync(
            self._store,
            url=url,
            sdk_key=sdk_key,
            backoff=backoff,
            stale_after=stale_after,
            request_timeout=request_timeout,
            on_changed=self._emit_changes,
            on_applied=self._cache.save,
            on_error=self._report,
        )
        self._sync.start()

    def ready(self, timeout: float = 5.0) -> bool:
        """True once state from the control plane is loaded; False when `timeout` seconds pass first
        (the client then serves bootstrap state or fallbacks and keeps trying). Never raises."""
        if self._sync is None:
            return False
        return self._sync.loaded.wait(timeout)

    def enabled(self, flag: str, context: Any = None, fallback: bool = False) -> bool:
        """Whether the new path is on for this context; `fallback` when the flag is unknown or anything fails."""
        try:
            if flag not in self._evaluated:
                self._note_evaluated(flag)
            prepared = self._flags.get(flag)
            if prepared is not None:
                return prepared.evaluate(context, fallback)[0]
        except Exception:
            pass
        return fallback is True

    def evaluate(self, flag: str, context: Any = None, fallback: bool = False) -> Evaluation:
        """The value and why: rollout, pinned, targeted, unkeyed, killed or fallback."""
        try:
            if flag not in self._evaluated:
                self._note_evaluated(flag)
            prepared = self._flags.get(flag)
            if prepared is not None:
                return prepared.evaluate(context, fallback)
        except Exception:
            pass
        return fallback_of(fallback)

    def gate(self, flag: str, context: Any, new_path: Callable[[], T], legacy_path: Callable[[], T], fallback: bool = False) -> T:
        """
        Runs `new_path()` when the flag is on for this context, else `legacy_path()`, and returns
        what it returns. Records the path, reason, latency and whether it raised; its exception
        reaches you unchanged. A path returning an awaitable gets an awaitable that records when it settles.
        """
        evaluation = self.evaluate(flag, context, fallback)
        path = new_path if evaluation.value else legacy_path
        if self._metrics is None:
            return path()
        return run_gated(self._record_sample, flag, evaluation, path)

    async def gate_async(self, flag: str, context: Any, new_path: Callable[[], Union[Awaitable[T], T]], legacy_path: Callable[[], Union[Awaitable[T], T]], fallback: bool = False) -> T:
        """`gate()` for async code: the chosen path is called and, if it returns an awaitable, awaited; the time includes the await."""
        evaluation = self.evaluate(flag, context, fallback)
        path = new_path if evaluation.value else legacy_path
        if self._metrics is None:
            result = path()
            return await result if inspect.isawaitable(result) else result  # type: ignore[no-any-return,misc]
        return await run_gated_async(self._record_sample, flag, evaluation, path)  # type: ignore[no-any-return]

    def gated(self, flag: str, context: Any = None, fallback: bool = False) -> GatedBlock:
        """`with client.gated(flag, context) as gate: if gate.new: … else: …` (or `async with`): the block is timed as the path taken."""
        return GatedBlock(flag, self.evaluate(flag, context, fallback), self._record_sample)

    def new_path(self, flag: str, *, legacy_path: Callable[..., Any], context: Callable[..., Any], fallback: bool = False) -> Callable[[F], F]:
        """
        Decorates a function as the flag's new path: calls run it or `legacy_path` (same
        arguments) as the flag says for `context(*args, **kwargs)`, through gate() or gate_async().
        A context function that raises gives the fallback, and is reported to on_error.
        """

        def decorate(new_function: F) -> F:
            def evaluation_for(args: Tuple[Any, ...], kwargs: Dict[str, Any]) -> Evaluation:
                try:
                    evaluation_context = context(*args, **kwargs)
                except Exception as error:
                    self._report(error)
                    self._note_evaluated(flag)
                    return fallback_of(fallback)
                return self.evaluate(flag, evaluation_context, fallback)

            if asyncio.iscoroutinefunction(new_function):

                @functools.wraps(new_function)
                async def gated_async(*args: Any, **kwargs: Any) -> Any:
                    evaluation = evaluation_for(args, kwargs)
                    path = new_function if evaluation.value else legacy_path
                    if self._metrics is None:
                        result = path(*args, **kwargs)
                        return await result if inspect.isawaitable(result) else result
                    return await run_gated_async(self._record_sample, flag, evaluation, functools.partial(path, *args, **kwargs))

                return gated_async  # type: ignore[return-value]

            @functools.wraps(new_function)
            def gated(*args: Any, **kwargs: Any) -> Any:
                evaluation = evaluation_for(args, kwargs)
                path = new_function if evaluation.value else legacy_path
                if self._metrics is None:
                    return path(*args, **kwargs)
                return run_gated(self._record_sample, flag, evaluation, functools.partial(path, *args, **kwargs))

            return gated  # type: ignore[return-value]

        return decorate

    def record(self, flag: str, path: str, reason: str, latency_ms: float, failed: bool = False) -> None:
        """One sample, for callers that branch themselves (`evaluate()`, then time their own code). Never raises."""
        self._record_sample(flag, path, reason, latency_ms, failed is True)

    def metrics_status(self) -> MetricsStatus:
        recorded, dropped = self._metrics.counts() if self._metrics is not None else (0, 0)
        flusher = self._flusher.status() if self._flusher is not None else None
        return MetricsStatus(
            enabled=self._metrics is not None,
            recorded=recorded,
            dropped=dropped,
            batches_sent=flusher.batches_sent if flusher else 0,
            pending_batches=flusher.pending_batches if flusher else 0,
            pending_samples=flusher.pending_samples if flusher else 0,
            merged=flusher.merged if flusher else 0,
            overloaded=flusher.overloaded if flusher else False,
            last_retry_after=flusher.last_retry_after if flusher else None,
        )

    def flag(self, key: str) -> Optional[Any]:
        """The state a flag is served from, as received (do not modify it), if known."""
        prepared = self._flags.get(key)
        return prepared.state if prepared is not None else None

    def on_change(self, listener: Callable[[str], None]) -> Callable[[], None]:
        """Calls `listener(flag_key)` (on the client's thread) whenever a flag's state changes; returns the unsubscribe function."""
        self._listeners = self._listeners + [listener]

        def unsubscribe() -> None:
            self._listeners = [other for other in self._listeners if other is not listener]

        return unsubscribe

    def status(self) -> ClientStatus:
        return ClientStatus(
            connected=self._sync.connected if self._sync is not None else False,
            source=self._store.source,
            cursor=self._store.cursor,
            flags=len(self._flags),
        )

    def close(self, timeout: float = 2.0) -> None:
        """Stops streaming and sends the last metrics window (giving up after `timeout` seconds); leaves no thread running."""
        if self._closed:
            return
        self._closed = True
        closers = [closer for closer in (self._sync, self._flusher) if closer is not None]
        threads = [threading.Thread(target=closer.stop if isinstance(closer, FlagSync) else closer.close, args=(timeout,)) for closer in closers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    def __enter__(self) -> "RampartClient":
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()

    def _emit_changes(self, keys: Iterable[str]) -> None:
        for key in keys:
            for listener in self._listeners:
                try:
                    listener(key)
                except Exception as error:
                    self._report(error)

    def _report(self, error: BaseException) -> None:
        try:
            self._on_error(error)
        except Exception:
            pass  # a failing error handler must not break the client either


class _EveryKey:
    """Stands in for the evaluated-keys set when metrics are off: every key counts as noted."""

    def __contains__(self, key: object) -> bool:
        return True


_EVERY_KEY = _EveryKey()


def _ignore(flag: str) -> None:
    pass


def _ignore_sample(flag: str, path: str, reason: str, latency_ms: float, failed: bool) -> None:
    pass


def create_client(
    url: str,
    sdk_key: str,
    *,
    bootstrap: Bootstrap = None,
    cache_file: Union[str, "os.PathLike[str]", None] = None,
    backoff: Tuple[float, float] = (0.25, 30.0),
    stale_after: float = 45.0,
    request_timeout: float = 10.0,
    on_error: Optional[Callable[[BaseException], None]] = None,
    metrics: bool = True,
    flush_interval: float = 10.0,
    max_pending_batches: int = 6,
    compress_metrics: bool = True,
    offline: bool = False,
) -> RampartClient:
    """
    A client for the environment `sdk_key` belongs to, at the control plane `url`. It starts at
    once: a snapshot, then the change stream, on a daemon thread; metrics every `flush_interval` s.

    bootstrap: state to serve before the control plane answers: a snapshot, a list of flags, or a JSON file of either.
    cache_file: keeps the last state here and serves it at start-up, so a restart during an outage keeps working.
    backoff: (shortest, longest) reconnect delay in seconds; exponential, with full jitter.
    stale_after: a stream silent this long (no change, no heartbeat) is reopened.
    on_error: hears about connection trouble (default: logged at DEBUG on the "rampart_sdk" logger).
    metrics: record gated calls and evaluated flag keys and send them to the control plane.
    offline: serve bootstrap and cache state only, and send nothing (tests, scripts, benchmarks).
    """
    return RampartClient(
        url,
        sdk_key,
        bootstrap=bootstrap,
        cache_file=cache_file,
        backoff=backoff,
        stale_after=stale_after,
        request_timeout=request_timeout,
        on_error=on_error,
        metrics=metrics,
        flush_interval=flush_interval,
        max_pending_batches=max_pending_batches,
        compress_metrics=compress_metrics,
        offline=offline,
    )
