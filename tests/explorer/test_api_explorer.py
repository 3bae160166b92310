"""The explorer's JSON API against a real `kb serve`: every answer equals its SPARQL answer.

Issue 6. Each test asks the API, then asks `/sparql` the equivalent question
written here independently of `kb/explorer/queries.py`, and compares.
Identifiers are found with SPARQL, so the tests hold on any build.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from tests.support.servers import Server
from tests.support.sparql import count, sparql

BASE = "https://w3id.org/mgi/id/"


def api(server: Server, path: str, status: int = 200, **params: Any) -> Any:
    with server.client() as client:
        response = client.get(path, params=params)
    assert response.status_code == status, response.text
    return response.json()


@pytest.fixture(scope="module")
def busiest_org(server: Server) -> str:
    """The institution mentioned by most findings (IRI)."""
    rows = sparql(
        server,
        """SELECT ?o (COUNT(DISTINCT ?f) AS ?n) WHERE { ?f mgi:mentions ?o . ?o a org:Organization }
        GROUP BY ?o ORDER BY DESC(?n) ?o LIMIT 1""",
    )
    return rows[0]["o"]


@pytest.fixture(scope="module")
def a_profile(server: Server) -> str:
    return sparql(server, "SELECT ?p WHERE { ?p a mgi:Profile } ORDER BY ?p LIMIT 1")[0]["p"]


def test_summary_counts_what_the_graph_holds(server: Server) -> None:
    body = api(server, "/api")
    for key, cls in [
        ("profiles", "mgi:Profile"),
        ("findings", "mgi:Finding"),
        ("institutions", "org:Organization"),
        ("instruments", "mgi:PolicyInstrument"),
    ]:
        assert body[key] == count(
            server, f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ ?x a {cls} }}"
        )
    assert body["places"] == count(
        server, "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?p mgi:assessedPlace ?x }"
    )
    assert body["triples"] > 0 and body["dataset_version"]
    assert "SELECT" in body["sparql"]["counts"]


def test_institutions_index_total_and_counts(server: Server) -> None:
    body = api(server, "/api/institutions", limit=20)
    assert body["total"] == count(
        server, "SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { ?o a org:Organization }"
    )
    assert len(body["items"]) == min(20, body["total"])
    expected = {
        row["o"]: (int(row["f"]), int(row["p"]), int(row["d"]))
        for row in sparql(
            server,
            """SELECT ?o (COUNT(DISTINCT ?x) AS ?f) (COUNT(DISTINCT ?pr) AS ?p)
                      (COUNT(DISTINCT ?d) AS ?d)
            WHERE { ?x mgi:mentions ?o ; mgi:profile ?pr ; mgi:domain ?d . ?o a org:Organization }
            GROUP BY ?o""",
        )
    }
    findings = [item["findings"] for item in body["items"]]
    assert findings == sorted(findings, reverse=True)  # default: most findings first
    assert findings[0] == max(f for f, _, _ in expected.values())
    for item in body["items"]:
        assert (item["findings"], item["profiles"], item["domains"]) == expected.get(
            item["iri"], (0, 0, 0)
        )
        assert item["id"] and item["iri"] == BASE + "org/" + item["id"]


def test_institutions_pages_do_not_overlap(server: Server) -> None:
    first = api(server, "/api/institutions", limit=10, offset=0, sort="name", order="asc")
    second = api(server, "/api/institutions", limit=10, offset=10, sort="name", order="asc")
    both = api(server, "/api/institutions", limit=20, offset=0, sort="name", order="asc")
    ids = [i["iri"] for i in first["items"] + second["items"]]
    assert ids == [i["iri"] for i in both["items"]]
    assert len(set(ids)) == len(ids)
    labels = [(i["label"] or "").lower() for i in both["items"]]
    assert labels == sorted(labels)


@pytest.mark.parametrize("sort", ["findings", "profiles", "domains", "name"])
@pytest.mark.parametrize("order", ["desc", "asc"])
def test_institutions_index_pages_follow_the_full_ordering(
    server: Server, sort: str, order: str
) -> None:
    """Pages chosen before labelling (issue 7) equal the order of every institution."""
    rows = sparql(
        server,
        """SELECT ?o (COUNT(DISTINCT ?x) AS ?findings) (COUNT(DISTINCT ?pr) AS ?profiles)
                  (COUNT(DISTINCT ?d) AS ?domains) (LCASE(STR(COALESCE(SAMPLE(?l), STR(?o)))) AS ?s)
        WHERE { ?o a org:Organization ; org:classification ?t .
                OPTIONAL { ?o rdfs:label ?l }
                OPTIONAL { ?x mgi:mentions ?o ; mgi:profile ?pr ; mgi:domain ?d } }
        GROUP BY ?o""",
    )

    label = {row["o"]: row["s"] for row in rows}
    if sort == "name":  # ORDER BY ?sortLabel ?org, or DESC(?sortLabel) ?org
        everyone = sorted(sorted(label), key=label.__getitem__, reverse=order == "desc")
    else:  # ORDER BY ?count ?sortLabel ?org, or DESC(?count) ?sortLabel ?org
        sign = -1 if order == "desc" else 1
        everyone = [
            row["o"] for row in sorted(rows, key=lambda r: (sign * int(r[sort]), r["s"], r["o"]))
        ]
    for offset in (0, 3, 7):
        body = api(server, "/api/institutions", limit=4, offset=offset, sort=sort, order=order)
        assert [i["iri"] for i in body["items"]] == everyone[offset : offset + 4]


def test_institutions_filtered_by_type_domain_and_place(server: Server, a_profile: str) -> None:
    body = api(server, "/api/institutions", type="oversight-body", limit=200)
    assert body["total"] == count(
        server,
        """SELECT (COUNT(DISTINCT ?o) AS ?n)
        WHERE { ?o a org:Organization ; org:classification mgi:OversightBody }""",
    )
    assert {i["type"]["code"] for i in body["items"]} <= {"OversightBody", "oversight-body"}

    body = api(server, "/api/institutions", domain="4", limit=200)
    assert body["total"] == count(
        server,
        """SELECT (COUNT(DISTINCT ?o) AS ?n)
        WHERE { ?f mgi:domain mgi:MigrantWellbeing ; mgi:mentions ?o . ?o a org:Organization }""",
    )
    assert all(i["domains"] == 1 for i in body["items"])

    place = sparql(server, f"SELECT ?pl WHERE {{ <{a_profile}> mgi:assessedPlace ?pl }}")[0]["pl"]
    body = api(server, "/api/institutions", place=place.rsplit("/", 1)[1], limit=200)
    rows = sparql(
        server,
        f"""SELECT ?o (COUNT(DISTINCT ?f) AS ?n) WHERE {{
          ?p mgi:assessedPlace <{place}> . ?f mgi:profile ?p ; mgi:mentions ?o .
          ?o a org:Organization }} GROUP BY ?o""",
    )
    assert body["total"] == len(rows)
    assert {i["iri"]: i["findings"] for i in body["items"]} == {r["o"]: int(r["n"]) for r in rows}


def test_institution_detail_matches_sparql(server: Server, busiest_org: str) -> None:
    ident = busiest_org.rsplit("/", 1)[1]
    body = api(server, f"/api/institutions/{ident}", limit=200)
    assert body["about"]["iri"] == busiest_org
    label = sparql(server, f"SELECT ?l WHERE {{ <{busiest_org}> rdfs:label ?l }}")[0]["l"]
    assert body["about"]["label"] == label

    rows = sparql(
        server,
        f"""SELECT DISTINCT ?f ?text ?s ?e WHERE {{
          ?f mgi:mentions <{busiest_org}> ; mgi:text ?text .
          OPTIONAL {{ ?f mgi:hasMention ?m . ?m mgi:refersTo <{busiest_org}> ;
                      mgi:start ?s ; mgi:end ?e }} }}""",
    )
    findings = {r["f"] for r in rows}
    assert body["findings"]["total"] == len(findings) == body["totals"]["findings"]
    got = {f["iri"]: f for f in body["findings"]["items"]}
    assert set(got) == findings or len(got) == 200
    for row in rows:
        if row["f"] in got and "s" in row:
            finding = got[row["f"]]
            assert [int(row["s"]), int(row["e"])] in [list(s) for s in finding["spans"]]
            assert finding["text"] == row["text"]

    cells = sparql(
        server,
        f"""SELECT ?code ?a (COUNT(DISTINCT ?f) AS ?n) WHERE {{
          ?f mgi:mentions <{busiest_org}> ; mgi:domain ?d ; mgi:assessment ?a .
          ?d skos:notation ?code }} GROUP BY ?code ?a""",
    )
    assert {
        (c["domain"]["code"], c["assessment"]["iri"], c["findings"]) for c in body["chart"]
    } == {(r["code"], r["a"], int(r["n"])) for r in cells}

    others = sparql(
        server,
        f"""SELECT ?o (COUNT(DISTINCT ?f) AS ?n) WHERE {{
          ?f mgi:mentions <{busiest_org}> , ?o . ?o a org:Organization
          FILTER(?o != <{busiest_org}>) }} GROUP BY ?o""",
    )
    assert body["co_mentions"]["total"] == len(others)
    expected = {r["o"]: int(r["n"]) for r in others}
    for item in body["co_mentions"]["items"]:
        assert expected[item["institution"]["iri"]] == item["shared_findings"]
    shown = [i["shared_findings"] for i in body["co_mentions"]["items"]]
    assert shown == sorted(expected.values(), reverse=True)[: len(shown)]
    for edge in body["network_edges"]:
        assert edge["shared_findings"] == count(
            server,
            f"""SELECT (COUNT(DISTINCT ?f) AS ?n) WHERE {{
              ?f mgi:mentions <{busiest_org}> , <{edge["a"]}> , <{edge["b"]}> }}""",
        )
    assert set(body["sparql"]) >= {"about", "findings", "chart", "co_mentions", "instruments"}


def test_institution_findings_filtered_and_paged(server: Server, busiest_org: str) -> None:
    ident = busiest_org.rsplit("/", 1)[1]
    body = api(server, f"/api/institutions/{ident}", assessment="potential", limit=2, offset=0)
    total = count(
        server,
        f"""SELECT (COUNT(DISTINCT ?f) AS ?n) WHERE {{
          ?f mgi:mentions <{busiest_org}> ; mgi:assessment mgi:PotentialForDevelopment }}""",
    )
    assert body["findings"]["total"] == total
    assert len(body["findings"]["items"]) == min(2, total)
    assert all(f["assessment"]["code"] == "potential" for f in body["findings"]["items"])


def test_places_match_sparql(server: Server) -> None:
    body = api(server, "/api/places", limit=200)
    rows = sparql(
        server,
        """SELECT ?pl (COUNT(DISTINCT ?p) AS ?profiles) (COUNT(DISTINCT ?f) AS ?findings)
        WHERE { ?p mgi:assessedPlace ?pl . OPTIONAL { ?p mgi:hasFinding ?f } } GROUP BY ?pl""",
    )
    assert body["total"] == len(rows)
    expected = {r["pl"]: (int(r["profiles"]), int(r["findings"])) for r in rows}
    for item in body["items"]:
        assert (item["profiles"], item["findings"]) == expected[item["iri"]]
    place = body["items"][0]
    detail = api(server, f"/api/places/{place['id']}")
    assert len(detail["profiles"]) == place["profiles"]
    assert (
        sum(p["well_developed"] + p["potential"] for p in detail["profiles"]) == place["findings"]
    )


def test_profile_matches_sparql(server: Server, a_profile: str) -> None:
    ident = a_profile.rsplit("/", 1)[1]
    body = api(server, f"/api/profiles/{ident}")
    rows = sparql(
        server,
        f"""SELECT ?f ?a ?code ?text WHERE {{
          <{a_profile}> mgi:hasFinding ?f . ?f mgi:assessment ?a ; mgi:domain ?d ; mgi:text ?text .
          ?d skos:notation ?code }}""",
    )
    assert len(body["findings"]) == len(rows)
    assert {f["iri"]: f["text"] for f in body["findings"]} == {r["f"]: r["text"] for r in rows}
    per_cell = Counter((r["code"], r["a"]) for r in rows)
    assert {
        (c["domain"]["code"], c["assessment"]["iri"]): c["findings"] for c in body["chart"]
    } == (dict(per_cell))
    mentions = sparql(
        server,
        f"""SELECT ?f (COUNT(DISTINCT ?m) AS ?n) WHERE {{
          <{a_profile}> mgi:hasFinding ?f . ?f mgi:hasMention ?m }} GROUP BY ?f""",
    )
    got = {k: len(v) for k, v in body["mentions"].items()}
    assert got == {r["f"][len(BASE) + len("finding/") :]: int(r["n"]) for r in mentions}
    for finding in body["findings"]:
        for mention in body["mentions"].get(finding["id"], []):
            assert 0 <= mention["start"] < mention["end"] <= len(finding["text"])


def test_finding_matches_sparql(server: Server, a_profile: str) -> None:
    finding = sparql(
        server, f"SELECT ?f WHERE {{ <{a_profile}> mgi:hasFinding ?f }} ORDER BY ?f LIMIT 1"
    )[0]["f"]
    ident = finding[len(BASE) + len("finding/") :]
    body = api(server, f"/api/findings/{ident}")
    row = sparql(server, f"SELECT ?t WHERE {{ <{finding}> mgi:text ?t }}")[0]
    assert body["finding"]["text"] == row["t"]
    surfaces = sparql(
        server,
        f"""SELECT ?s ?e ?form WHERE {{ <{finding}> mgi:hasMention ?m .
          ?m mgi:start ?s ; mgi:end ?e ; mgi:surfaceForm ?form }}""",
    )
    assert sorted((m["start"], m["end"]) for m in body["mentions"]) == sorted(
        (int(r["s"]), int(r["e"])) for r in surfaces
    )
    for r in surfaces:
        assert row["t"][int(r["s"]) : int(r["e"])] == r["form"]


def test_compare_matches_sparql(server: Server, a_profile: str) -> None:
    place = sparql(server, f"SELECT ?pl WHERE {{ <{a_profile}> mgi:assessedPlace ?pl }}")[0]["pl"]
    body = api(server, "/api/compare", place=[place.rsplit("/", 1)[1], "no-such-place"])
    assert body["missing"] == ["no-such-place"]
    rows = sparql(
        server,
        f"""SELECT ?p ?code ?an (COUNT(DISTINCT ?f) AS ?n) WHERE {{
          ?p mgi:assessedPlace <{place}> ; mgi:hasFinding ?f .
          ?f mgi:domain ?d ; mgi:assessment ?a . ?d skos:notation ?code . ?a skos:notation ?an }}
        GROUP BY ?p ?code ?an""",
    )
    expected: dict[str, dict[str, int]] = {}
    for r in rows:
        expected.setdefault(r["p"], {})[f"{r['code']}/{r['an']}"] = int(r["n"])
    assert {c["profile"]["iri"]: c["cells"] for c in body["columns"]} == expected


def test_search_matches_sparql(server: Server, busiest_org: str) -> None:
    label = sparql(server, f"SELECT ?l WHERE {{ <{busiest_org}> rdfs:label ?l }}")[0]["l"]
    word = max(label.split(), key=len)
    body = api(server, "/api/search", q=word.upper())
    assert busiest_org in [hit["institution"]["iri"] for hit in body["institutions"]]
    total = count(
        server,
        f"""SELECT (COUNT(DISTINCT ?f) AS ?n) WHERE {{ ?f a mgi:Finding ; mgi:text ?t .
          FILTER(CONTAINS(LCASE(STR(?t)), LCASE("{word}"))) }}""",
    )
    # The API also ignores accents, so it finds at least what plain CONTAINS finds.
    assert body["findings"]["total"] >= total
    for finding in body["findings"]["items"]:
        assert finding["text"]


def test_search_ignores_accents(server: Server, knowledge_graph: Any) -> None:
    accented = api(server, "/api/search", q="Personería")
    plain = api(server, "/api/search", q="personeria")
    assert accented["institutions"] == plain["institutions"]
    assert BASE + "org/bucaramanga--personeria" in [
        h["institution"]["iri"] for h in plain["institutions"]
    ]
    assert (
        accented["findings"]["total"]
        == plain["findings"]["total"]
        == count(
            server,
            """SELECT (COUNT(DISTINCT ?f) AS ?n) WHERE { ?f a mgi:Finding ; mgi:text ?t .
          FILTER(REGEX(STR(?t), "person[eé]r[ií]a", "i")) }""",
        )
    )


@pytest.mark.parametrize(
    ("path", "params", "status", "code"),
    [
        ("/api/institutions/no-such-body", {}, 404, "not_found"),
        ("/api/institutions/Not%20A%20Slug", {}, 404, "not_found"),
        ("/api/profiles/no-such-profile", {}, 404, "not_found"),
        ("/api/findings/no-such-profile/1", {}, 404, "not_found"),
        ("/api/institutions", {"sort": "shoe-size"}, 400, "bad_request"),
        ("/api/institutions", {"type": "no-such-type"}, 400, "bad_request"),
        ("/api/search", {"q": "a"}, 400, "bad_request"),
        ("/api/compare", {"place": [f"p{i}" for i in range(9)]}, 400, "bad_request"),
    ],
)
def test_errors_are_json_with_a_code(
    server: Server, path: str, params: dict[str, Any], status: int, code: str
) -> None:
    body = api(server, path, status=status, **params)
    assert body["error"] == code and body["detail"]


def test_openapi_describes_the_api(server: Server) -> None:
    schema = api(server, "/openapi.json")
    for path in [
        "/api/institutions",
        "/api/institutions/{ident}",
        "/api/places",
        "/api/profiles/{ident}",
        "/api/search",
    ]:
        assert path in schema["paths"], path
