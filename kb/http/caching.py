"""HTTP validators from the dataset version: answers change only on a rebuild."""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime

from starlette.datastructures import Headers


def entity_tag(version: str, *parts: str) -> str:
    """A weak ETag: same dataset version and same request -> same answer (gzip or not)."""
    digest = hashlib.sha256("\x00".join(parts).encode()).hexdigest()[:20]
    return f'W/"{version}-{digest}"'


def http_date(moment: datetime) -> str:
    return format_datetime(moment.astimezone(UTC).replace(microsecond=0), usegmt=True)


def _opaque(tag: str) -> str:
    return tag[2:] if tag.startswith("W/") else tag


def not_modified(headers: Headers, etag: str, last_modified: datetime) -> bool:
    """RFC 9110 §13.1: If-None-Match (weak comparison) wins over If-Modified-Since."""
    if_none_match = headers.get("if-none-match")
    if if_none_match is not None:
        if if_none_match.strip() == "*":
            return True
        wanted = {_opaque(t.strip()) for t in if_none_match.split(",")}
        return _opaque(etag) in wanted
    since = headers.get("if-modified-since")
    if since:
        try:
            moment = parsedate_to_datetime(since)
        except (TypeError, ValueError):
            return False
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return last_modified.replace(microsecond=0) <= moment
    return False


def validators(etag: str, last_modified: datetime, max_age: int) -> dict[str, str]:
    return {
        "ETag": etag,
        "Last-Modified": http_date(last_modified),
        "Cache-Control": f"public, max-age={max_age}",
        "Vary": "Accept, Accept-Encoding",
    }


ENTRY_OVERHEAD = 256
"""Rough bytes per cache entry besides its body: key, head, bookkeeping."""


@dataclass(frozen=True, slots=True)
class CachedResult:
    """A whole query answer as the worker gave it, ready to send again."""

    media_type: str
    body: bytes
    rows: int
    truncated: bool
    seconds: float

    @property
    def size(self) -> int:
        return len(self.body) + ENTRY_OVERHEAD


class ResultCache:
    """Query answers, least recently used first out, bounded in bytes.

    Keys name the dataset version, so an answer can never outlive its data;
    the service also clears the cache when it switches to a new build.
    Streamed answers are kept as well when they fit `entry_limit`.
    """

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self.size = 0
        self.hits = 0
        self.misses = 0
        self._entries: OrderedDict[Hashable, CachedResult] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: Hashable) -> CachedResult | None:
        entry = self._entries.get(key)
        if entry is None:
            self.misses += 1
            return None
        self._entries.move_to_end(key)
        self.hits += 1
        return entry

    @property
    def entry_limit(self) -> int:
        """One answer may take at most a quarter of the cache: big ones would flush the rest."""
        return self.capacity // 4

    def put(self, key: Hashable, entry: CachedResult) -> None:
        if entry.size > self.entry_limit:
            return
        old = self._entries.pop(key, None)
        if old is not None:
            self.size -= old.size
        self._entries[key] = entry
        self.size += entry.size
        while self.size > self.capacity:
            _, evicted = self._entries.popitem(last=False)
            self.size -= evicted.size

    def clear(self) -> None:
        self._entries.clear()
        self.size = 0


class StreamKeeper:
    """Collects a streamed answer's chunks while they fit one entry of `cache`."""

    def __init__(self, cache: ResultCache) -> None:
        self._limit = cache.entry_limit
        self._chunks: list[bytes] | None = [] if cache.capacity else None
        self._size = ENTRY_OVERHEAD

    def add(self, chunk: bytes) -> None:
        if self._chunks is None:
            return
        self._size += len(chunk)
        if self._size <= self._limit:
            self._chunks.append(chunk)
        else:
            self._chunks = None  # too big: stop holding it

    def body(self) -> bytes | None:
        """The whole answer, or None when it outgrew the entry limit (or the cache is off)."""
        return None if self._chunks is None else b"".join(self._chunks)
