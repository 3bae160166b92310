"""HTTP validators from the dataset version: answers change only on a rebuild."""

from __future__ import annotations

import hashlib
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
