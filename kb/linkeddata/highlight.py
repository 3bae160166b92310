"""A finding's text with its mentions marked, from the mentions' character offsets.

Offsets count code points from 0, end excluded (the ontology's convention,
Python's string slicing), so slicing the `str` is exact. Every piece of text
is escaped; only the `<mark>` and `<a>` this function writes are markup.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int
    href: str | None = None
    title: str | None = None
    css: str = ""


def highlight(text: str, spans: list[Span]) -> Markup:
    """`text` as HTML with each valid, non-overlapping span in a `<mark>`.

    Spans outside the text, empty, or overlapping an earlier one are left out
    (the text itself is always shown whole).
    """
    chosen: list[Span] = []
    cursor = 0
    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        if 0 <= span.start < span.end <= len(text) and span.start >= cursor:
            chosen.append(span)
            cursor = span.end
    parts: list[Markup] = []
    position = 0
    for span in chosen:
        parts.append(escape(text[position : span.start]))
        inner = escape(text[span.start : span.end])
        if span.href and span.title:
            inner = Markup('<a href="{}" title="{}">{}</a>').format(span.href, span.title, inner)
        elif span.href:
            inner = Markup('<a href="{}">{}</a>').format(span.href, inner)
        if span.css:
            parts.append(Markup('<mark class="{}">{}</mark>').format(span.css, inner))
        else:
            parts.append(Markup("<mark>{}</mark>").format(inner))
        position = span.end
    parts.append(escape(text[position:]))
    return Markup("").join(parts)
