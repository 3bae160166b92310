"""Explorer building blocks: query binding, search patterns, identifiers, words, pictures.

Issue 6. Pure functions, table-tested; no server.
"""

from __future__ import annotations

import re

import pyoxigraph as ox
import pytest

from kb.explorer import queries
from kb.explorer.charts import Node, network_svg
from kb.explorer.i18n import Words, messages
from kb.explorer.text import fold, is_slug, search_pattern, split_finding_id
from kb.sparql.binding import Query, Raw, literal

ORG = ox.NamedNode("https://w3id.org/mgi/id/org/bucaramanga--personeria")


def test_bind_writes_terms_with_pyoxigraph_serialiser() -> None:
    query = Query("t", "A title", "SELECT * WHERE { VALUES ?o { $org } ?o ?p $text } LIMIT $n")
    text = query.bind(org=ORG, text=literal('x" } DROP ALL #', language="es"), n=5)
    assert text.startswith("# A title\n")
    assert f"VALUES ?o {{ <{ORG.value}> }}" in text
    # The quote is escaped inside the literal: the query cannot be broken out of.
    assert '"x\\" } DROP ALL #"@es' in text
    assert text.endswith("LIMIT 5")
    store = ox.Store()
    list(store.query(text))  # parses


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({}, "missing"),
        ({"org": ORG, "other": ORG}, "unexpected"),
    ],
)
def test_bind_refuses_missing_or_extra_values(values: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Query("t", "t", "VALUES ?o { $org }").bind(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "value",
    ["<http://x> } DROP ALL", -1, True, [], ["not a term"]],
)
def test_bind_refuses_anything_but_terms_numbers_and_raw(value: object) -> None:
    with pytest.raises((TypeError, ValueError)):
        Query("t", "t", "VALUES ?o { $org }").bind(org=value)  # type: ignore[arg-type]


def test_bind_none_is_undef_and_lists_are_rows() -> None:
    query = Query("t", "t", "VALUES ?o { $org } ORDER BY $order")
    assert "VALUES ?o { UNDEF }" in query.bind(org=None, order=Raw("?o"))
    two = query.bind(org=[ORG, ORG], order=Raw("?o"))
    assert two.count(ORG.value) == 2


def test_a_substituted_value_is_never_rescanned_for_placeholders() -> None:
    text = Query("t", "t", "SELECT * WHERE { ?s ?p $a . ?s ?p $b }").bind(
        a=literal("$b"), b=literal("B")
    )
    assert '?p "$b" .' in text and '?p "B" }' in text


def test_every_shipped_query_parses_once_bound() -> None:
    store = ox.Store()
    samples: dict[str, object] = {
        "org": ORG,
        "place": ox.NamedNode("https://w3id.org/mgi/id/place/bucaramanga"),
        "places": [ox.NamedNode("https://w3id.org/mgi/id/place/bucaramanga")],
        "profile": ox.NamedNode("https://w3id.org/mgi/id/profile/bucaramanga-2022"),
        "finding": ox.NamedNode("https://w3id.org/mgi/id/finding/bucaramanga-2022/4"),
        "nodes": [ORG],
        "domain": None,
        "assessment": None,
        "type": None,
        "lang": literal("es"),
        "pattern": literal("p[eé]rs"),
        "limit": 10,
        "offset": 0,
        "statistics": ox.NamedNode("https://w3id.org/mgi/graph/statistics"),
        "count": queries.INSTITUTION_COUNT_PROPERTY["findings"],
        "rows": 50,
        "floor": 1,
    }
    for query in queries.ALL:
        values = {name: samples.get(name) for name in query.placeholders}
        if "order" in query.placeholders:
            table = queries.PLACE_ORDER if "place" in query.name else queries.INSTITUTION_ORDER
            values["order"] = next(iter(table.values()))[0]
        list(store.query(query.bind(**values), use_default_graph_as_union=True))


@pytest.mark.parametrize(
    ("asked", "matches", "misses"),
    [
        ("Personería", ["Personería de Bucaramanga", "PERSONERIA"], ["Persona"]),
        ("personeria", ["Personería Municipal"], []),
        ("defensoría del  pueblo", ["Defensoría del Pueblo"], ["Defensoría Pueblo"]),
        ("a.b", ["a.b"], ["axb"]),
        ("(IMEBU)", ["(IMEBU)"], ["IMEBU"]),
    ],
)
def test_search_pattern_ignores_case_and_accents_and_escapes_syntax(
    asked: str, matches: list[str], misses: list[str]
) -> None:
    pattern = search_pattern(asked)
    assert pattern is not None
    for text in matches:
        assert re.search(pattern, text, re.IGNORECASE), text
    for text in misses:
        assert not re.search(pattern, text, re.IGNORECASE), text


@pytest.mark.parametrize("asked", ["", "   ", "a", "é"])
def test_search_pattern_needs_two_letters(asked: str) -> None:
    assert search_pattern(asked) is None


def test_search_pattern_works_in_oxigraph() -> None:
    store = ox.Store()
    node = ox.NamedNode("http://example.org/x")
    store.add(ox.Quad(node, node, ox.Literal("Personería & Co. #1 (sede)"), ox.DefaultGraph()))
    for asked in ["personeria", "& co", "#1", "(sede)"]:
        pattern = search_pattern(asked)
        assert pattern is not None
        query = Query("t", "t", 'ASK { ?s ?p ?o FILTER(REGEX(STR(?o), $p, "i")) }')
        assert store.query(query.bind(p=literal(pattern))), asked


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("bucaramanga--personeria", True),
        ("international-organization-for-migration", True),
        ("Bucaramanga", False),
        ("a b", False),
        ("../etc", False),
        ("x>", False),
        ("-x", False),
        ("", False),
    ],
)
def test_is_slug(text: str, ok: bool) -> None:
    assert is_slug(text) is ok


def test_split_finding_id() -> None:
    assert split_finding_id("bucaramanga-2022/4") == ("bucaramanga-2022", 4)
    assert split_finding_id("bucaramanga-2022/0") is None
    assert split_finding_id("x/4/5") is None


def test_fold() -> None:
    assert fold("Secretaría de Planeación") == "secretaria de planeacion"


def test_every_language_has_every_word() -> None:
    tables = messages()
    assert set(tables) == {"en", "es"}
    assert set(tables["en"]) == set(tables["es"])
    assert Words("es")("showing", first=1, last=2, total=3) == "1–2 de 3"
    assert Words("es")("in_profiles", n=1) == "en 1 perfil"
    assert Words("fr")("institutions") == "Institutions"  # page words fall back to English


def test_network_svg_escapes_labels_and_links() -> None:
    svg = network_svg(
        Node("c", "<script>alert(1)</script>", 0),
        [Node("a", 'A & "B"', 3, href="/explore/institutions/a?x=1&y=2"), Node("b", "B", 1)],
        [("a", "b", 1)],
        title="t",
        shared_word="shared findings",
    )
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    assert 'href="/explore/institutions/a?x=1&amp;y=2"' in svg
    assert svg.count("<circle") == 3
    assert "A &amp; &#34;B&#34; (3)" in svg
