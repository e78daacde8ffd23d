"""Sends the metrics windows to POST /api/sdk/metrics on a daemon thread, as sdk/src/metrics-flusher.ts does.

A batch that meets a network error, a 5xx or a 429 is retried with the same batchId (the control
plane stores an id once): after the Retry-After of a 429 or 503, else with backoff; any other 4xx
is final. A batch once POSTed may be stored, so it is never merged, split again or evicted.
"""

from __future__ import annotations

import email.utils
import gzip
import json
import random
import re
import threading
import time
from typing import Any, Callable, Dict, List, NamedTuple, Optional, Set

from .control_plane_http import ConnectionSlot, open_connection
from .path_metrics import MetricsBatch, PathMetrics, merge_batches, now_ms, samples_in

METRICS_PATH = "/api/sdk/metrics"
# The control plane's limits for one POST: 1 MiB and 5,000 entries. Entry sizes are estimated
# (base64 and flag keys need no JSON escaping), so keep a margin under the byte limit.
MAX_BATCH_BYTES = 1_000_000
MAX_BATCH_ENTRIES = 5_000
_ENTRY_OVERHEAD_BYTES = 120
# The control plane refuses a window older than a day; ten minutes less allows for skewed clocks.
MAX_BATCH_AGE_MS = 24 * 60 * 60 * 1000 - 10 * 60 * 1000
# It files a batch under its windowStart's minute: a merge spans at most this.
MAX_MERGED_SPAN_MS = 15 * 60 * 1000
# A longer Retry-After is taken as this: a control plane's mistake must not silence metrics for hours.
MAX_RETRY_AFTER_S = 5 * 60.0
# Added to a Retry-After, at most: instances told the same time must not all come back at once.
RETRY_AFTER_JITTER = 0.2
# Level 1 keeps most of level 6's saving for a fifth of the CPU (docs/benchmarks.md, bench:gzip).
GZIP_LEVEL = 1


class FlusherStatus(NamedTuple):
    batches_sent: int
    pending_batches: int
    pending_samples: int
    merged: int
    overloaded: bool
    last_retry_after: Optional[float]
    compressing: bool


class _Delivery(NamedTuple):
    outcome: str  # "delivered", "rejected", "retry" or "uncompressed"
    error: Optional[Exception] = None
    retry_after: Optional[float] = None


