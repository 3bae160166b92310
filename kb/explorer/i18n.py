"""The explorer's languages: English and Spanish page words; data labels in any ontology language.

The language is `?lang=` when given, else the best `Accept-Language` match
(`kb.linkeddata.i18n.choose_language`, shared with the linked-data pages).
The page chrome exists in English and Spanish; labels of vocabulary terms
follow the chosen language (the ontology also has French and Portuguese).
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

from kb.linkeddata.i18n import choose_language

UI_LANGUAGES = ("en", "es")
LANGUAGE_NAMES = {"en": "English", "es": "Español"}


@cache
def messages() -> dict[str, dict[str, str]]:
    path = Path(__file__).with_name("messages.toml")
    return tomllib.loads(path.read_text(encoding="utf-8"))


def page_language(explicit: str | None, accept_language: str | None) -> str:
    """The language of labels (en/es/fr/pt); the page words fall back to English."""
    return choose_language(explicit, accept_language)


class Words:
    """`words("showing", first=1, last=50, total=62)` in the page's language."""

    def __init__(self, lang: str) -> None:
        self.lang = lang if lang in UI_LANGUAGES else "en"
        self._table = messages()[self.lang]

    def __call__(self, key: str, **values: object) -> str:
        if values.get("n") == 1 and f"{key}_one" in self._table:
            key = f"{key}_one"  # the singular, where the language needs one
        text = self._table.get(key) or messages()["en"][key]
        return text.format(**values) if values else text
