"""Per flag × path × reason aggregates of gated calls over a window, and the flag keys evaluated
in it: what the SDK sends to POST /api/sdk/metrics (lib/metrics/schemas.ts validates it)."""

from __future__ import annotations

import base64
import re
import threading
import time
import uuid
from typing import Any, Dict, List, Literal, Optional, Set, Tuple

from .evaluator import EVALUATION_REASONS
from .latency_sketch import LatencySketch, decode_sketch, encode_sketch

GatePath = Literal["new", "legacy"]
MetricsBatch = Dict[str, Any]

# The control plane's flag key rule: an entry with any other key would get the whole batch refused.
FLAG_KEY = re.compile(r"[a-z0-9][a-z0-9_.-]{0,63}")
# Its limits: a batch's `dropped`, one entry's count, all samples in a batch, evaluated keys.
MAX_DROPPED_PER_BATCH = 10**9
MAX_ENTRY_COUNT = 10**9
MAX_BATCH_SAMPLES = 10**12
MAX_EVALUATED_PER_WINDOW = 5_000
# Longer is a caller's bug (or a unit mix-up), not a latency: dropped rather than skewing p99.
MAX_LATENCY_MS = 24 * 60 * 60 * 1000

_SERIES_KINDS = frozenset((path, reason) for path in ("new", "legacy") for reason in EVALUATION_REASONS)


def now_ms() -> int:
    return int(time.time() * 1000)


class _PathSeries:
    __slots__ = ("count", "errors", "latency")

    def __init__(self) -> None:
        self.count = 0
        self.errors = 0
        self.latency = LatencySketch()


class PathMetrics:
    """
    Aggregates gated calls in memory for the open window; `drain()` closes it into a batch. At most
    `max_series` flag × path × reason series a window: samples beyond it, and input it cannot take,
    are dropped and counted, never raised. Thread-safe.
    """

    def __init__(self, instance_id: Optional[str] = None, max_series: int = 2_000, max_evaluated: int = MAX_EVALUATED_PER_WINDOW, window_start: Optional[int] = None) -> None:
        self.instance_id = instance_id or str(uuid.uuid4())
        self._max_series = max_series
        self._max_evaluated = min(max_evaluated, MAX_EVALUATED_PER_WINDOW)
        self._window: Dict[Tuple[str, str, str], _PathSeries] = {}
        self._window_start = window_start if window_start is not None else now_ms()
        self._lock = threading.Lock()
        self._dropped_unreported = 0
        self._recorded_total = 0
        self._dropped_total = 0
        self.evaluated: Set[str] = set()
        """Flag keys evaluated in the open window. The same set for the client's lifetime, so
        `client.enabled()` checks membership without a call; drain() empties it."""

    def record_sample(self, flag: str, path: str, reason: str, latency_ms: float, failed: bool) -> None:
        """One gated call. Never raises: a sample it cannot take is counted as dropped."""
        try:
            if latency_ms.__class__ is not float and (not isinstance(latency_ms, (int, float)) or isinstance(latency_ms, bool)):
                self.count_dropped(1)
                return
            key = (flag, path, reason)
            with self._lock:
                series = self._window.get(key)
                # A series is checked once, when it opens; the flag, path and reason are its key.
                if series is None:
                    if (path, reason) not in _SERIES_KINDS or not isinstance(flag, str) or not FLAG_KEY.fullmatch(flag) or len(self._window) >= self._max_series:
                        self._count_dropped_locked(1)
                        return
                    series = self._window[key] = _PathSeries()
                if not 0 <= latency_ms <= MAX_LATENCY_MS:
                    self._count_dropped_locked(1)
                    return
                series.count += 1
                if failed is True:
                    series.errors += 1
                series.latency.accept(latency_ms)
                self._recorded_total += 1
        except Exception:
            self.count_dropped(1)  # an unhashable flag, say

    def note_evaluated(self, flag: str) -> None:
        """Notes a flag key as evaluated in the open window, once; keys the control plane would refuse, and any beyond the bound, are not."""
        evaluated = self.evaluated
        if flag in evaluated or len(evaluated) >= self._max_evaluated or not isinstance(flag, str) or not FLAG_KEY.fullmatch(flag):
            return
        evaluated.add(flag)

    def count_dropped(self, samples: int) -> None:
        """Samples lost outside the window: reported in the next batch."""
        with self._lock:
            self._count_dropped_locked(samples)

    def count_undelivered(self, batch: MetricsBatch) -> None:
        """A drained batch that will never be delivered: its samples are lost, its own drop count still owed."""
        with self._lock:
            self._count_dropped_locked(samples_in(batch))
            self._dropped_unreported += batch["dropped"]

    def drain(self, now: Optional[int] = None) -> Optional[MetricsBatch]:
        """Closes the window at `now` (epoch ms); None when it held no samples, no evaluated keys and nothing was dropped."""
        with self._lock:
            window_start = self._window_start
            window_end = max(window_start, now if now is not None else now_ms())
            window, self._window = self._window, {}
            self._window_start = window_end
            # A key noted by another thread between these two lines is lost for this window; the
            # next evaluation notes it again.
            evaluated = sorted(self.evaluated)
            self.evaluated.clear()
            dropped = min(self._dropped_unreported, MAX_DROPPED_PER_BATCH)
            if not window and dropped == 0 and not evaluated:
                return None
            self._dropped_unreported -= dropped
        entries = [
            {
                "flag": flag,
                "path": path,
                "reason": reason,
                "count": series.count,
                "errors": series.errors,
                "sketch": base64.b64encode(encode_sketch(series.latency)).decode("ascii"),
            }
            for (flag, path, reason), series in window.items()
        ]
        batch: MetricsBatch = {
            "batchId": str(uuid.uuid4()),
            "instanceId": self.instance_id,
            "windowStart": window_start,
            "windowEnd": window_end,
            "entries": entries,
            "dropped": dropped,
        }
        if evaluated:
            batch["evaluated"] = evaluated
        return batch

    def counts(self) -> Tuple[int, int]:
        """(recorded, dropped) samples since the start."""
        return self._recorded_total, self._dropped_total

    def _count_dropped_locked(self, samples: int) -> None:
        if not isinstance(samples, int) or samples <= 0:
            return
        self._dropped_unreported += samples
        self._dropped_total += samples


