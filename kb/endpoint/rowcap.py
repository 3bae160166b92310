"""The row cap on streamed SELECT results, applied to the serialiser's bytes.

pyoxigraph writes SPARQL results natively and fast, but offers no way to stop
after N solutions. A `RowLimiter` sits between the serialiser and the socket:
it finds where each solution starts in the byte stream (every format has an
unambiguous marker once strings are accounted for), passes bytes through
unchanged, and at the start of solution N+1 cuts the stream and closes the
document so it is still well-formed. The worker then stops the serialiser.

Row starts by format:
- XML: `<result>` (a `<` inside text is always escaped);
- TSV: the line after a newline (newlines in terms are escaped);
- CSV: the line after CRLF outside a quoted field (quotes are doubled, so
  their parity tells inside from outside);
- JSON: `,{` between bindings; inside a string `,{"` cannot occur (the quote
  would be escaped) and `,{}` can, so only that rare case is checked by
  scanning the strings since the last known row start.
"""

from __future__ import annotations

import json
import re
from typing import Protocol

TRUNCATION_NOTE = (
    "results truncated after {cap} rows (the server's row cap); "
    "use LIMIT and OFFSET to page through the rest"
)


class RowLimiter(Protocol):
    rows: int
    truncated: bool

    def feed(self, chunk: bytes) -> bytes:
        """Bytes to pass on; after a cut, `truncated` is set and the document is closed."""
        ...

    def finish(self) -> bytes:
        """Bytes still held back, at the natural end of the results."""
        ...


class _LineLimiter:
    """TSV (and, with quote tracking, CSV): one solution per line after a header line."""

    def __init__(self, cap: int, newline_needs_even_quotes: bool = False) -> None:
        self.cap = cap
        self.rows = 0
        self.truncated = False
        self._line_ends = 0
        self._quotes = 0
        self._csv = newline_needs_even_quotes

    def feed(self, chunk: bytes) -> bytes:
        if self.truncated:
            return b""
        limit = self.cap + 1  # header line + cap rows
        if self._line_ends >= limit:
            if chunk:
                self.truncated = True
            return b""
        pos = 0
        while True:
            nl = chunk.find(b"\n", pos)
            if nl < 0:
                if self._csv:
                    self._quotes += chunk.count(b'"', pos)
                return chunk
            if self._csv:
                self._quotes += chunk.count(b'"', pos, nl)
                if self._quotes % 2:
                    pos = nl + 1
                    continue
            self._line_ends += 1
            self.rows = max(0, self._line_ends - 1)
            pos = nl + 1
            if self._line_ends >= limit:
                if pos < len(chunk):
                    self.truncated = True
                return chunk[:pos]

    def finish(self) -> bytes:
        return b""


class _XmlLimiter:
    _MARK = b"<result>"

    def __init__(self, cap: int) -> None:
        self.cap = cap
        self.rows = 0
        self.truncated = False
        self._held = b""

    def feed(self, chunk: bytes) -> bytes:
        if self.truncated:
            return b""
        data = self._held + chunk
        pos = 0
        while True:
            at = data.find(self._MARK, pos)
            if at < 0:
                break
            if self.rows == self.cap:
                self.truncated = True
                note = TRUNCATION_NOTE.format(cap=self.cap)
                return data[:at] + f"</results></sparql>\n<!-- {note} -->\n".encode()
            self.rows += 1
            pos = at + len(self._MARK)
        # A marker may straddle chunks: keep back what could be its beginning.
        keep = max(pos, len(data) - (len(self._MARK) - 1))
        self._held = data[keep:]
        return data[:keep]

    def finish(self) -> bytes:
        held, self._held = self._held, b""
        return held


_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)


def _inside_string(buf: bytes, end: int) -> bool:
    """Whether offset `end` of `buf` (which starts outside any string) is in a string.

    `end=-1` means the end of `buf`.
    """
    end = len(buf) if end < 0 else end
    pos = 0
    while True:
        quote = buf.find(b'"', pos, end)
        if quote < 0:
            return False
        match = _JSON_STRING.match(buf, quote)
        if match is None or match.end() > end:
            return True
        pos = match.end()


class _JsonLimiter:
    _BINDINGS = b'"bindings":['

    def __init__(self, cap: int) -> None:
        self.cap = cap
        self.rows = 0
        self.truncated = False
        self._in_head = True
        self._before_first = False
        self._held = b""
        # Bytes since the last position known to be outside every string.
        self._since_row = bytearray()

    def feed(self, chunk: bytes) -> bytes:
        if self.truncated:
            return b""
        data = self._held + chunk
        self._held = b""
        start = 0
        if self._in_head:
            at = data.find(self._BINDINGS)
            if at < 0:
                self._held = data
                return b""
            self._in_head = False
            start = at + len(self._BINDINGS)
            self._before_first = True
            head, data = data[:start], data[start:]
            return head + self._scan(data)
        return self._scan(data)

    def _scan(self, data: bytes) -> bytes:
        pos = 0
        segment = 0  # data[segment:] belongs to the row being read
        if self._before_first and data:
            self._before_first = False
            if data[:1] == b"{":
                self.rows = 1  # cap >= 1: the first row always fits
                pos = 1
        while True:
            at = data.find(b",{", pos)
            if at < 0:
                break
            if at + 2 >= len(data):
                # `,{` cannot be classified without its next byte: hold it back.
                self._since_row += data[segment:at]
                self._held = data[at:]
                return data[:at]
            follower = data[at + 2 : at + 3]
            if follower == b'"':
                is_row = True
            elif follower == b"}":
                is_row = not _inside_string(bytes(self._since_row) + data[segment:at], -1)
            else:
                is_row = False
            if is_row:
                if self.rows == self.cap:
                    self.truncated = True
                    return data[:at] + self._closing()
                self.rows += 1
                self._since_row = bytearray()
                segment = at + 1
            pos = at + 2
        tail = len(data) - 1 if data.endswith(b",") else len(data)
        self._since_row += data[segment:tail]
        self._held = data[tail:]
        return data[:tail]

    def _closing(self) -> bytes:
        # The top-level object is left open: `close_json` adds the note where it can go.
        return b"]}"

    def finish(self) -> bytes:
        held, self._held = self._held, b""
        return held


def json_note(cap: int) -> bytes:
    """The truncation members of a JSON result, as a JSON object."""
    note = TRUNCATION_NOTE.format(cap=cap)
    return json.dumps({"truncated": True, "rowCap": cap, "warning": note}).encode()


def close_json(cap: int, *, streaming: bool) -> bytes:
    """The end of a JSON result cut by `_JsonLimiter`.

    Streaming, the head is already sent, so the note follows the results (strict
    parsers such as pyoxigraph's refuse members there; JSON.parse does not).
    Otherwise the object is just closed and `with_leading_json_note` puts the note first.
    """
    return b"," + json_note(cap)[1:] if streaming else b"}"


def with_leading_json_note(body: bytes, cap: int) -> bytes:
    """Put the truncation note first in a buffered JSON result, where every parser reads it."""
    return json_note(cap)[:-1] + b"," + body[1:]


def row_limiter(media_type: str, cap: int) -> RowLimiter | None:
    """The limiter for a SPARQL results media type; None for booleans and unknown types."""
    if media_type == "application/sparql-results+json":
        return _JsonLimiter(cap)
    if media_type == "application/sparql-results+xml":
        return _XmlLimiter(cap)
    if media_type == "text/csv":
        return _LineLimiter(cap, newline_needs_even_quotes=True)
    if media_type == "text/tab-separated-values":
        return _LineLimiter(cap)
    return None
