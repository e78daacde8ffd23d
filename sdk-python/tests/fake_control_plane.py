"""An in-process stand-in for the control plane's SDK routes, scripted per test, for what a real
one cannot be made to do on cue (fall silent, answer 429, refuse gzip)."""

from __future__ import annotations

import gzip
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Dict, List, Optional, Tuple


class Received:
    def __init__(self, method: str, path: str, headers: Dict[str, str], body: bytes) -> None:
        self.method = method
        self.path = path
        self.headers = headers
        self.body = body

    def json(self) -> Any:
        raw = gzip.decompress(self.body) if self.headers.get("content-encoding") == "gzip" else self.body
        return json.loads(raw)


class FakeControlPlane:
    def __init__(self) -> None:
        self.received: List[Received] = []
        self.snapshot: Dict[str, Any] = {"environment": "production", "cursor": 0, "flags": []}
        # Per stream connection, in order: the events it sends, then whether it stays open (silent).
        self.streams: List[Tuple[str, bool]] = []
        # Answers to metrics POSTs, in order: (status, headers, body); 201 once they run out.
        self.metrics_answers: List[Tuple[int, Dict[str, str], bytes]] = []
        self._lock = threading.Lock()
        self._closing = threading.Event()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                fake._serve(self, b"")

            def do_POST(self) -> None:
                fake._serve(self, self.rfile.read(int(self.headers.get("content-length") or 0)))

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = "http://127.0.0.1:%d" % self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._closing.set()
        self._server.shutdown()
        self._server.server_close()

    def requests_to(self, path: str) -> List[Received]:
        with self._lock:
            return [request for request in self.received if request.path == path]

    def wait_for(self, condition: Callable[[], bool], timeout: float = 5.0) -> bool:
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                return False
            time.sleep(0.01)
        return True

    def _serve(self, handler: BaseHTTPRequestHandler, body: bytes) -> None:
        request = Received(handler.command, handler.path, {name.lower(): value for name, value in handler.headers.items()}, body)
        with self._lock:
            self.received.append(request)
        if handler.path == "/api/sdk/flags":
            self._answer(handler, 200, {"content-type": "application/json"}, json.dumps(self.snapshot).encode())
        elif handler.path == "/api/sdk/stream":
            with self._lock:
                events, stays_open = self.streams.pop(0) if self.streams else ("", True)
            handler.send_response(200)
            handler.send_header("content-type", "text/event-stream")
            handler.end_headers()
            handler.wfile.write(events.encode())
            handler.wfile.flush()
            if stays_open:
                self._closing.wait(30)
        elif handler.path == "/api/sdk/metrics":
            with self._lock:
                status, headers, answer = self.metrics_answers.pop(0) if self.metrics_answers else (201, {}, b'{"stored":true}')
            self._answer(handler, status, headers, answer)
        else:
            self._answer(handler, 404, {}, b"")

    @staticmethod
    def _answer(handler: BaseHTTPRequestHandler, status: int, headers: Dict[str, str], body: bytes) -> None:
        handler.send_response(status)
        for name, value in headers.items():
            handler.send_header(name, value)
        handler.send_header("content-length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)


def flag_event(seq: int, state: Dict[str, Any]) -> str:
    return "id: %d\nevent: flag\ndata: %s\n\n" % (seq, json.dumps(state))


def flag_state(key: str, version: int, percentage: float = 100, killed: bool = False) -> Dict[str, Any]:
    return {"key": key, "default": False, "percentage": percentage, "rollout": {"by": "user_id"}, "contexts": {}, "killed": killed, "version": version}


def wait_until(condition: Callable[[], bool], timeout: float = 5.0) -> Optional[float]:
    """Seconds it took for `condition` to hold, or None if it did not within `timeout`."""
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > timeout:
            return None
        time.sleep(0.005)
    return time.monotonic() - started
