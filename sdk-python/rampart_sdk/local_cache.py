"""The state a client serves before the control plane answers: a bootstrap, and a cache file
holding the last state it had, so a restart during an outage keeps working."""

from __future__ import annotations

import json
import os
import threading
from typing import Callable, Optional, Union

from .flag_store import FlagStore, as_snapshot

Bootstrap = Union[str, "os.PathLike[str]", dict, list, None]


class LocalCache:
    def __init__(self, store: FlagStore, cache_file: Optional[str], report: Callable[[BaseException], None]) -> None:
        self._store = store
        self._cache_file = cache_file
        self._report = report
        self._writing = threading.Lock()

    def load(self, bootstrap: Bootstrap) -> None:
        """The bootstrap (a snapshot, a list of flags, or a JSON file of either), then the cache file."""
        try:
            if isinstance(bootstrap, (str, os.PathLike)):
                with open(bootstrap, encoding="utf-8") as file:
                    bootstrap = json.load(file)
            if bootstrap:
                self._store.apply_snapshot(as_snapshot(bootstrap), "bootstrap")
        except Exception as error:
            self._report(error)
        if not self._cache_file:
            return
        try:
            with open(self._cache_file, encoding="utf-8") as file:
                cached = as_snapshot(json.load(file))
            # A cached copy at least as new as the bootstrap wins: it came from the control plane.
            if cached.cursor >= self._store.cursor:
                self._store.apply_snapshot(cached, "bootstrap")
        except FileNotFoundError:
            pass
        except Exception as error:
            self._report(error)

    def save(self, environment: str) -> None:
        """Writes the store's state atomically (a temporary file, then a rename); called off the evaluation path."""
        if not self._cache_file:
            return
        try:
            snapshot = self._store.snapshot(environment)
            with self._writing:
                directory = os.path.dirname(os.path.abspath(self._cache_file))
                os.makedirs(directory, exist_ok=True)
                partial = "%s.%d.tmp" % (self._cache_file, os.getpid())
                with open(partial, "w", encoding="utf-8") as file:
                    json.dump(snapshot, file, separators=(",", ":"))
                os.replace(partial, self._cache_file)
        except Exception as error:
            self._report(error)
