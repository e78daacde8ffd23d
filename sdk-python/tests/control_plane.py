"""A real Rampart control plane for the tests: `scripts/control-plane.mts` (the route handlers
over node:http, no Next build) on the embedded database in a temporary directory."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import threading
import urllib.error
import urllib.request
import uuid
from typing import Any, Dict, Optional, Tuple

from .shared_files import REPO

START_TIMEOUT_S = 120


class ControlPlane:
    def __init__(self) -> None:
        self.admin_token = "rpt_python-sdk-" + uuid.uuid4().hex
        self.sdk_key = "rps_python-sdk-" + uuid.uuid4().hex
        self.data_dir = tempfile.mkdtemp(prefix="rampart-python-sdk-")
        self.log_path = os.path.join(self.data_dir, "control-plane.log")
        self.url = ""
        self._process: Optional[subprocess.Popen] = None  # type: ignore[type-arg]
        self._reader: Optional[threading.Thread] = None

    def start(self) -> None:
        env = {name: value for name, value in os.environ.items() if name != "DATABASE_URL"}
        env.update(
            RAMPART_DATA_DIR=os.path.join(self.data_dir, "data"),
            RAMPART_INIT_ADMIN_TOKEN=self.admin_token,
            RAMPART_INIT_SDK_KEYS="production:" + self.sdk_key,
        )
        log = open(self.log_path, "ab")
        self._process = subprocess.Popen(
            ["node", "--import", "tsx", "scripts/control-plane.mts", "0"], cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=log
        )
        listening = threading.Event()

        stdout = self._process.stdout
        assert stdout is not None

        def read_stdout() -> None:
            with log, stdout:
                for raw in stdout:
                    log.write(raw)
                    log.flush()
                    line = raw.decode(errors="replace")
                    if line.startswith("listening "):
                        self.url = line.split()[1]
                        listening.set()
            listening.set()

        self._reader = threading.Thread(target=read_stdout, daemon=True)
        self._reader.start()
        if not listening.wait(START_TIMEOUT_S) or not self.url:
            self.stop()
            raise RuntimeError("the control plane did not start; its log:\n" + self.log_tail())

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)
        if self._reader is not None:
            self._reader.join(5)

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.data_dir, ignore_errors=True)

    def log_tail(self) -> str:
        try:
            with open(self.log_path, encoding="utf-8", errors="replace") as file:
                return file.read()[-4000:]
        except OSError:
            return ""

    def api(self, method: str, path: str, body: Optional[Dict[str, Any]] = None, token: Optional[str] = None) -> Tuple[int, Any]:
        """One request with the admin token (or `token`); the status and the parsed JSON answer."""
        request = urllib.request.Request(
            self.url + path,
            method=method,
            data=None if body is None else json.dumps(body).encode(),
            headers={"authorization": "Bearer " + (token or self.admin_token), "content-type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"null")

    def given_flag(self, key: str, percentage: float) -> None:
        for method, path, body in (("POST", "/api/flags", {"key": key, "owner": "python sdk tests"}), ("PATCH", "/api/flags/%s?env=production" % key, {"percentage": percentage})):
            status, answer = self.api(method, path, body)
            if status >= 300:
                raise AssertionError("%s %s answered %d: %s" % (method, path, status, answer))
