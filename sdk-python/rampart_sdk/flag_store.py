"""The flag states a client serves from, and the stream position they reflect."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any, Dict, List, Literal, NamedTuple, Optional, Set

from .evaluator import PreparedFlag, prepare_flag

StateSource = Literal["none", "bootstrap", "control-plane"]


class FlagSnapshot(NamedTuple):
    """GET /api/sdk/flags: every flag's state, and the newest change position it includes."""

    environment: str
    cursor: int
    flags: List[Any]


def as_snapshot(value: Any) -> FlagSnapshot:
    """A snapshot read from JSON (a response, a bootstrap, a cache file); a bare list of flags counts as one."""
    if isinstance(value, list):
        return FlagSnapshot("", 0, value)
    if not isinstance(value, Mapping) or not isinstance(value.get("flags"), list):
        raise ValueError("not a Rampart flag snapshot")
    environment = value.get("environment")
    return FlagSnapshot(environment if isinstance(environment, str) else "", _position(value.get("cursor")), value["flags"])


def _position(value: Any) -> int:
    """A change position from JSON (`Number(cursor) || 0`, as the Node SDK reads it)."""
    if isinstance(value, str) and value.isdigit() and value.isascii():
        value = int(value)
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 0


def _is_newer(candidate: Any, current: Any) -> bool:
    """`candidate >= current` for versions; as in JavaScript, versions that do not compare never replace."""
    try:
        return bool(candidate >= current)
    except TypeError:
        return False


class FlagStore:
    """
    Flag key → prepared state. A state never replaces a newer version of the same flag, whatever
    order changes arrive in. Readers (every evaluation) take no lock: they read one dict entry;
    writers (the stream thread, start-up) serialise on a lock.
    """

    def __init__(self) -> None:
        self.flags: Dict[str, PreparedFlag] = {}
        self.cursor = 0
        self.source: StateSource = "none"
        self._writing = threading.Lock()

    def apply_snapshot(self, snapshot: FlagSnapshot, source: StateSource) -> Set[str]:
        """A full snapshot: flags it does not list are gone (archived). Returns the keys that changed."""
        with self._writing:
            changed: Set[str] = set()
            listed: Set[str] = set()
            for state in snapshot.flags:
                put = self._put(state)
                if put is not None:
                    changed.add(put)
                key = state.get("key") if isinstance(state, Mapping) else None
                if isinstance(key, str):
                    listed.add(key)
            for key in [key for key in self.flags if key not in listed]:
                del self.flags[key]
                changed.add(key)
            self.cursor = max(self.cursor, snapshot.cursor)
            self.source = source
            return changed

    def apply_flag(self, seq: int, state: Any) -> Optional[str]:
        """`event: flag`: the flag's whole new state. Returns its key if the store changed."""
        with self._writing:
            key = self._put(state)
            self.cursor = max(self.cursor, seq)
            return key

    def apply_archived(self, seq: int, key: str) -> Optional[str]:
        """`event: archived`: the flag is gone. Returns its key if the store held it."""
        with self._writing:
            removed = self.flags.pop(key, None)
            self.cursor = max(self.cursor, seq)
            return key if removed is not None else None

    def snapshot(self, environment: str) -> Dict[str, Any]:
        """What a cache file keeps: the snapshot this store now serves."""
        with self._writing:
            return {"environment": environment, "cursor": self.cursor, "flags": [flag.state for flag in self.flags.values()]}

    def _put(self, state: Any) -> Optional[str]:
        prepared = prepare_flag(state)
        key = prepared.key
        if key is None:
            return None
        current = self.flags.get(key)
        if current is not None and (not _is_newer(prepared.version, current.version) or current.state == state):
            return None
        self.flags[key] = prepared
        return key
