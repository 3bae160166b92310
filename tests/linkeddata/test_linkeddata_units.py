"""Linked data, the pure parts: formats, IRI <-> path mapping, links, languages,
highlighting, compact JSON-LD, the link checker, and paging at scale."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
import rdflib
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib.compare import isomorphic

from kb.linkeddata.describe import PageOutOfRangeError, describe
from kb.linkeddata.formats import DocFormat, negotiate_format, split_extension
from kb.linkeddata.highlight import Span, highlight
from kb.linkeddata.i18n import UI, choose_language, parse_accept_language, pick
from kb.linkeddata.paths import (
    IriSpace,
    ServedLinker,
    StaticLinker,
    Target,
    explorer_path,
    relative_url,
)
from kb.linkeddata.rdf import serialize
from kb.linkeddata.render import chrome
from kb.namespaces import curie, expand_curie
from kb.publication.link_index import IncomingIndex
from kb.rdf import jsonld
from kb.store import OxigraphStore
from tests.support.linkcheck import crawl, page_links

BASE = "https://w3id.org/mgi/"
MGI = "https://w3id.org/mgi/def#"

# --- representations ------------------------------------------------------------------

negotiation_cases = [
    (None, DocFormat.HTML),
    ("*/*", DocFormat.HTML),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", DocFormat.HTML),
    ("text/turtle", DocFormat.TURTLE),
    ("application/ld+json", DocFormat.JSONLD),
    ("application/n-triples", DocFormat.NTRIPLES),
    ("application/rdf+xml", DocFormat.RDFXML),
    ("text/turtle;q=0.5, application/ld+json", DocFormat.JSONLD),
    ("application/*", DocFormat.JSONLD),  # first application/* offer
    ("text/*;q=0.2, application/rdf+xml;q=0.9", DocFormat.RDFXML),
    ("image/png", None),
    ("text/turtle;q=0", None),  # q=0 excludes the only range asked for
]


@pytest.mark.parametrize(("accept", "expected"), negotiation_cases)
def test_negotiation(accept: str | None, expected: DocFormat | None) -> None:
    assert negotiate_format(accept) is expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("org/imebu.ttl", ("org/imebu", DocFormat.TURTLE)),
        ("finding/bucaramanga-2022/12.jsonld", ("finding/bucaramanga-2022/12", DocFormat.JSONLD)),
        ("finding/bucaramanga-2022/12", ("finding/bucaramanga-2022/12", None)),
        ("org/imebu.html", ("org/imebu", DocFormat.HTML)),
        ("org/imebu.xml", ("org/imebu.xml", None)),
        ("org/imebu.rdf", ("org/imebu", DocFormat.RDFXML)),
    ],
)
def test_split_extension(name: str, expected: tuple[str, DocFormat | None]) -> None:
    assert split_extension(name) == expected


def test_only_registered_media_types_are_served() -> None:
    registered = {
        "text/html",
        "text/turtle",
        "application/ld+json",
        "application/n-triples",
        "application/rdf+xml",
    }
    assert {f.media_type for f in DocFormat} == registered


# --- IRIs and paths ---------------------------------------------------------------------

space = IriSpace(BASE)


@pytest.mark.parametrize(
    ("iri", "expected"),
    [
        (BASE + "id/org/imebu", ("doc/org/imebu", "")),
        (BASE + "id/finding/b-2022/3#mention-2", ("doc/finding/b-2022/3", "mention-2")),
        (MGI + "Finding", ("def", "Finding")),
        ("https://w3id.org/mgi/def", ("def", "")),
        ("https://w3id.org/mgi/def/0.1.0", ("def", "")),
        (BASE + "dataset", ("catalog", "")),
        (BASE + "graph/reference", ("catalog", "")),
        (BASE + "catalog#dump-mgi.nq", ("catalog", "dump-mgi.nq")),
        (BASE + "dumps/mgi.nq.gz", ("dumps/mgi.nq.gz", "")),
        ("https://schema.org/City", None),
        (BASE + "something/else", None),
    ],
)
def test_document_of_an_iri(iri: str, expected: tuple[str, str] | None) -> None:
    assert space.document_path(iri) == expected


def test_a_configured_base_keeps_the_ontology_namespace() -> None:
    other = IriSpace("https://example.org/kb/")
    assert other.document_path("https://example.org/kb/id/org/x") == ("doc/org/x", "")
    assert other.document_path(MGI + "Finding") == ("def", "Finding")
    assert other.document_path(BASE + "id/org/x") is None  # not this dataset's IRI
    assert other.resource_of_document("doc/org/x") == "https://example.org/kb/id/org/x"


@pytest.mark.parametrize(
    ("source", "destination", "expected"),
    [
        ("doc/org/x", "doc/finding/b/1", "../finding/b/1"),
        ("doc/org/x", "doc/org/y", "y"),
        ("doc/org/x", "", "../../"),
        ("", "doc/org/x", "doc/org/x"),
        ("", "", "./"),
        ("def", "static/site.css", "static/site.css"),
        ("doc/finding/b/1", "def", "../../../def"),
        ("doc/org/x.es.html", "index.es.html", "../../index.es.html"),
    ],
)
def test_relative_url(source: str, destination: str, expected: str) -> None:
    assert relative_url(source, destination) == expected


def test_served_links_carry_an_explicit_language_to_pages_only() -> None:
    linker = ServedLinker("doc/org/x", "es")
    assert linker.url(Target("doc/finding/b/1")) == "../finding/b/1?lang=es"
    assert linker.url(Target("doc/org/x", fmt=DocFormat.TURTLE)) == "x.ttl"
    assert linker.url(Target("dumps/mgi.nq.gz")) == "../../dumps/mgi.nq.gz"
    paged = Target("doc/org/x", query=(("in", "mgi:mentions"), ("page", "2")))
    assert linker.url(paged) == "x?in=mgi:mentions&page=2&lang=es"
    assert ServedLinker("doc/org/x").url(Target("def", fragment="Finding")) == "../../def#Finding"


def test_static_links_point_at_files() -> None:
    linker = StaticLinker("doc/org/x.html", lang="es", default_lang="en", base=BASE)
    assert linker.url(Target("doc/finding/b/1")) == "../finding/b/1.es.html"
    assert linker.url(Target("doc/org/x", fmt=DocFormat.TURTLE)) == "x.ttl"
    assert linker.url(Target("", lang="en")) == "../../index.html"
    assert linker.url(Target("profiles", query=(("page", "2"),))) == "../../profiles.2.es.html"
    paged = Target("doc/org/x", query=(("in", "mgi:mentions"), ("page", "3")), lang="en")
    assert linker.url(paged) == "x.mgi_mentions.3.html"
    assert linker.url(Target("sparql")) == BASE + "sparql"  # no endpoint on a static host


@pytest.mark.parametrize(
    ("resource", "page"),
    [
        ("id/org/bucaramanga--personeria", "explore/institutions/bucaramanga--personeria"),
        ("id/place/bucaramanga", "explore/places/bucaramanga"),
        ("id/profile/bucaramanga-2022", "explore/profiles/bucaramanga-2022"),
        ("id/finding/bucaramanga-2022/7", "explore/findings/bucaramanga-2022/7"),
        ("id/instrument/ley-1", None),  # the explorer has no instrument page
        ("id/finding/bucaramanga-2022", None),
        ("id/org/a/b", None),
        ("id/org/Upper", None),
        ("def", None),
    ],
)
def test_explorer_pages_of_resources(resource: str, page: str | None) -> None:
    assert explorer_path(resource) == page


def test_explorer_links_served_static_and_live() -> None:
    served = ServedLinker("doc/finding/b-2022/7", "es")
    assert served.live("explore/findings/b-2022/7") == "../../../explore/findings/b-2022/7?lang=es"
    assert ServedLinker("explore/places").live("explore") == "../explore"  # not "."
    assert ServedLinker("").live("explore/workbench") == "explore/workbench"
    # A static host has no explorer: no link, unless a live server is named.
    static = StaticLinker("doc/org/x.es.html", lang="es", default_lang="en", base=BASE)
    assert static.live("explore") is None
    live = StaticLinker(
        "doc/org/x.es.html",
        lang="es",
        default_lang="en",
        base=BASE,
        live_site="https://kg.example/",
    )
    assert (
        live.live("explore/institutions/x") == "https://kg.example/explore/institutions/x?lang=es"
    )
    assert StaticLinker(
        "index.html", lang="en", default_lang="en", base=BASE, live_site="https://kg.example"
    ).live("explore") == ("https://kg.example/explore")

    def nav(linker: ServedLinker | StaticLinker) -> list[str]:
        frame = chrome(linker=linker, lang="en", here=Target(""), licence=None, version="v")
        return [item.text for item in frame.nav]

    assert nav(ServedLinker(""))[-2:] == ["Explorer", "Query workbench"]
    assert "Explorer" not in nav(static)
    assert nav(live)[-2:] == ["Explorer", "Query workbench"]


@pytest.mark.parametrize(
    ("iri", "short"),
    [
        (MGI + "Finding", "mgi:Finding"),
        ("http://www.w3.org/ns/org#Organization", "org:Organization"),
        ("https://schema.org/City", "schema:City"),
        ("http://example.org/x", None),
        (MGI + "with space", None),
    ],
)
def test_curie(iri: str, short: str | None) -> None:
    assert curie(iri) == short
    if short:
        assert expand_curie(short) == iri


# --- languages ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("explicit", "header", "expected"),
    [
        (None, None, "en"),
        (None, "es-CO,es;q=0.9,en;q=0.5", "es"),
        (None, "de-DE,de;q=0.9,fr;q=0.8", "fr"),
        (None, "de", "en"),
        ("pt", "es", "pt"),
        ("xx", "fr", "fr"),
        (None, "es;q=0, en", "en"),
        (None, "*", "en"),
    ],
)
def test_choose_language(explicit: str | None, header: str | None, expected: str) -> None:
    assert choose_language(explicit, header) == expected


def test_accept_language_is_ordered_by_quality() -> None:
    assert parse_accept_language("en;q=0.5, es-CO, fr;q=0.7") == [
        ("es-co", 1.0),
        ("fr", 0.7),
        ("en", 0.5),
    ]


def test_every_language_has_every_word() -> None:
    keys = set(UI["en"])
    assert {"en", "es", "fr", "pt"} <= set(UI)
    for lang, words in UI.items():
        assert set(words) == keys, lang


def test_pick_falls_back_to_english_then_untagged() -> None:
    assert pick({"en": "city", "es": "ciudad"}, "es") == "ciudad"
    assert pick({"en": "city", "es": "ciudad"}, "fr") == "city"
    assert pick({"": "Bucaramanga"}, "fr") == "Bucaramanga"
    assert pick({}, "en") is None


# --- highlighting ----------------------------------------------------------------------


def test_highlight_marks_offsets_and_escapes_everything_else() -> None:
    text = "La <Alcaldía> & el IMEBU"
    html = highlight(text, [Span(3, 13, "../org/a?x=1&y=2", 'say "hi"'), Span(19, 24)])
    assert str(html) == (
        'La <mark><a href="../org/a?x=1&amp;y=2" title="say &#34;hi&#34;">'
        "&lt;Alcaldía&gt;</a></mark> &amp; el <mark>IMEBU</mark>"
    )


def test_highlight_counts_code_points() -> None:
    text = "Personería 😀 de Bucaramanga"
    start = text.index("de")
    assert "<mark>de</mark>" in str(highlight(text, [Span(start, start + 2)]))


def test_highlight_skips_bad_and_overlapping_spans() -> None:
    text = "abcdef"
    html = highlight(text, [Span(0, 3), Span(2, 4), Span(4, 99), Span(5, 5), Span(-1, 2)])
    assert str(html) == "<mark>abc</mark>def"


@given(st.text(max_size=40), st.lists(st.tuples(st.integers(-3, 45), st.integers(-3, 45))))
@settings(max_examples=200, deadline=None)
def test_highlight_always_keeps_the_whole_text(text: str, pairs: list[tuple[int, int]]) -> None:
    html = str(highlight(text, [Span(a, b) for a, b in pairs]))
    plain = html.replace("<mark>", "").replace("</mark>", "")
    expected = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    expected = expected.replace('"', "&#34;").replace("'", "&#39;")
    assert plain == expected


# --- JSON-LD ----------------------------------------------------------------------------

_N = ox.NamedNode
XSD_INT = "http://www.w3.org/2001/XMLSchema#integer"


def _t(s: str, p: str, o: ox.NamedNode | ox.Literal | ox.BlankNode) -> ox.Triple:
    return ox.Triple(_N(s), _N(p), o)


SAMPLE = [
    _t(BASE + "id/finding/b/1", MGI + "domain", _N(MGI + "MigrantsRights")),
    _t(
        BASE + "id/finding/b/1",
        MGI + "position",
        ox.Literal("1", datatype=_N(XSD_INT)),
    ),
    _t(BASE + "id/finding/b/1", MGI + "text", ox.Literal("El IMEBU…", language="es")),
    _t(
        BASE + "id/finding/b/1",
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#type",
        _N(MGI + "Finding"),
    ),
    _t(BASE + "id/org/x", "http://purl.org/dc/terms/creator", ox.Literal("not an IRI")),
    _t(
        BASE + "id/org/x",
        MGI + "curated",
        ox.Literal("true", datatype=_N("http://www.w3.org/2001/XMLSchema#boolean")),
    ),
    _t(
        BASE + "id/place/p",
        "https://schema.org/latitude",
        ox.Literal("7.1193", datatype=_N("http://www.w3.org/2001/XMLSchema#decimal")),
    ),
    _t(BASE + "id/x", MGI + "start", ox.Literal("007", datatype=_N(XSD_INT))),
    _t(BASE + "id/x", "http://example.org/p", ox.BlankNode("b1")),
]


def _rdflib(triples: list[ox.Triple]) -> rdflib.Graph:
    data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    return rdflib.Graph().parse(data=data, format="nt")


def test_compact_jsonld_reads_back_as_the_same_rdf() -> None:
    data = jsonld.dumps(jsonld.document(SAMPLE, first=BASE + "id/finding/b/1"))
    parsed = rdflib.Graph().parse(data=data, format="json-ld")
    assert isomorphic(parsed, _rdflib(SAMPLE))


def test_compact_jsonld_is_readable() -> None:
    doc = jsonld.document(SAMPLE, first=BASE + "id/finding/b/1")
    finding = doc["@graph"][0]
    assert finding["id"] == BASE + "id/finding/b/1"
    assert finding["type"] == ["mgi:Finding"]
    assert finding["domain"] == "mgi:MigrantsRights"
    assert finding["position"] == 1
    assert finding["text"] == {"@value": "El IMEBU…", "@language": "es"}
    assert doc["@context"]["mgi"] == MGI


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["id/a", "id/b#m-1"]),
            st.sampled_from([MGI + "text", MGI + "mentions", "http://purl.org/dc/terms/title"]),
            st.one_of(
                st.text(max_size=12).map(ox.Literal),
                st.tuples(st.text(max_size=8), st.sampled_from(["en", "es", "pt-BR"])).map(
                    lambda t: ox.Literal(t[0], language=t[1])
                ),
                st.integers(-5, 10**12).map(
                    lambda n: ox.Literal(
                        str(n), datatype=_N("http://www.w3.org/2001/XMLSchema#integer")
                    )
                ),
                st.sampled_from([BASE + "id/c", MGI + "X"]).map(_N),
            ),
        ),
        max_size=12,
    )
)
@settings(max_examples=60, deadline=None)
def test_compact_jsonld_round_trips_any_mix(rows: list[tuple[str, str, object]]) -> None:
    triples = [ox.Triple(_N(BASE + s), _N(p), o) for s, p, o in rows]  # type: ignore[arg-type]
    data = serialize(triples, DocFormat.JSONLD)
    assert isomorphic(rdflib.Graph().parse(data=data, format="json-ld"), _rdflib(triples))


# --- link checker ---------------------------------------------------------------------------


def test_page_links_and_ids() -> None:
    links, ids = page_links(
        '<a href="a">x</a><link rel="stylesheet" href="s.css"><p id="p1"></p><a name="n"></a>'
    )
    assert links == ["a", "s.css"]
    assert ids == {"p1", "n"}


def test_crawl_reports_missing_pages_and_anchors() -> None:
    pages = {
        "http://h/": (
            '<a href="a.html#here">a</a> <a href="b.html">b</a> <a href="http://x/">x</a>'
        ),
        "http://h/a.html": '<p id="elsewhere"></p>',
    }

    def fetch(url: str) -> tuple[int, str, bytes]:
        if url in pages:
            return 200, "text/html; charset=utf-8", pages[url].encode()
        return 404, "text/plain", b""

    report = crawl(fetch, "http://h/")
    reasons = {(b.url, b.reason) for b in report.broken}
    assert reasons == {("http://h/b.html", "HTTP 404"), ("http://h/a.html#here", "no such anchor")}
    assert "http://x/" not in report.status  # other sites are not crawled


# --- paging at scale: a fixed number of queries, whatever the number of links -----------


class CountingStore:
    def __init__(self, store: OxigraphStore) -> None:
        self.store = store
        self.queries = 0

    def query(self, sparql: str, **kwargs: object) -> object:
        self.queries += 1
        return self.store.query(sparql, **kwargs)  # type: ignore[arg-type]


def _mentioned_by(n: int) -> CountingStore:
    store = ox.Store()
    org = _N(BASE + "id/org/busy")
    graph = _N(BASE + "id/profile/p")
    label = _N("http://www.w3.org/2000/01/rdf-schema#label")
    store.add(ox.Quad(org, label, ox.Literal("Busy body", language="es"), graph))
    for i in range(1, n + 1):
        finding = _N(f"{BASE}id/finding/p/{i}")
        store.add(ox.Quad(finding, _N(MGI + "mentions"), org, graph))
        store.add(ox.Quad(finding, label, ox.Literal(f"finding {i}"), graph))
        store.add(
            ox.Quad(
                finding,
                _N("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                _N(MGI + "Finding"),
                graph,
            )
        )
    return CountingStore(OxigraphStore(store))


def test_thousands_of_incoming_links_cost_the_same_queries_as_a_few() -> None:
    few, many = _mentioned_by(3), _mentioned_by(3000)
    iri = BASE + "id/org/busy"
    for store in (few, many):
        index = IncomingIndex.counted(store.store)
        store.queries = 0
        description = describe(store, index, iri)
        assert description is not None
    assert few.queries == many.queries  # counts come from the index, pages from one query
    index = IncomingIndex.counted(many.store)
    [group] = describe(many, index, iri).incoming  # type: ignore[union-attr]
    assert (group.total, group.pages, len(group.subjects)) == (3000, 120, 25)
    assert group.subjects[:3] == [f"{BASE}id/finding/p/{i}" for i in (1, 2, 3)]  # numeric order
    last = describe(many, index, iri, paged_property=MGI + "mentions", page=120)
    assert last is not None and last.incoming[0].subjects[-1] == f"{BASE}id/finding/p/3000"
    with pytest.raises(PageOutOfRangeError):
        describe(many, index, iri, paged_property=MGI + "mentions", page=121)


def test_the_build_time_aggregates_graph_is_left_out() -> None:
    """`{base}graph/statistics` holds derived counts, not statements of the dataset."""
    counting = _mentioned_by(2)
    store = counting.store
    org = _N(BASE + "id/org/busy")
    stats = _N(BASE + "graph/statistics")
    node = _N(BASE + "graph/statistics#org/busy/x")
    count = ox.Literal("2", datatype=_N(XSD_INT))
    store._store.add(ox.Quad(org, _N(MGI + "findingCount"), count, stats))
    store._store.add(ox.Quad(node, _N(MGI + "countedInstitution"), org, stats))
    index = IncomingIndex.counted(store, base=BASE)
    assert [p for p, _ in index.counts(org.value)] == [MGI + "mentions"]
    description = describe(store, index, org.value, base=BASE)
    assert description is not None
    assert not any(t.predicate.value == MGI + "findingCount" for t in description.triples)
    assert all(not s.startswith(BASE + "graph/") for g in description.incoming for s in g.subjects)
