"""Pure text helpers: matching normalisation (FORMAT.md §7) and slugs."""

from __future__ import annotations

import re
import unicodedata

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "´": "'"})
_NO_BREAK_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " "})
_DASHES = re.compile("[-\u2010-\u2015]")
_WHITESPACE = re.compile(r"\s+")
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def fold_accents(text: str) -> str:
    """Decompose (NFKD) and drop combining marks: 'Personería' -> 'Personeria'."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def normalise(text: str) -> str:
    """Matching form of a line, exactly as FORMAT.md §7 defines it.

    >>> normalise("BIEN-ÊTRE SOCIOÉCONOMIQUE DES MIGRANTS")
    'bien etre socioeconomique des migrants'
    >>> normalise("Exemples de domaines bien développés\u00a0:")
    'exemples de domaines bien developpes'
    """
    # Apostrophes first: NFKD would turn '´' into a space and a combining accent.
    folded = fold_accents(text.translate(_APOSTROPHES)).translate(_NO_BREAK_SPACES)
    folded = _DASHES.sub(" ", folded.casefold())
    folded = _WHITESPACE.sub(" ", folded).strip()
    return folded.rstrip(":. ")


def slugify(text: str) -> str:
    """Lower-case ASCII slug, accents folded, other runs of characters -> '-'.

    >>> slugify("Personería de Bucaramanga")
    'personeria-de-bucaramanga'
    >>> slugify("Santa Inés de Guaracá")
    'santa-ines-de-guaraca'
    """
    return _NOT_SLUG.sub("-", fold_accents(text).lower()).strip("-")
