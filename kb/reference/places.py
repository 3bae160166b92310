"""Curated places (`data/reference/places.toml`): countries, regions, cities."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from kb.errors import ReferenceDataError
from kb.model import PlaceKind
from kb.text import slugify


@dataclass(frozen=True, slots=True)
class Place:
    slug: str
    kind: PlaceKind
    labels: dict[str, str]  # language tag -> label
    within: str | None = None  # slug of the enclosing place
    iso3166: str | None = None
    latitude: float | None = None
    longitude: float | None = None

    def label(self, language: str = "en") -> str:
        return (
            self.labels.get(language) or self.labels.get("en") or next(iter(self.labels.values()))
        )


@dataclass(frozen=True, slots=True)
class Places:
    """All curated places by slug, with look-ups the builder needs."""

    places: dict[str, Place]

    def country_of(self, slug: str) -> Place | None:
        """The country that contains a place (itself for a country)."""
        seen: set[str] = set()
        place = self.places.get(slug)
        while place is not None and place.slug not in seen:
            if place.kind is PlaceKind.COUNTRY:
                return place
            seen.add(place.slug)
            place = self.places.get(place.within) if place.within else None
        return None

    def find(self, name: str) -> Place | None:
        """A place whose slug or any label slugs to the same as `name`."""
        wanted = slugify(name)
        if wanted in self.places:
            return self.places[wanted]
        for place in self.places.values():
            if any(slugify(label) == wanted for label in place.labels.values()):
                return place
        return None


def load_places(path: Path) -> Places:
    """Read and check `places.toml`; errors name the file and the entry."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ReferenceDataError(f"cannot read places: {exc}", path=path) from exc
    places: dict[str, Place] = {}
    for index, entry in enumerate(raw.get("place", []), start=1):
        where = f"[[place]] #{index}"
        try:
            slug = str(entry["slug"])
            kind = PlaceKind(entry["kind"])
            labels = {str(k): str(v) for k, v in dict(entry["labels"]).items()}
        except (KeyError, ValueError, TypeError) as exc:
            raise ReferenceDataError(
                f"{where}: needs slug, kind (country|region|city) and labels ({exc})", path=path
            ) from exc
        if slug != slugify(slug) or not labels:
            raise ReferenceDataError(f"{where}: bad slug {slug!r} or no labels", path=path)
        if slug in places:
            raise ReferenceDataError(f"{where}: duplicate slug {slug!r}", path=path)
        places[slug] = Place(
            slug=slug,
            kind=kind,
            labels=labels,
            within=entry.get("within"),
            iso3166=entry.get("iso3166"),
            latitude=entry.get("latitude"),
            longitude=entry.get("longitude"),
        )
    for place in places.values():
        if place.within is not None and place.within not in places:
            raise ReferenceDataError(
                f"place {place.slug!r}: 'within' names unknown place {place.within!r}", path=path
            )
    return Places(places)
