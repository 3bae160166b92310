"""Reading a profile file with bounds: only a regular file, at most
`MAX_PROFILE_BYTES`, no line longer than `MAX_LINE_CHARACTERS`. A build fed a
FIFO, a link to /dev/zero or a megabyte-long bullet gets a clear error at
once, and the work of every later stage per file and per line stays small."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from kb.errors import ProfileParseError

# Real profiles are tens of kilobytes with bullets of a few hundred characters;
# these bounds keep every later stage's work per file and per line small.
MAX_PROFILE_BYTES = 4 * 1024 * 1024
MAX_LINE_CHARACTERS = 20_000


def check_line_lengths(text: str, source: str) -> None:
    start = 0
    number = 1
    while start <= len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        if end - start > MAX_LINE_CHARACTERS:
            raise ProfileParseError(
                f"line of {end - start} characters; a line (a finding) has at most "
                f"{MAX_LINE_CHARACTERS}",
                path=source,
                line=number,
                section="1",
            )
        start, number = end + 1, number + 1


def read_bounded(path: Path, limit: int) -> bytes:
    """The bytes of a regular file of at most `limit` bytes; `ProfileParseError` else."""
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise ProfileParseError(
            f"cannot read the profile: {exc.strerror or exc}", path=path
        ) from exc
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise ProfileParseError("not a regular file (a pipe, device or directory)", path=path)
        if info.st_size > limit:
            raise ProfileParseError(
                f"{info.st_size} bytes; a profile file has at most {limit}", path=path
            )
        with os.fdopen(fd, "rb", closefd=False) as stream:
            data = stream.read(limit + 1)
    except OSError as exc:
        raise ProfileParseError(
            f"cannot read the profile: {exc.strerror or exc}", path=path
        ) from exc
    finally:
        os.close(fd)
    if len(data) > limit:  # it grew while being read
        raise ProfileParseError(
            f"more than {limit} bytes; a profile file has at most {limit}", path=path
        )
    return data
