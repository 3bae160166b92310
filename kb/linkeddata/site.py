"""The linked-data site of one build: every document, in every representation.

`Site` answers "the document at this path, in this format, in this language"
with bytes. The web routes call it per request (in a thread); `kb publish`
calls it for every document to write a static copy. Both hand it a `Linker`,
which is the only thing that differs between the two.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kb.errors import ResourceNotFoundError, StoreUnavailableError
from kb.linkeddata import queries
from kb.linkeddata.describe import PageOutOfRangeError, about, describe, exists
from kb.linkeddata.formats import ALL_FORMATS, DocFormat
from kb.linkeddata.i18n import LANGUAGE_NAMES, LANGUAGES, pick, ui
from kb.linkeddata.paths import IriSpace, Linker, Target, explorer_path
from kb.linkeddata.rdf import document_metadata, serialize
from kb.linkeddata.render import Chrome, Licence, alternates_for, chrome, licence_of, render
from kb.linkeddata.views import Labeller, LinkView, PagerView, resource_view
from kb.linkeddata.vocabulary import Vocabulary
from kb.namespaces import (
    ALL_PREFIXES,
    DCTERMS,
    FOAF,
    MGI,
    ONTOLOGY_IRI,
    ORG,
    OWL,
    RDFS,
    SCHEMA,
    SD,
    SPDX,
    curie,
    expand_curie,
)
from kb.publication.counts import DatasetStatistics, count_in_store
from kb.publication.link_index import IncomingIndex
from kb.rdf.graph import TripleIndex
from kb.settings import Settings
from kb.sparql.binding import is_iri, named_node
from kb.store import OxigraphStore, StoreLayout, open_store
from kb.store.layout import (
    CATALOG_FILE,
    CHECKSUMS_FILE,
    DATASET_FILE,
    DUMPS_DIR,
    STATISTICS_FILE,
    STORE_DIR,
)

DCAT = "http://www.w3.org/ns/dcat#"
VOID = "http://rdfs.org/ns/void#"
PROV = "http://www.w3.org/ns/prov#"
LIST_PAGE_SIZE = 100
HOME_PROFILES = 20

# The list pages: site path -> (UI word, classes listed).
LISTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "profiles": ("profiles", (str(MGI.Profile),)),
    "institutions": ("institutions", (str(ORG.Organization),)),
    "instruments": ("instruments", (str(MGI.PolicyInstrument),)),
    "places": (
        "places",
        (str(SCHEMA.City), str(SCHEMA.AdministrativeArea), str(SCHEMA.Country)),
    ),
}


class NotFoundError(ResourceNotFoundError):
    """No document at this path (the route answers 404 with a helpful page)."""


@dataclass(frozen=True, slots=True)
class LookupResult:
    """Where `/resource?iri=` sends the reader: a site path and a fragment."""

    path: str
    fragment: str
    iri: str


def _size(n: int) -> str:
    for unit in ("B", "kB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024  # type: ignore[assignment]
    return str(n)


class Site:
    def __init__(
        self,
        *,
        base: str,
        store: Any,
        index: IncomingIndex,
        vocabulary: Vocabulary,
        catalog: list[ox.Triple],
        statistics: DatasetStatistics,
        version: str,
        modified: datetime,
        build_dir: Path | None = None,
        formats: tuple[DocFormat, ...] = ALL_FORMATS,
        languages: tuple[str, ...] = LANGUAGES,
    ) -> None:
        self.space = IriSpace(base)
        self.base = base
        self.store = store
        self.index = index
        self.vocabulary = vocabulary
        self.catalog_triples = catalog
        self.catalog = TripleIndex(catalog)
        self.statistics = statistics
        self.version = version
        self.modified = modified
        self.build_dir = build_dir
        self.formats = formats
        self.languages = languages
        """The page languages on offer (a static export may write fewer)."""
        licence = self.catalog.value(self.dataset_iri, DCTERMS + "license")
        self.licence = licence_of(licence.value if isinstance(licence, ox.NamedNode) else None)

    # --- opening ------------------------------------------------------------------------
    @classmethod
    def open(cls, settings: Settings) -> Site:
        """The site of the published knowledge graph (read-only, opened once).

        The embedded store's current build, or the external SPARQL store when
        one is configured; either way the build directory's side files
        (catalogue, statistics, link counts, dumps) are used when present.
        """
        layout = StoreLayout(settings.store)
        if settings.sparql_endpoint:
            try:
                build_dir: Path | None = layout.current_build()
            except StoreUnavailableError:
                build_dir = None  # a server without the build: counts are made from the store
            return cls.for_store(open_store(settings), base=settings.base_iri, build_dir=build_dir)
        build_dir = layout.current_build()
        store = OxigraphStore.open_read_only(build_dir / STORE_DIR, version=build_dir.name)
        return cls.for_store(store, base=settings.base_iri, build_dir=build_dir)

    @classmethod
    def for_version(cls, settings: Settings, build_dir: Path | None) -> Site:
        """The site of one served dataset version: its build directory, or the
        external store (build_dir None) as `open` finds it."""
        if build_dir is None:
            return cls.open(settings)
        return cls.for_build(build_dir, base=settings.base_iri)

    @classmethod
    def for_build(cls, build_dir: Path, *, base: str) -> Site:
        store = OxigraphStore.open_read_only(build_dir / STORE_DIR, version=build_dir.name)
        return cls.for_store(store, base=base, build_dir=build_dir)

    @classmethod
    def for_store(cls, store: Any, *, base: str, build_dir: Path | None) -> Site:
        ontology = store.query(
            queries.GRAPH_TRIPLES, substitutions={"graph": ox.NamedNode(str(ONTOLOGY_IRI))}
        )
        side = build_dir or Path("/nonexistent")
        catalog_file = side / CATALOG_FILE
        catalog = (
            list(ox.parse(path=str(catalog_file), format=ox.RdfFormat.TURTLE))
            if catalog_file.is_file()
            else []
        )
        stats_file = side / STATISTICS_FILE
        statistics = (
            DatasetStatistics.load(stats_file) if stats_file.is_file() else count_in_store(store)
        )
        dataset = side / DATASET_FILE
        modified = (
            datetime.fromtimestamp(dataset.stat().st_mtime, tz=UTC)
            if dataset.is_file()
            else datetime.now(UTC)
        )
        index = (
            IncomingIndex.for_build(build_dir, store, base=base)
            if build_dir is not None
            else IncomingIndex.counted(store, base=base)
        )
        return cls(
            base=base,
            store=store,
            index=index,
            vocabulary=Vocabulary(ontology),
            catalog=[t.triple if isinstance(t, ox.Quad) else t for t in catalog],
            statistics=statistics,
            version=getattr(store, "version", "") or (build_dir.name if build_dir else ""),
            modified=modified,
            build_dir=build_dir,
        )

    # --- facts -----------------------------------------------------------------------------
    @property
    def dataset_iri(self) -> str:
        return self.base + "dataset"

    @property
    def catalog_iri(self) -> str:
        return self.base + "catalog"

    def exists(self, iri: str) -> bool:
        return exists(self.store, iri)

    def resources(self) -> list[str]:
        """Every IRI that has its own document (`id/…`, without fragment)."""
        rows = self.store.query(
            queries.DOCUMENTED_RESOURCES, substitutions={"prefix": ox.Literal(self.base + "id/")}
        )
        return [row["s"].value for row in rows]

    def dump_file(self, name: str) -> Path | None:
        """A file under the build's dumps/, None when there is no such file."""
        if self.build_dir is None or ".." in name.split("/") or name.startswith("/"):
            return None
        path = self.build_dir / DUMPS_DIR / name
        return path if path.is_file() else None

    def dump_names(self) -> list[str]:
        if self.build_dir is None or not (self.build_dir / DUMPS_DIR).is_dir():
            return []
        root = self.build_dir / DUMPS_DIR
        return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())

    def _chrome(
        self,
        linker: Linker,
        lang: str,
        here: Target,
        *,
        section: str | None = None,
        formats: tuple[DocFormat, ...] = (),
    ) -> Chrome:
        alternates = alternates_for(linker, here, formats) if formats else []
        return chrome(
            linker=linker,
            lang=lang,
            here=here,
            licence=self.licence,
            version=self.version,
            alternates=alternates,
            section=section,
            languages=self.languages,
        )

    @property
    def rdf_formats(self) -> tuple[DocFormat, ...]:
        return tuple(f for f in self.formats if f.is_rdf)

    # --- resource documents ------------------------------------------------------------
    def paged_property(self, value: str | None) -> str | None:
        """`?in=mgi:mentions` (or a full IRI) -> the property IRI."""
        if not value:
            return None
        return expand_curie(value) or value

    def resource_document(
        self,
        doc_path: str,
        fmt: DocFormat,
        *,
        lang: str,
        linker: Linker,
        paged_property: str | None = None,
        page: int = 1,
    ) -> bytes:
        """The document `doc/…` in `fmt`; `NotFoundError` when it describes nothing."""
        iri = self.space.resource_of_document(doc_path)
        if iri is None or not is_iri(iri):
            raise NotFoundError(doc_path)
        try:
            description = describe(
                self.store,
                self.index,
                iri,
                paged_property=paged_property,
                page=page,
                base=self.base,
            )
        except PageOutOfRangeError as exc:
            raise NotFoundError(str(exc)) from exc
        if description is None:
            raise NotFoundError(iri)
        doc_iri = self.space.document_iri(doc_path)
        if fmt.is_rdf:
            metadata = document_metadata(
                description,
                doc_iri=doc_iri,
                licence=self.licence.href if self.licence else None,
                dataset_iri=self.dataset_iri,
            )
            return serialize([*description.triples, *metadata], fmt, first=iri)
        query: tuple[tuple[str, str], ...] = ()
        if paged_property and page > 1:
            query = (("in", curie(paged_property) or paged_property), ("page", str(page)))
        here = Target(doc_path, query=query)

        def page_url(prop: str, number: int) -> str:
            if number <= 1:
                return linker.url(Target(doc_path))
            name = curie(prop) or prop
            return linker.url(Target(doc_path, query=(("in", name), ("page", str(number)))))

        view = resource_view(
            description,
            vocabulary=self.vocabulary,
            space=self.space,
            linker=linker,
            lang=lang,
            page_url=page_url,
        )
        explorer = explorer_path("id/" + doc_path.removeprefix("doc/"))
        view.explorer = linker.live(explorer) if explorer else None
        section = {
            "profile": "profiles",
            "org": "institutions",
            "instrument": "instruments",
            "place": "places",
        }.get(view.kind)
        frame = self._chrome(linker, lang, here, section=section, formats=self.rdf_formats)
        return render("resource.html", chrome=frame, view=view, jsonld=view.schema)

    # --- the ontology -------------------------------------------------------------------
    def ontology_document(self, fmt: DocFormat, *, lang: str, linker: Linker) -> bytes:
        vocabulary = self.vocabulary
        if fmt.is_rdf:
            return serialize(vocabulary.graph, fmt, first=str(ONTOLOGY_IRI))
        labeller = Labeller(vocabulary.graph, vocabulary, self.space, linker, lang)
        g = vocabulary.graph
        iri = str(ONTOLOGY_IRI)
        title = g.texts(iri, DCTERMS + "title", RDFS + "label")
        description = g.texts(iri, DCTERMS + "description")
        version = g.value(iri, OWL + "versionInfo")
        modified = g.value(iri, DCTERMS + "modified")
        licence = g.iris(iri, DCTERMS + "license")

        def term(doc: Any) -> dict[str, Any]:
            comment = pick(doc.comments or doc.definitions, lang)
            comment_lang = next(
                (k for k, v in {**doc.definitions, **doc.comments}.items() if v == comment), None
            )
            links = [
                (vocabulary.label(p, lang), [labeller.link(t) for t in targets])
                for p, targets in doc.links.items()
            ]
            return {
                "iri": doc.iri,
                "local": doc.local,
                "curie": curie(doc.iri) or doc.iri,
                "label": pick(doc.labels, lang) or doc.local,
                "labels": sorted(doc.labels.items(), key=lambda kv: _lang_order(kv[0])),
                "by_lang": doc.labels,
                "comment": comment,
                "comment_lang": comment_lang or None,
                "notation": doc.notation,
                "links": links,
            }

        onto = {
            "iri": iri,
            "title": pick(title, lang) or iri,
            "title_lang": _tag(title, pick(title, lang)),
            "description": pick(description, lang),
            "description_lang": _tag(description, pick(description, lang)),
            "namespace": str(MGI),
            "prefix": "mgi",
            "version": version.value if version is not None else None,
            "modified": modified.value if modified is not None else None,
            "licence": _licence_link(licence[0]) if licence else None,
            "classes": [term(t) for t in vocabulary.classes()],
            "object_properties": [term(t) for t in vocabulary.object_properties()],
            "datatype_properties": [term(t) for t in vocabulary.datatype_properties()],
            "schemes": [
                {"term": term(s.scheme), "concepts": [term(c) for c in s.concepts]}
                for s in vocabulary.schemes()
            ],
            "languages": LANGUAGES,
            "language_names": LANGUAGE_NAMES,
        }
        frame = self._chrome(linker, lang, Target("def"), section="def", formats=self.rdf_formats)
        schema = {
            "@context": "https://schema.org",
            "@type": "DefinedTermSet",
            "@id": iri,
            "name": onto["title"],
            "description": onto["description"],
            "license": licence[0] if licence else None,
        }
        return render("ontology.html", chrome=frame, onto=onto, jsonld=schema)

    # --- the catalogue ------------------------------------------------------------------
    def catalog_document(self, fmt: DocFormat, *, lang: str, linker: Linker) -> bytes:
        if fmt.is_rdf:
            return serialize(self.catalog, fmt, first=self.dataset_iri)
        g = self.catalog
        dataset = self.dataset_iri
        labeller = Labeller(g, self.vocabulary, self.space, linker, lang)
        title = g.texts(dataset, DCTERMS + "title")
        description = g.texts(dataset, DCTERMS + "description")
        publisher = g.iris(dataset, DCTERMS + "publisher")
        whole, per_profile = [], []
        for node in sorted(g.iris(dataset, DCAT + "distribution")):
            url = g.iris(node, DCAT + "downloadURL")
            media = g.iris(node, DCAT + "mediaType")
            size = g.value(node, DCAT + "byteSize")
            checksum = g.iris(node, SPDX + "checksum")
            sha = g.value(checksum[0], SPDX + "checksumValue") if checksum else None
            if not url:
                continue
            name = url[0].removeprefix(self.base + DUMPS_DIR + "/")
            row = {
                "anchor": node.partition("#")[2],
                "name": name,
                "href": linker.url(Target(f"{DUMPS_DIR}/{name}")),
                "media_type": media[0].rpartition("media-types/")[2] if media else "",
                "size": _size(int(size.value)) if size is not None else "",
                "sha256": sha.value if sha is not None else "",
            }
            (per_profile if "/" in name else whole).append(row)
        words = ui(lang)
        graphs = []
        for node in sorted(g.iris(dataset, VOID + "subset")):
            names = g.iris(node, SD + "name")
            count = g.value(node, VOID + "triples")
            title_node = g.texts(node, DCTERMS + "title")
            if names:
                graphs.append(
                    (
                        node.partition("#")[2],
                        pick(title_node, lang) or names[0],
                        labeller.link(names[0]),
                        count.value if count is not None else "",
                    )
                )
        sources = []
        for profile in sorted(g.iris(dataset, PROV + "wasDerivedFrom")):
            text = f"{self.catalog_iri}#source-{profile.rpartition('/')[2]}"
            source = g.value(text, DCTERMS + "title")
            checksum = g.iris(text, SPDX + "checksum")
            sha = g.value(checksum[0], SPDX + "checksumValue") if checksum else None
            sources.append(
                (
                    labeller.link(profile),
                    source.value if source is not None else "",
                    sha.value if sha is not None else "",
                )
            )
        licence = g.iris(dataset, DCTERMS + "license")
        issued = g.value(dataset, DCTERMS + "issued")
        triples = g.value(dataset, VOID + "triples")
        cat = {
            "iri": dataset,
            "title": pick(title, lang) or words["dataset"],
            "title_lang": _tag(title, pick(title, lang)),
            "description": pick(description, lang),
            "description_lang": _tag(description, pick(description, lang)),
            "licence": _licence_link(licence[0]) if licence else None,
            "publisher": (pick(g.texts(publisher[0], FOAF + "name"), lang) if publisher else None),
            "issued": issued.value if issued is not None else None,
            "modified": self.modified.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "version": self.version,
            "triples": triples.value if triples is not None else self.statistics.triples,
            "sparql_iri": self.base + "sparql",
            "void": linker.url(Target(".well-known/void")),
            "checksums": linker.url(Target(f"{DUMPS_DIR}/{CHECKSUMS_FILE}")),
            "tables": [
                t
                for t in ((words["whole_dataset"], whole), (words["per_profile"], per_profile))
                if t[1]
            ],
            "sources": sources,
            "graphs": graphs,
        }
        frame = self._chrome(
            linker, lang, Target("catalog"), section="catalog", formats=self.rdf_formats
        )
        return render("catalog.html", chrome=frame, cat=cat, jsonld=self._dataset_schema(lang))

    def _dataset_schema(self, lang: str) -> dict[str, Any]:
        """schema:Dataset, as search engines read it, from the DCAT catalogue."""
        g = self.catalog
        dataset = self.dataset_iri
        node: dict[str, Any] = {
            "@context": "https://schema.org",
            "@type": "Dataset",
            "@id": dataset,
            "url": self.base,
            "name": pick(g.texts(dataset, DCTERMS + "title"), lang) or ui(lang)["site_name"],
        }
        description = pick(g.texts(dataset, DCTERMS + "description"), lang)
        if description:
            node["description"] = description
        licence = g.iris(dataset, DCTERMS + "license")
        if licence:
            node["license"] = licence[0]
        publisher = g.iris(dataset, DCTERMS + "publisher")
        if publisher:
            name = pick(g.texts(publisher[0], FOAF + "name"), lang)
            node["creator"] = {"@type": "Organization", "name": name}
        modified = g.value(dataset, DCTERMS + "modified")
        if modified is not None:
            node["dateModified"] = modified.value
        keywords = sorted(g.texts(dataset, DCAT + "keyword").values())
        if keywords:
            node["keywords"] = [v.value for v in g.objects(dataset, DCAT + "keyword")]
        node["isBasedOn"] = sorted(g.iris(dataset, PROV + "wasDerivedFrom"))
        node["distribution"] = [
            {
                "@type": "DataDownload",
                "contentUrl": url,
                "encodingFormat": (g.iris(d, DCAT + "mediaType") or [""])[0].rpartition(
                    "media-types/"
                )[2],
            }
            for d in sorted(g.iris(dataset, DCAT + "distribution"))
            for url in g.iris(d, DCAT + "downloadURL")
        ]
        node["includedInDataCatalog"] = {"@type": "DataCatalog", "@id": self.catalog_iri}
        return node

    # --- home, lists, lookup, errors -----------------------------------------------------
    def home_document(self, *, lang: str, linker: Linker) -> bytes:
        words = ui(lang)
        stats = self.statistics
        g = self.catalog
        title = g.texts(self.dataset_iri, DCTERMS + "title")
        description = g.texts(self.dataset_iri, DCTERMS + "description")
        numbers = [
            (stats.class_count(str(MGI.Profile)), words["numbers_profiles"], "profiles"),
            (stats.class_count(str(MGI.Finding)), words["numbers_findings"], None),
            (
                stats.class_count(str(ORG.Organization)),
                words["numbers_institutions"],
                "institutions",
            ),
            (
                stats.class_count(str(MGI.PolicyInstrument)),
                words["numbers_instruments"],
                "instruments",
            ),
            (
                sum(stats.class_count(c) for c in LISTS["places"][1]),
                words["numbers_places"],
                "places",
            ),
            (stats.triples, words["numbers_triples"], "catalog"),
        ]
        items, total = self._members(LISTS["profiles"][1], page=1, size=HOME_PROFILES)
        labeller = Labeller(TripleIndex(items), self.vocabulary, self.space, linker, lang)
        profiles = [labeller.link(s) for s in _subjects(items)]
        downloads = [
            (name, linker.url(Target(f"{DUMPS_DIR}/{name}")))
            for name in self.dump_names()
            if name.startswith("mgi.")
        ]
        example = next(iter(_subjects(items)), self.base + "id/")
        home = {
            "title": pick(title, lang) or words["site_name"],
            "title_lang": _tag(title, pick(title, lang)),
            "description": pick(description, lang) or words["home_intro"],
            "description_lang": _tag(description, pick(description, lang)),
            "numbers": [
                (n, label, linker.url(Target(path)) if path else None) for n, label, path in numbers
            ],
            "profiles": profiles,
            "more_profiles": linker.url(Target("profiles")) if total > len(profiles) else None,
            "lookup": None if linker.static else linker.url(Target("resource")),
            "example_iri": example,
            "downloads": downloads,
        }
        frame = self._chrome(linker, lang, Target(""))
        return render("home.html", chrome=frame, home=home, jsonld=self._dataset_schema(lang))

    def _members(
        self, classes: tuple[str, ...], *, page: int, size: int
    ) -> tuple[list[ox.Triple], int]:
        """One page of the members of `classes` (label and type triples) and their number."""
        terms = [named_node(c) for c in classes]
        count_query = queries.MEMBERS_COUNT.bind(classes=terms)
        total = int(next(iter(self.store.query(count_query)))["n"].value)
        page_query = queries.MEMBERS_PAGE.bind(classes=terms, limit=size, offset=(page - 1) * size)
        subjects = [row["s"].value for row in self.store.query(page_query)]
        triples = about(self.store, subjects)
        order = {s: i for i, s in enumerate(subjects)}
        return sorted(triples, key=lambda t: order.get(t.subject.value, 0)), total  # type: ignore[union-attr]

    def list_document(self, name: str, *, page: int, lang: str, linker: Linker) -> bytes:
        if name not in LISTS:
            raise NotFoundError(name)
        key, classes = LISTS[name]
        words = ui(lang)
        triples, total = self._members(classes, page=page, size=LIST_PAGE_SIZE)
        pages = max(1, math.ceil(total / LIST_PAGE_SIZE))
        if page < 1 or page > pages:
            raise NotFoundError(f"{name} page {page}")
        graph = TripleIndex(triples)
        labeller = Labeller(graph, self.vocabulary, self.space, linker, lang)
        items = []
        for subject in _subjects(triples):
            kinds = [self.vocabulary.label(t, lang) for t in graph.types(subject)]
            items.append((labeller.link(subject), ", ".join(sorted(set(kinds)))))

        def url(n: int) -> str:
            return linker.url(Target(name, query=(("page", str(n)),) if n > 1 else ()))

        pager = None
        if pages > 1:
            numbers = sorted({1, *range(max(1, page - 3), min(pages, page + 3) + 1), pages})
            pager = PagerView(
                page,
                pages,
                url(page - 1) if page > 1 else None,
                url(page + 1) if page < pages else None,
                [(n, None if n == page else url(n)) for n in numbers],
            )
        here = Target(name, query=(("page", str(page)),) if page > 1 else ())
        frame = self._chrome(linker, lang, here, section=name)
        listing = {"title": words[key], "total": total, "entries": items, "pager": pager}
        return render("list.html", chrome=frame, listing=listing)

    def lookup_document(self, *, lang: str, linker: Linker, value: str = "") -> bytes:
        frame = self._chrome(linker, lang, Target("resource"), section="resource")
        lookup = {
            "action": linker.url(Target("resource")),
            "value": value,
            "example": self.base + "id/",
        }
        return render("lookup.html", chrome=frame, lookup=lookup)

    def resolve(self, text: str, *, site_root: str | None = None) -> LookupResult | None:
        """An IRI (or this site's URL of one, or a compact IRI) -> where its page is.

        None when it is not an IRI this knowledge graph describes.
        """
        value = text.strip().removeprefix("<").removesuffix(">").strip()
        expanded = expand_curie(value, {**ALL_PREFIXES, "mgi": str(MGI)})
        if expanded and not value.startswith(("http://", "https://")):
            value = expanded
        if site_root and value.startswith(site_root):
            rest = value[len(site_root) :].lstrip("/")
            if rest.startswith("doc/"):
                rest = "id/" + rest[4:]
            value = self.base + rest
        place = self.space.document_path(value)
        if place is None:
            return None
        path, fragment = place
        if path.startswith("doc/"):
            resource = self.space.resource_of_document(path)
            if resource is None or not self.exists(resource):
                return None
            return LookupResult(path, fragment, resource)
        if path == "def":
            if fragment and not self.vocabulary.graph.properties(str(MGI) + fragment):
                return None
            return LookupResult(path, fragment, value)
        if path == "catalog":
            return LookupResult(path, fragment, value)
        if path.startswith(f"{DUMPS_DIR}/"):
            name = path.removeprefix(f"{DUMPS_DIR}/")
            return LookupResult(path, "", value) if self.dump_file(name) else None
        if path == "sparql":
            return LookupResult(path, "", value)
        return None

    def not_found_document(self, *, lang: str, linker: Linker, here: str, iri: str | None) -> bytes:
        words = ui(lang)
        lines = []
        if iri and self.space.relative(iri) is None:
            lines.append(words["not_found_outside"].format(iri=iri, base=self.base))
        elif iri:
            lines.append(words["not_found_iri"].format(iri=iri))
        lines.append(words["not_found_hint"])
        frame = self._chrome(linker, lang, Target(here))
        message = {
            "title": words["not_found"],
            "lines": lines,
            "choices": [],
            "lookup": None if linker.static else linker.url(Target("resource")),
            "value": iri or "",
        }
        return render("message.html", chrome=frame, message=message)


