"""A server-sent-event parser, fed bytes as they arrive (the WHATWG rules eventsource-parser follows)."""

from __future__ import annotations

import codecs
import re
from typing import Callable, List, NamedTuple, Optional


_LINE_END = re.compile(r"\r\n|\r|\n")


class ServerSentEvent(NamedTuple):
    id: Optional[str]
    event: str
    data: str


class EventStreamParser:
    """Calls `on_event` per event and `on_comment` per comment line (heartbeats are comments)."""

    def __init__(self, on_event: Callable[[ServerSentEvent], None], on_comment: Optional[Callable[[str], None]] = None) -> None:
        self._on_event = on_event
        self._on_comment = on_comment
        self._decoder = codecs.getincrementaldecoder("utf-8")("replace")
        self._line = ""
        self._after_cr = False
        self._id: Optional[str] = None
        self._event = ""
        self._data: List[str] = []
        self._has_data = False

    def feed(self, chunk: bytes) -> None:
        text = self._decoder.decode(chunk)
        if not text:
            return
        start = 0
        if self._after_cr and text[0] == "\n":
            start = 1  # the \n of a \r\n split across chunks
        self._after_cr = False
        for end in _LINE_END.finditer(text, start):
            self._line_done(self._line + text[start : end.start()])
            self._line = ""
            start = end.end()
        if start < len(text):
            self._line += text[start:]
        else:
            self._after_cr = text.endswith("\r")

    def _line_done(self, line: str) -> None:
        if line == "":
            self._dispatch()
            return
        if line.startswith(":"):
            if self._on_comment is not None:
                self._on_comment(line[2:] if line.startswith(": ") else line[1:])
            return
        field, colon, value = line.partition(":")
        if colon and value.startswith(" "):
            value = value[1:]
        if field == "data":
            self._data.append(value)
            self._has_data = True
        elif field == "event":
            self._event = value
        elif field == "id" and "\0" not in value:
            self._id = value

    def _dispatch(self) -> None:
        if self._has_data:
            self._on_event(ServerSentEvent(self._id, self._event or "message", "\n".join(self._data)))
        self._id = None
        self._event = ""
        self._data = []
        self._has_data = False
