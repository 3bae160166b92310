"""Typed reads of one result row of the explorer's queries, and the assessment they compare with."""

from __future__ import annotations

from kb.explorer.runner import Row
from kb.namespaces import MGI


def text_of(row: Row, name: str) -> str | None:
    value = row.get(name)
    return value.value if value is not None else None


def int_of(row: Row, name: str) -> int:
    value = row.get(name)
    return value.as_int() if value is not None else 0


def float_of(row: Row, name: str) -> float | None:
    value = row.get(name)
    try:
        return value.as_float() if value is not None else None
    except ValueError:
        return None


WELL_DEVELOPED = str(MGI.WellDeveloped)
