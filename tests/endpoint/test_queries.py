"""Every example query in queries/ runs through the server and answers the research question."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import rdflib

from kb.endpoint.examples import load_examples
from kb.sparql.text import QueryForm, tokens

if TYPE_CHECKING:
    from tests.support.servers import KnowledgeGraph, Server

pytestmark = pytest.mark.e2e

QUERIES = Path(__file__).resolve().parents[2] / "queries"
EXAMPLES = load_examples(QUERIES)
MGI = "https://w3id.org/mgi/def#"


def _rows(server: Server, name: str) -> list[dict[str, str]]:
    example = next(e for e in EXAMPLES if e.name == name)
    with server.client() as client:
        response = client.post("/sparql", data={"query": example.query})
    assert response.status_code == 200, response.text
    return [
        {k: v["value"] for k, v in row.items()} for row in response.json()["results"]["bindings"]
    ]


def test_there_are_examples() -> None:
    assert len(EXAMPLES) >= 8


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e.name)
def test_example_has_metadata_and_uses_no_filter_not_exists(example) -> None:
    assert example.title and example.description and example.tags
    words = [t.keyword for t in tokens(example.query)]
    assert ("NOT", "EXISTS") not in set(pairwise(words))
    assert example.form is not None


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e.name)
def test_example_answers(server: Server, example) -> None:
    with server.client() as client:
        response = client.post("/sparql", data={"query": example.query})
    assert response.status_code == 200, response.text
    if example.form is QueryForm.SELECT:
        assert response.json()["results"]["bindings"], "no rows"
    else:
        assert len(rdflib.Graph().parse(data=response.text, format="turtle")) > 0


def test_bucaramanga_has_33_findings_18_well_developed_15_potential(server: Server) -> None:
    rows = _rows(server, "findings-per-domain-for-a-city")
    by_assessment: dict[str, int] = {}
    for row in rows:
        by_assessment[row["assessment"]] = by_assessment.get(row["assessment"], 0) + int(
            row["findings"]
        )
    assert by_assessment == {MGI + "WellDeveloped": 18, MGI + "PotentialForDevelopment": 15}
    assert {row["notation"] for row in rows} == {"1", "2", "3", "4", "5", "6"}


def test_all_cities_table_agrees_for_bucaramanga(server: Server) -> None:
    rows = _rows(server, "findings-per-domain-all-cities")
    mine = [r for r in rows if r["place"].endswith("/place/bucaramanga")]
    assert sum(int(r["findings"]) for r in mine) == 33


def test_imebu_has_one_well_developed_wellbeing_finding(server: Server) -> None:
    rows = _rows(server, "findings-of-an-institution")
    assert len(rows) == 1
    assert rows[0]["assessment"] == MGI + "WellDeveloped"
    assert rows[0]["domain"] == MGI + "MigrantWellbeing"
    assert "IMEBU" in rows[0]["text"]


def test_profiles_with_place(server: Server, knowledge_graph: KnowledgeGraph) -> None:
    rows = _rows(server, "profiles-with-place")
    bucaramanga = next(r for r in rows if r["profile"].endswith("/bucaramanga-2022"))
    assert bucaramanga["findings"] == "33"
    assert bucaramanga["issued"] == "2022-03"
    assert bucaramanga["placeLabel"] == "Bucaramanga"
    assert bucaramanga["countryLabel"] == "Colombia"


def test_institutions_ranked_and_in_several_domains(server: Server) -> None:
    ranked = _rows(server, "institutions-ranked-by-findings")
    counts = [int(r["findings"]) for r in ranked]
    assert counts == sorted(counts, reverse=True)
    several = _rows(server, "institutions-in-several-domains")
    assert all(int(r["domains"]) > 1 for r in several)
    assert {r["org"] for r in several} <= {r["org"] for r in ranked}


def test_co_mentioned_pairs_are_ordered_once(server: Server) -> None:
    rows = _rows(server, "co-mentioned-institutions")
    assert all(r["a"] < r["b"] for r in rows)


def test_instruments_have_years(server: Server) -> None:
    rows = _rows(server, "instruments-with-years")
    assert any("issued" in r or "period" in r for r in rows)


def test_text_search_finds_exactly_the_findings_with_the_word(server: Server) -> None:
    rows = _rows(server, "findings-containing-a-word")
    every = _text_of_every_finding(server)
    expected = {f for f, text in every.items() if "salud" in text.lower()}
    assert expected
    assert {r["finding"] for r in rows} == expected


def _text_of_every_finding(server: Server) -> dict[str, str]:
    query = f"SELECT ?f ?t WHERE {{ ?f <{MGI}text> ?t }}"
    with server.client() as client:
        response = client.post("/sparql", data={"query": query})
    return {row["f"]["value"]: row["t"]["value"] for row in response.json()["results"]["bindings"]}
