"""Pure helpers: identifiers in URLs, the search pattern, language choice."""

from __future__ import annotations

import re
import unicodedata

# Slugs as `kb.text.slugify` writes them, optionally qualified by a place (`a--b`).
_SLUG = re.compile(r"[a-z0-9]+(?:-{1,2}[a-z0-9]+)*")
_FINDING = re.compile(r"([a-z0-9]+(?:-{1,2}[a-z0-9]+)*)/([1-9][0-9]{0,5})")

# Letters whose accented forms a search for the plain letter should also find.
_ACCENTS = {
    "a": "aáàâäãå",
    "e": "eéèêë",
    "i": "iíìîï",
    "o": "oóòôöõ",
    "u": "uúùûü",
    "n": "nñ",
    "c": "cç",
    "y": "yý",
}
MAX_SEARCH_LENGTH = 100


def is_slug(text: str) -> bool:
    return bool(_SLUG.fullmatch(text)) and len(text) <= 200


def split_finding_id(text: str) -> tuple[str, int] | None:
    """`bucaramanga-2022/4` -> (`bucaramanga-2022`, 4); None when it is not one."""
    match = _FINDING.fullmatch(text)
    return (match.group(1), int(match.group(2))) if match else None


def fold(text: str) -> str:
    """Lower case without accents: `Personería` -> `personeria`."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def search_pattern(query: str) -> str | None:
    """A case- and accent-insensitive regular expression for the words of `query`.

    Every character is escaped (it is data, not regex syntax); letters become
    classes of their accented forms; runs of spaces match any whitespace. None
    when nothing searchable is left.
    """
    words = fold(query.strip())[:MAX_SEARCH_LENGTH].split()
    if not words or sum(len(w) for w in words) < 2:
        return None
    parts = []
    for word in words:
        chars = []
        for char in word:
            variants = _ACCENTS.get(char)
            chars.append(f"[{variants}]" if variants else re.escape(char))
        parts.append("".join(chars))
    return r"\s+".join(parts)


def year_of(issued: str | None) -> str:
    """`2022-03` (xsd:gYearMonth) -> `2022`."""
    return (issued or "")[:4]