def samples_in(batch: MetricsBatch) -> int:
    """Samples a batch carries in its entries (not counting the drops it reports)."""
    return sum(entry["count"] for entry in batch["entries"])


def merge_batches(older: MetricsBatch, newer: MetricsBatch) -> Optional[MetricsBatch]:
    """
    One batch for two never-sent windows of one instance: entries for the same flag × path ×
    reason add up and merge sketches, `evaluated` is the union, the window spans both, and the id
    is fresh. None when the control plane would refuse the result's counts.
    """
    if older["instanceId"] != newer["instanceId"]:
        return None
    dropped = older["dropped"] + newer["dropped"]
    if dropped > MAX_DROPPED_PER_BATCH or samples_in(older) + samples_in(newer) > MAX_BATCH_SAMPLES:
        return None
    evaluated = sorted(set(older.get("evaluated", [])) | set(newer.get("evaluated", [])))
    if len(evaluated) > MAX_EVALUATED_PER_WINDOW:
        return None
    merged: Dict[Tuple[str, str, str], Tuple[Dict[str, Any], List[str]]] = {}
    for entry in older["entries"] + newer["entries"]:
        key = (entry["flag"], entry["path"], entry["reason"])
        if key not in merged:
            merged[key] = (dict(entry), [entry["sketch"]])
            continue
        total, sketches = merged[key]
        total["count"] += entry["count"]
        total["errors"] += entry["errors"]
        if total["count"] > MAX_ENTRY_COUNT:
            return None
        sketches.append(entry["sketch"])
    entries = []
    for total, sketches in merged.values():
        if len(sketches) > 1:
            latency = decode_sketch(base64.b64decode(sketches[0]))
            for sketch in sketches[1:]:
                latency.merge(decode_sketch(base64.b64decode(sketch)))
            total["sketch"] = base64.b64encode(encode_sketch(latency)).decode("ascii")
        entries.append(total)
    batch: MetricsBatch = {
        "batchId": str(uuid.uuid4()),
        "instanceId": older["instanceId"],
        "windowStart": min(older["windowStart"], newer["windowStart"]),
        "windowEnd": max(older["windowEnd"], newer["windowEnd"]),
        "entries": entries,
        "dropped": dropped,
    }
    if evaluated:
        batch["evaluated"] = evaluated
    return batch