@lru_cache(maxsize=8)
def licence_of_build(build_dir: Path | None, base: str) -> Licence | None:
    """The dataset's licence as the build's catalogue states it (for another part's frame).

    Read once per build directory; None without a build or a catalogue.
    """
    catalog_file = build_dir / CATALOG_FILE if build_dir is not None else None
    if catalog_file is None or not catalog_file.is_file():
        return None
    catalog = TripleIndex(
        [
            t.triple if isinstance(t, ox.Quad) else t
            for t in ox.parse(path=str(catalog_file), format=ox.RdfFormat.TURTLE)
        ]
    )
    licence = catalog.value(base + "dataset", DCTERMS + "license")
    return licence_of(licence.value if isinstance(licence, ox.NamedNode) else None)


def _licence_link(iri: str) -> LinkView:
    licence = licence_of(iri)
    return LinkView(iri, licence.label if licence else iri, iri, external=True)


def _subjects(triples: list[ox.Triple]) -> list[str]:
    seen: dict[str, None] = {}
    for t in triples:
        if isinstance(t.subject, ox.NamedNode):
            seen.setdefault(t.subject.value, None)
    return list(seen)


def _tag(values: dict[str, str], chosen: str | None) -> str | None:
    return next((k for k, v in values.items() if v == chosen and k), None)


def _lang_order(code: str) -> tuple[int, str]:
    return (LANGUAGES.index(code) if code in LANGUAGES else len(LANGUAGES), code)


__all__ = ["LookupResult", "NotFoundError", "Site"]
