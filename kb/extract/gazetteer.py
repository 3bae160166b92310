"""Curated institutions (`data/reference/institutions.toml`): real, well-known bodies.

The gazetteer is reference data stated as fact: canonical labels, variants in
several languages, acronyms, type, parent, jurisdiction. The extractor uses it to
recognise and identify bodies; the builder turns its entries into the reference
graph. Everything else the extractor finds is minted by rules (`curated=False`).

Slug scheme (the extractor mints new bodies the same way, so a body that is later
added here keeps its IRI):

- international bodies: `slugify(English label)` — "international-organization-for-migration";
- bodies of a place: `{place slug}--{name slug}`, the name without the place
  qualifier and without "municipal"/"local" adjectives — "bucaramanga--personeria",
  "colombia--defensoria-del-pueblo"; a city's executive is `{city}--municipal-government`.

`slugify` never emits "--", so the double hyphen cannot collide with a name.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kb.errors import ReferenceDataError
from kb.extract.rules import INSTITUTION_TYPES, RULES_FILE, SCOPES
from kb.extract.tokens import fold

_SLUG = re.compile(r"^[a-z0-9]+(?:-{1,2}[a-z0-9]+)*$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]+)*$")


@dataclass(frozen=True, slots=True)
class Label:
    """A name with its language tag (None for language-neutral forms)."""

    text: str
    language: str | None = None


@dataclass(frozen=True, slots=True)
class GazetteerEntry:
    """One curated institution.

    `alt_labels` holds every other name the builder should publish as
    `skos:altLabel`: variants and translations *and* the acronyms; `acronyms` lists
    the acronym strings again, because the extractor matches them case-sensitively.
    """

    slug: str
    label: str
    label_language: str
    institution_type: str
    alt_labels: tuple[Label, ...] = ()
    acronyms: tuple[str, ...] = ()
    parent: str | None = None
    jurisdiction: str | None = None  # place slug; None for international bodies
    scope: str | None = None  # municipal | regional | national | international
    country: str | None = None  # country place slug (None for international bodies)
    needs_country: bool = False  # the name is also used in other countries
    note: str | None = None

    @property
    def names(self) -> tuple[str, ...]:
        """Label and every non-acronym alternative label."""
        acronyms = set(self.acronyms)
        return (self.label, *(a.text for a in self.alt_labels if a.text not in acronyms))


@dataclass(frozen=True, slots=True)
class Gazetteer:
    """All curated institutions, in file order, with look-ups by slug."""

    entries: tuple[GazetteerEntry, ...] = ()
    path: str = ""
    _by_slug: Mapping[str, GazetteerEntry] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        if not self._by_slug:
            object.__setattr__(self, "_by_slug", {e.slug: e for e in self.entries})

    def __iter__(self) -> Iterator[GazetteerEntry]:
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    def __contains__(self, slug: object) -> bool:
        return slug in self._by_slug

    def get(self, slug: str) -> GazetteerEntry | None:
        return self._by_slug.get(slug)

    def ancestors(self, slug: str) -> list[GazetteerEntry]:
        """Parent, grandparent, … of an entry (validated to be acyclic)."""
        chain = []
        entry = self._by_slug.get(slug)
        while entry is not None and entry.parent:
            entry = self._by_slug.get(entry.parent)
            if entry is not None:
                chain.append(entry)
        return chain

    @property
    def rules_path(self) -> Path | None:
        """The extraction rule tables kept beside the gazetteer file, if any."""
        if not self.path:
            return None
        candidate = Path(self.path).parent / RULES_FILE
        return candidate if candidate.is_file() else None


def _labels(raw: Any, where: str, path: Path) -> list[Label]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise ReferenceDataError(f"{where}: expected a list", path=path)
    labels: list[Label] = []
    for item in raw:
        if isinstance(item, str):
            labels.append(Label(item.strip(), None))
            continue
        if not isinstance(item, dict) or not isinstance(item.get("text"), str):
            raise ReferenceDataError(
                f"{where}: each entry is a string or {{ text = …, language(s) = … }}", path=path
            )
        languages = item.get("languages") or [item.get("language")]
        for language in languages:
            if language is not None and not _LANGUAGE.match(str(language)):
                raise ReferenceDataError(f"{where}: bad language tag {language!r}", path=path)
            labels.append(Label(item["text"].strip(), language))
    if any(not label.text for label in labels):
        raise ReferenceDataError(f"{where}: empty label", path=path)
    return labels


def _entry(raw: Mapping[str, Any], where: str, path: Path) -> GazetteerEntry:
    def text(key: str, *, required: bool = False) -> str | None:
        value = raw.get(key)
        if value is None or value == "":
            if required:
                raise ReferenceDataError(f"{where}: missing {key!r}", path=path)
            return None
        if not isinstance(value, str):
            raise ReferenceDataError(f"{where}: {key!r} must be a string", path=path)
        return value.strip()

    slug = text("slug", required=True) or ""
    where = f"{where} ({slug})"
    if not _SLUG.match(slug):
        raise ReferenceDataError(
            f"{where}: slug must be lower-case ASCII words joined by - or --", path=path
        )
    type_code = text("type", required=True) or ""
    if type_code not in INSTITUTION_TYPES:
        raise ReferenceDataError(f"{where}: unknown institution type {type_code!r}", path=path)
    scope = text("scope")
    if scope is not None and scope not in SCOPES:
        raise ReferenceDataError(f"{where}: scope must be one of {', '.join(SCOPES)}", path=path)
    label_language = text("label_language", required=True) or ""
    if not _LANGUAGE.match(label_language):
        raise ReferenceDataError(f"{where}: bad label_language {label_language!r}", path=path)
    acronym_labels = _labels(raw.get("acronyms"), f"{where} acronyms", path)
    alt_labels = _labels(raw.get("alt_labels"), f"{where} alt_labels", path)
    acronyms = tuple(dict.fromkeys(a.text for a in acronym_labels))
    jurisdiction = text("jurisdiction")
    country = text("country") or (jurisdiction if scope == "national" else None)
    for value, key in ((jurisdiction, "jurisdiction"), (country, "country")):
        if value is not None and not _SLUG.match(value):
            raise ReferenceDataError(f"{where}: {key} must be a place slug", path=path)
    needs_country = raw.get("needs_country", False)
    if not isinstance(needs_country, bool):
        raise ReferenceDataError(f"{where}: needs_country must be true or false", path=path)
    if needs_country and country is None:
        raise ReferenceDataError(f"{where}: needs_country without a country", path=path)
    return GazetteerEntry(
        slug=slug,
        label=text("label", required=True) or "",
        label_language=label_language,
        institution_type=type_code,
        alt_labels=tuple(dict.fromkeys([*alt_labels, *acronym_labels])),
        acronyms=acronyms,
        parent=text("parent"),
        jurisdiction=jurisdiction,
        scope=scope,
        country=country,
        needs_country=needs_country,
        note=text("note"),
    )


def _check(entries: list[GazetteerEntry], path: Path) -> None:
    by_slug: dict[str, GazetteerEntry] = {}
    for entry in entries:
        if entry.slug in by_slug:
            raise ReferenceDataError(f"[[institution]] {entry.slug!r}: duplicate slug", path=path)
        by_slug[entry.slug] = entry
    for entry in entries:
        if entry.parent is not None and entry.parent not in by_slug:
            raise ReferenceDataError(
                f"[[institution]] {entry.slug!r}: parent {entry.parent!r} is not in the gazetteer",
                path=path,
            )
        seen = {entry.slug}
        parent = entry.parent
        while parent is not None:
            if parent in seen:
                raise ReferenceDataError(
                    f"[[institution]] {entry.slug!r}: parent cycle through {parent!r}", path=path
                )
            seen.add(parent)
            parent = by_slug[parent].parent
    # Two entries may share a name only when each is bound to its own country.
    owners: dict[str, GazetteerEntry] = {}
    for entry in entries:
        for name in {*entry.names, *entry.acronyms}:
            key = fold(name)
            other = owners.get(key)
            if other is not None and other.slug != entry.slug:
                shared = (
                    other.needs_country and entry.needs_country and other.country != entry.country
                )
                if not shared:
                    raise ReferenceDataError(
                        f"[[institution]] {entry.slug!r}: name {name!r} also names {other.slug!r}",
                        path=path,
                    )
            owners[key] = entry


def load_gazetteer(path: Path) -> Gazetteer:
    """Read and check `institutions.toml`.

    Raises `ReferenceDataError` naming the file and the entry when a slug repeats,
    a type code is unknown, a parent is missing or parents form a cycle.
    """
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ReferenceDataError(f"cannot read gazetteer: {exc}", path=path) from exc
    items = raw.get("institution", [])
    if not isinstance(items, list):
        raise ReferenceDataError("[[institution]] must be an array of tables", path=path)
    entries = [
        _entry(item, f"[[institution]] #{index}", path) for index, item in enumerate(items, start=1)
    ]
    _check(entries, path)
    return Gazetteer(tuple(entries), str(path))
