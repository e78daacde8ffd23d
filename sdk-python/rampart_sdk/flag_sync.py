"""Keeps a FlagStore in step with the control plane: one snapshot, then the server-sent-event
stream, reopened with backoff and full jitter when it fails or falls silent. One daemon thread."""

from __future__ import annotations

import json
import random
import socket
import threading
from typing import Any, Callable, Iterable, Optional, Tuple

from .control_plane_http import ConnectionSlot, open_connection
from .event_stream import EventStreamParser, ServerSentEvent
from .flag_store import FlagStore, as_snapshot

SNAPSHOT_PATH = "/api/sdk/flags"
STREAM_PATH = "/api/sdk/stream"
_MAX_POSITION = 2**53 - 1


class FlagSync:
    def __init__(
        self,
        store: FlagStore,
        *,
        url: str,
        sdk_key: str,
        backoff: Tuple[float, float],
        stale_after: float,
        request_timeout: float,
        on_changed: Callable[[Iterable[str]], None],
        on_applied: Callable[[str], None],
        on_error: Callable[[BaseException], None],
    ) -> None:
        self._store = store
        self._url = url
        self._sdk_key = sdk_key
        self._backoff = backoff
        self._stale_after = stale_after
        self._request_timeout = request_timeout
        self._on_changed = on_changed
        self._on_applied = on_applied
        self._on_error = on_error
        self._environment = ""
        self._failures = 0
        self._applied = False
        self._stopping = threading.Event()
        self._slot = ConnectionSlot()
        self.loaded = threading.Event()
        """Set once the first snapshot from the control plane is in the store."""
        self.connected = False
        """Whether the stream is open now."""
        self._thread = threading.Thread(target=self._run, name="rampart-flag-sync", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float) -> None:
        """Ends the loop and cuts any request in flight; waits up to `timeout` for the thread."""
        self._stopping.set()
        self._slot.cut()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def _run(self) -> None:
        shortest, longest = self._backoff
        have_snapshot = False
        while not self._stopping.is_set():
            try:
                if not have_snapshot:
                    self._load_snapshot()
                    have_snapshot = True
                self._stream()
            except Exception as error:
                if self._stopping.is_set():
                    break
                self._on_error(error)
            self.connected = False
            if self._stopping.is_set():
                break
            self._failures += 1
            self._stopping.wait(random.random() * min(longest, shortest * 2 ** min(self._failures, 16)))

    def _headers(self, accept: str) -> dict:
        return {"accept": accept, "authorization": "Bearer " + self._sdk_key, "user-agent": "rampart-sdk-python"}

    def _load_snapshot(self) -> None:
        connection = open_connection(self._url, self._request_timeout)
        self._slot.hold(connection)
        try:
            connection.request("GET", SNAPSHOT_PATH, headers=self._headers("application/json"))
            self._slot.sent(connection)
            response = connection.getresponse()
            body = response.read()
            if response.status != 200:
                raise ConnectionError("Rampart answered %d for %s" % (response.status, SNAPSHOT_PATH))
            snapshot = as_snapshot(json.loads(body))
        finally:
            self._slot.release()
        self._environment = snapshot.environment
        changed = self._store.apply_snapshot(snapshot, "control-plane")
        self.loaded.set()
        self._on_changed(changed)
        self._on_applied(self._environment)

    def _stream(self) -> None:
        """Reads the stream until it ends; resumes after the last change the store holds."""
        connection = open_connection(self._url, self._request_timeout)
        self._slot.hold(connection)
        try:
            headers = self._headers("text/event-stream")
            headers["last-event-id"] = str(self._store.cursor)
            connection.request("GET", STREAM_PATH, headers=headers)
            sock = self._slot.sent(connection)
            response = connection.getresponse()
            if response.status != 200:
                response.read()
                raise ConnectionError("Rampart answered %d for %s" % (response.status, STREAM_PATH))
            # Heartbeats come every 15 s: a read that waits this long means the stream is dead.
            if sock is not None:
                sock.settimeout(self._stale_after)
            self.connected = True
            self._failures = 0
            parser = EventStreamParser(self._receive)
            while not self._stopping.is_set():
                try:
                    chunk = response.read1(65536)
                except socket.timeout:
                    return  # silent too long: reconnect, without reporting our own watchdog
                if not chunk:
                    return
                self._applied = False
                parser.feed(chunk)
                # Once per chunk, not per event: a catch-up of many changes writes the cache once.
                if self._applied:
                    self._on_applied(self._environment)
        finally:
            self._slot.release()

    def _receive(self, event: ServerSentEvent) -> None:
        seq = _position(event.id)
        if seq is None:
            return
        if event.event == "flag":
            changed = self._store.apply_flag(seq, json.loads(event.data))
        elif event.event == "archived":
            changed = self._store.apply_archived(seq, json.loads(event.data)["key"])
        else:
            return
        if changed is not None:
            self._on_changed((changed,))
        self._applied = True


def _position(event_id: Any) -> Optional[int]:
    if not isinstance(event_id, str) or not event_id.isdigit() or not event_id.isascii():
        return None
    position = int(event_id)
    return position if position <= _MAX_POSITION else None
