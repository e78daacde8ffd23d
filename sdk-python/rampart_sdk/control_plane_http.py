"""Connections to the control plane with http.client, which lets a closing client cut a request
that is waiting on the network (`ConnectionSlot.cut`)."""

from __future__ import annotations

import http.client
import socket
import threading
from typing import Optional, Union
from urllib.parse import urlsplit

Connection = Union[http.client.HTTPConnection, http.client.HTTPSConnection]


def open_connection(url: str, timeout: float) -> Connection:
    """A connection to the control plane at `url` (http or https); paths are absolute from its root."""
    parts = urlsplit(url)
    if parts.scheme == "https":
        return http.client.HTTPSConnection(parts.hostname or "", parts.port, timeout=timeout)
    if parts.scheme == "http":
        return http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=timeout)
    raise ValueError("Rampart url must be http:// or https://, not %r" % url)


class ConnectionSlot:
    """The one request a thread has in flight, so another thread can cut it short."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._connection: Optional[Connection] = None
        self._socket: Optional[socket.socket] = None
        self._cut = False

    def hold(self, connection: Connection) -> None:
        with self._lock:
            if self._cut:
                raise ConnectionAbortedError("the client is closing")
            self._connection = connection
            self._socket = None

    def sent(self, connection: Connection) -> Optional[socket.socket]:
        """Call once the request is sent: the connection drops its socket when the answer says
        `Connection: close`, while the answer is still read from it."""
        with self._lock:
            self._socket = connection.sock
            return self._socket

    def release(self) -> None:
        with self._lock:
            connection, self._connection, self._socket = self._connection, None, None
        if connection is not None:
            connection.close()

    def cut(self) -> None:
        """Wakes a thread blocked reading the request's answer (its read ends) and refuses new requests."""
        with self._lock:
            self._cut = True
            sock = self._socket or getattr(self._connection, "sock", None)
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
