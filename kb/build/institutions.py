"""Curated reference data -> RDF: gazetteer institutions and dataset metadata."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from rdflib import RDF, RDFS, SKOS, Graph, Literal

from kb.build.profile_graph import concept_local_name
from kb.errors import ReferenceDataError
from kb.extract.gazetteer import Gazetteer
from kb.iris import Iris
from kb.namespaces import MGI, ORG


@dataclass(frozen=True, slots=True)
class DatasetInfo:
    """`data/reference/dataset.toml`: how the dataset describes itself."""

    title: dict[str, str]
    description: dict[str, str]
    license: str
    profile_publisher: str | None
    creator: str
    homepage: str | None = None


def load_dataset_info(path: Path, gazetteer: Gazetteer) -> DatasetInfo:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
        info = DatasetInfo(
            title=dict(raw["title"]),
            description=dict(raw["description"]),
            license=str(raw["license"]),
            profile_publisher=raw.get("profile_publisher"),
            creator=str(raw["creator"]),
            homepage=raw.get("homepage"),
        )
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ReferenceDataError(f"cannot read dataset metadata: {exc}", path=path) from exc
    except (KeyError, TypeError, ValueError) as exc:
        raise ReferenceDataError(
            f"needs title, description, license and creator ({exc})", path=path
        ) from exc
    if info.profile_publisher and info.profile_publisher not in gazetteer:
        raise ReferenceDataError(
            f"profile_publisher {info.profile_publisher!r} is not a gazetteer slug", path=path
        )
    return info


def build_institutions_graph(gazetteer: Gazetteer, *, iris: Iris) -> Graph:
    """Every curated institution with its labels, type, parent and jurisdiction."""
    g = Graph()
    for entry in gazetteer:
        o = iris.org(entry.slug)
        g.add((o, RDF.type, ORG.Organization))
        g.add((o, RDFS.label, Literal(entry.label, lang=entry.label_language)))
        g.add((o, SKOS.prefLabel, Literal(entry.label, lang=entry.label_language)))
        for alt in entry.alt_labels:
            if alt.text != entry.label:
                g.add((o, SKOS.altLabel, Literal(alt.text, lang=alt.language)))
        g.add((o, ORG.classification, MGI[concept_local_name(entry.institution_type)]))
        g.add((o, MGI.curated, Literal(True)))
        if entry.parent:
            g.add((o, ORG.subOrganizationOf, iris.org(entry.parent)))
        if entry.jurisdiction:
            g.add((o, MGI.jurisdiction, iris.place(entry.jurisdiction)))
        if entry.note:
            g.add((o, SKOS.scopeNote, Literal(entry.note, lang="en")))
    return g