class MetricsFlusher:
    def __init__(
        self,
        metrics: PathMetrics,
        *,
        url: str,
        sdk_key: str,
        interval: float,
        max_pending_batches: int,
        on_error: Callable[[BaseException], None],
        attempts_per_flush: int = 3,
        request_timeout: float = 5.0,
        compress: bool = True,
        max_batch_bytes: int = MAX_BATCH_BYTES,
        max_batch_entries: int = MAX_BATCH_ENTRIES,
    ) -> None:
        self._metrics = metrics
        self._url = url
        self._sdk_key = sdk_key
        self._interval = interval
        self._max_pending = max_pending_batches
        self._on_error = on_error
        self._attempts = attempts_per_flush
        self._request_timeout = request_timeout
        self._compress = compress
        self._max_batch_bytes = max_batch_bytes
        self._max_batch_entries = max_batch_entries
        self._pending: List[MetricsBatch] = []
        self._attempted: Set[str] = set()
        """Ids of batches POSTed at least once: each may already be stored."""
        self._batches_sent = 0
        self._merged = 0
        self._overloaded = False
        self._last_retry_after: Optional[float] = None
        self._not_before = 0.0
        """No POST before this (time.monotonic()): the control plane's Retry-After, jittered."""
        self._stopping = threading.Event()
        self._slot = ConnectionSlot()
        self._closed = False
        self._thread = threading.Thread(target=self._run, name="rampart-metrics", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def status(self) -> FlusherStatus:
        pending = list(self._pending)
        return FlusherStatus(
            self._batches_sent,
            len(pending),
            sum(samples_in(batch) for batch in pending),
            self._merged,
            self._overloaded,
            self._last_retry_after,
            self._compress,
        )

    def close(self, timeout: float = 2.0) -> None:
        """Stops the thread, then sends what is left once, within `timeout` even if the control plane hangs."""
        if self._closed:
            return
        self._closed = True
        deadline = time.monotonic() + timeout
        self._stopping.set()
        self._slot.cut()
        if self._thread.is_alive():
            self._thread.join(max(0.0, deadline - time.monotonic()))
        self._slot = ConnectionSlot()
        self._enqueue()
        # Told to come back after the deadline: sending anyway is what load shedding asks us not to do.
        if self._not_before <= deadline:
            self._deliver(attempts=1, deadline=deadline)
        # Nothing will send these now: count them, so the status tells the truth.
        for batch in self._pending:
            self._metrics.count_undelivered(batch)
        self._pending = []

    def _run(self) -> None:
        while not self._stopping.wait(self._interval):
            self._enqueue()
            try:
                self._deliver(attempts=self._attempts, deadline=None)
            except Exception as error:
                self._on_error(error)

    def _enqueue(self) -> None:
        try:
            batch = self._metrics.drain()
            if batch is not None:
                self._pending.extend(split_batch(batch, self._max_batch_bytes, self._max_batch_entries))
        except Exception as error:
            self._on_error(error)
        self._drop_stale()
        try:
            while len(self._pending) > self._max_pending and self._merge_oldest_pair():
                pass
        except Exception as error:
            self._on_error(error)
        while len(self._pending) > self._max_pending:
            # Never a batch already POSTed: it may be stored, and counting it lost could count it twice.
            index = next((i for i, batch in enumerate(self._pending) if batch["batchId"] not in self._attempted), None)
            if index is None:
                return
            self._metrics.count_undelivered(self._pending.pop(index))

    def _merge_oldest_pair(self) -> bool:
        """Merges the oldest two adjacent never-sent batches whose merge the control plane takes; False if none."""
        for index in range(len(self._pending) - 1):
            older, newer = self._pending[index], self._pending[index + 1]
            if older["batchId"] in self._attempted or newer["batchId"] in self._attempted:
                continue
            span = max(older["windowEnd"], newer["windowEnd"]) - min(older["windowStart"], newer["windowStart"])
            if span > MAX_MERGED_SPAN_MS:
                continue
            merged = merge_batches(older, newer)
            if merged is None or len(split_batch(merged, self._max_batch_bytes, self._max_batch_entries)) > 1:
                continue
            self._pending[index : index + 2] = [merged]
            self._merged += 1
            return True
        return False

    def _drop_stale(self) -> None:
        """The control plane would refuse these (window over a day old): counted as dropped instead."""
        oldest = now_ms() - MAX_BATCH_AGE_MS
        for batch in [batch for batch in self._pending if batch["windowStart"] < oldest]:
            self._pending.remove(batch)
            self._metrics.count_undelivered(batch)

    def _deliver(self, attempts: int, deadline: Optional[float]) -> None:
        failures = 0
        while self._pending and (deadline is not None or not self._stopping.is_set()):
            self._drop_stale()
            if not self._pending:
                return
            wait = self._not_before - time.monotonic()
            if wait > 0:
                # The next tick tries again: waiting here would hold up the windows behind it.
                if deadline is None or self._not_before > deadline:
                    return
                time.sleep(wait)
            batch = self._pending[0]
            self._attempted.add(batch["batchId"])
            timeout = self._request_timeout if deadline is None else min(self._request_timeout, deadline - time.monotonic())
            if timeout <= 0:
                return
            delivery = self._post(batch, timeout)
            if delivery.outcome == "uncompressed":
                continue  # the same batch again, as plain JSON
            if delivery.outcome == "retry":
                failures += 1
                if self._stopping.is_set() and deadline is None:
                    return  # close() cut it short: not the control plane's failure
                if delivery.retry_after is not None:
                    # Every later POST waits, this flush's and the next ones'.
                    wait = max(delivery.retry_after * (1 + random.random() * RETRY_AFTER_JITTER), self._backoff(failures))
                    self._not_before = time.monotonic() + wait
                if failures >= attempts:
                    if delivery.error is not None:
                        self._on_error(delivery.error)
                    return
                if delivery.retry_after is None and self._stopping.wait(self._backoff(failures)) and deadline is None:
                    return
                continue
            failures = 0
            self._pending.remove(batch)
            self._attempted.discard(batch["batchId"])
            if delivery.outcome == "delivered":
                self._batches_sent += 1
            else:
                self._metrics.count_undelivered(batch)
                if delivery.error is not None:
                    self._on_error(delivery.error)

    def _post(self, batch: MetricsBatch, timeout: float) -> _Delivery:
        compressed = self._compress
        try:
            body = json.dumps(batch, separators=(",", ":")).encode("utf-8")
            headers = {"authorization": "Bearer " + self._sdk_key, "content-type": "application/json", "user-agent": "rampart-sdk-python"}
            if compressed:
                body = gzip.compress(body, compresslevel=GZIP_LEVEL)
                headers["content-encoding"] = "gzip"
            connection = open_connection(self._url, timeout)
            self._slot.hold(connection)
            try:
                connection.request("POST", METRICS_PATH, body=body, headers=headers)
                self._slot.sent(connection)
                response = connection.getresponse()
                answer = response.read()
                status = response.status
                retry_after_header = response.getheader("retry-after")
            finally:
                self._slot.release()
        except Exception as error:
            return _Delivery("retry", error)
        self._overloaded = status in (429, 503)
        if 200 <= status < 300:
            return _Delivery("delivered")
        if compressed and _refuses_gzip(status, answer):
            # A control plane that predates gzip stored nothing: the same batch goes again, plain.
            self._compress = False
            return _Delivery("uncompressed")
        retry_after = parse_retry_after(retry_after_header) if self._overloaded else None
        if retry_after is not None:
            self._last_retry_after = retry_after
        error = ConnectionError(
            "Rampart answered %d for %s%s" % (status, METRICS_PATH, "" if retry_after is None else " (retry after %g s)" % retry_after)
        )
        if status == 429 or status >= 500:
            return _Delivery("retry", error, retry_after)
        return _Delivery("rejected", error)

    def _backoff(self, failures: int) -> float:
        """Exponential from a tenth of the interval (at most 1 s), half jittered, within half an interval."""
        base = min(1.0, self._interval / 10) * 2 ** (failures - 1)
        return min(self._interval / 2, base) * (0.5 + random.random() / 2)


def _refuses_gzip(status: int, answer: bytes) -> bool:
    """415, or the 400 `invalid_json` of a control plane that reads a gzip body as (invalid) UTF-8."""
    if status == 415:
        return True
    if status != 400:
        return False
    try:
        return json.loads(answer)["error"]["code"] == "invalid_json"
    except Exception:
        return False


def parse_retry_after(header: Optional[str], now: Optional[float] = None) -> Optional[float]:
    """`Retry-After` in seconds or as an HTTP date → seconds from now, within 0..300; None if absent or unreadable."""
    if header is None:
        return None
    value = header.strip()
    if re.fullmatch(r"\d+", value):
        seconds = float(value)
    elif re.search(r"[a-z]", value, re.IGNORECASE):
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when is None:
            return None
        seconds = when.timestamp() - (time.time() if now is None else now)
    else:
        return None
    return min(MAX_RETRY_AFTER_S, max(0.0, seconds))


def split_batch(batch: MetricsBatch, max_bytes: int = MAX_BATCH_BYTES, max_entries: int = MAX_BATCH_ENTRIES) -> List[MetricsBatch]:
    """Parts the control plane accepts; the first keeps the id, `dropped` and `evaluated`, the rest get `id.N`."""
    envelope = dict(batch, batchId=batch["batchId"] + ".0000", entries=[])
    envelope_bytes = len(json.dumps(envelope, separators=(",", ":")))
    groups: List[List[Dict[str, Any]]] = [[]]
    size = envelope_bytes
    for entry in batch["entries"]:
        entry_bytes = len(entry["flag"]) + len(entry["sketch"]) + _ENTRY_OVERHEAD_BYTES
        group = groups[-1]
        if group and (len(group) >= max_entries or size + entry_bytes > max_bytes):
            groups.append([entry])
            size = envelope_bytes + entry_bytes
        else:
            group.append(entry)
            size += entry_bytes
    if len(groups) == 1:
        return [batch]
    parts = []
    for index, entries in enumerate(groups):
        if index == 0:
            parts.append(dict(batch, entries=entries))
        else:
            rest = {name: value for name, value in batch.items() if name != "evaluated"}
            parts.append(dict(rest, batchId="%s.%d" % (batch["batchId"], index), entries=entries, dropped=0))
    return parts
