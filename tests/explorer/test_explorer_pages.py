"""Explorer pages over HTTP against a real `kb serve`: what a reader sees, in two languages.

Issue 6. The browser walk is in test_explorer_browser.py; these check the
HTML itself: counts equal the SPARQL answers, links resolve, text is escaped,
errors are pages, nothing is loaded from another site.
"""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import parse_qs, urljoin, urlsplit

import httpx
import pytest

from tests.support.servers import KnowledgeGraph, Server
from tests.support.sparql import count, sparql

PAGES = [
    "/explore",
    "/explore/institutions",
    "/explore/places",
    "/explore/compare",
    "/explore/workbench",
    "/explore/search?q=migra",
]


def get(server: Server, path: str, **headers: str) -> httpx.Response:
    with server.client() as client:
        return client.get(path, headers=headers)


def text_of(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", " ", html))


@pytest.fixture(scope="module")
def busiest(server: Server) -> tuple[str, str]:
    row = sparql(
        server,
        """SELECT ?o (COUNT(DISTINCT ?f) AS ?n) WHERE { ?f mgi:mentions ?o . ?o a org:Organization }
        GROUP BY ?o ORDER BY DESC(?n) ?o LIMIT 1""",
    )[0]
    return row["o"].rsplit("/", 1)[1], row["n"]


@pytest.mark.parametrize("path", PAGES)
def test_pages_load_nothing_from_elsewhere(server: Server, path: str) -> None:
    response = get(server, path)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    # What the page loads (stylesheets, scripts, icons) comes from this server and is there.
    loaded = re.findall(
        r'<script[^>]+src="([^"]+)"|<link rel="(?:stylesheet|icon|preload)" href="([^"]+)"',
        response.text,
    )
    assert len(loaded) >= 2  # the site's stylesheet and the explorer's
    for attr in (a or b for a, b in loaded):
        assert not re.match(r"(https?:)?//", attr), attr
        if not attr.startswith("data:"):
            url = urljoin(server.base + path, attr.replace("&amp;", "&"))
            assert get(server, url.removeprefix(server.base)).status_code == 200, attr


def test_home_shows_the_counts_of_the_graph(server: Server) -> None:
    html = get(server, "/explore").text
    for stat, cls in [("findings", "mgi:Finding"), ("institutions", "org:Organization")]:
        shown = re.search(rf'data-stat="{stat}">([\d,]+)<', html)
        assert shown, stat
        expected = count(server, f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ ?x a {cls} }}")
        assert int(shown.group(1).replace(",", "")) == expected


def test_spanish_by_accept_language_and_by_switch(server: Server) -> None:
    spanish = get(server, "/explore", **{"Accept-Language": "es-CO,es;q=0.9"}).text
    assert '<html lang="es">' in spanish and "Instituciones" in spanish
    english = get(server, "/explore", **{"Accept-Language": "es"}).text
    switched = get(server, "/explore?lang=en", **{"Accept-Language": "es"}).text
    assert "Instituciones" in english and "Institutions" in switched
    # An explicit choice is carried on by the page's links.
    assert 'href="/explore/institutions?lang=en"' in switched


def test_domain_labels_come_from_the_ontology(server: Server, busiest: tuple[str, str]) -> None:
    ident, _ = busiest
    labels = {
        row["lang"]: row["l"]
        for row in sparql(
            server,
            """SELECT ?l (LANG(?l) AS ?lang) WHERE { mgi:MigrantsRights skos:prefLabel ?l }""",
        )
    }
    es = get(server, f"/explore/institutions/{ident}?lang=es").text
    en = get(server, f"/explore/institutions/{ident}?lang=en").text
    assert labels["es"] in unescape(es) and labels["en"] in unescape(en)


def test_institution_page_counts_marks_and_sparql_links(
    server: Server, busiest: tuple[str, str]
) -> None:
    ident, findings = busiest
    html = get(server, f"/explore/institutions/{ident}").text
    assert f'data-total="findings">{findings} ' in html
    assert "<mark>" in html
    # Every panel's "show the SPARQL" opens the workbench with a query that runs.
    links = re.findall(r'class="sparql-link" href="([^"]+)"', html)
    assert len(links) >= 5
    for link in links:
        query = parse_qs(urlsplit(unescape(link)).query)["query"][0]
        assert urlsplit(unescape(link)).path == "/explore/workbench"
        with server.client() as client:
            response = client.post("/sparql", data={"query": query})
        assert response.status_code == 200, query
    tag = re.search(r'<a [^>]*id="linked-data-link"[^>]*>', html)
    assert tag and f'href="/id/org/{ident}"' in tag.group(0)
    # The linked-data page answers for it (303 to its document, or the page itself).
    with server.client() as client:
        answer = client.get(f"/id/org/{ident}", headers={"Accept": "text/html"})
    assert answer.status_code in (200, 303)


def test_institutions_index_pages_and_sorts(server: Server) -> None:
    total = count(server, "SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { ?o a org:Organization }")
    html = get(server, "/explore/institutions?sort=name&order=asc").text
    shown = re.search(r'id="institution-total">([^<]+)<', html)
    assert shown and shown.group(1).strip().endswith(f"of {total}")
    names = re.findall(r'<td><a href="/explore/institutions/[^"]+">([^<]+)</a></td>', html)
    assert names and [n.lower() for n in names] == sorted(n.lower() for n in names)
    if total > 50:
        second = get(server, "/explore/institutions?sort=name&order=asc&page=2").text
        assert f"51–{min(100, total)} of {total}" in second


def test_search_text_is_escaped(server: Server) -> None:
    html = get(server, "/explore/search?q=%3Cscript%3Ealert(1)%3C/script%3E").text
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_unknown_institution_is_a_404_page(server: Server) -> None:
    response = get(server, "/explore/institutions/no-such-body")
    assert response.status_code == 404
    assert "text/html" in response.headers["content-type"]
    assert "no institution with the id" in response.text


def test_bad_filter_is_a_400_page(server: Server) -> None:
    response = get(server, "/explore/institutions?domain=99")
    assert response.status_code == 400
    assert "unknown domain code" in response.text


def test_profile_page_shows_domains_side_by_side(server: Server, kg: KnowledgeGraph) -> None:
    profile = sparql(server, "SELECT ?p WHERE { ?p a mgi:Profile } ORDER BY ?p LIMIT 1")[0]["p"]
    ident = profile.rsplit("/", 1)[1]
    html = get(server, f"/explore/profiles/{ident}").text
    total = count(
        server, f"SELECT (COUNT(DISTINCT ?f) AS ?n) WHERE {{ <{profile}> mgi:hasFinding ?f }}"
    )
    assert f"({total})" in text_of(html)
    for code in "123456":
        assert f'id="domain-{code}"' in html
    assert html.count('class="column well"') == 6 and html.count('class="column potential"') == 6


@pytest.fixture(scope="module")
def kg(knowledge_graph: KnowledgeGraph) -> KnowledgeGraph:
    return knowledge_graph


def test_explorer_pages_wear_the_site_frame(server: Server) -> None:
    """Header, navigation, language switch and licence footer are the linked-data pages'."""
    page = get(server, "/explore/institutions?sort=name&order=asc&lang=es").text
    doc = get(server, "/catalog?lang=es").text
    for part in ('<header class="site">', '<nav class="sections"', '<footer class="site">'):
        assert part in page and part in doc, part
    nav = page[page.index('<nav class="sections"') :]
    nav = nav[: nav.index("</nav>")]
    assert '<a href="../profiles?lang=es">Perfiles</a>' in nav  # the linked-data lists
    assert '<a href=".?lang=es" aria-current="page">Explorador</a>' not in nav  # not ".": a page
    assert '<a href="../explore?lang=es" aria-current="page">Explorador</a>' in nav
    assert '<a href="../explore/workbench?lang=es">Banco de consultas</a>' in nav
    assert 'rel="license"' in page and "CC BY 4.0" in page
    assert '<link rel="stylesheet" href="../static/site.css">' in page
    # The switch keeps the path and the query, changing only the language.
    switch = page[page.index('<nav class="languages"') :]
    switch = switch[: switch.index("</nav>")]
    hrefs = [unescape(h) for h in re.findall(r'href="([^"]+)"', switch)]
    assert hrefs == [
        f"/explore/institutions?sort=name&order=asc&lang={code}"
        for code in ("en", "es", "fr", "pt")
    ]
    assert 'hreflang="es" lang="es" aria-current="true"' in switch
    # French: the frame and the ontology's labels in French, the explorer's words in English.
    french = get(server, "/explore/institutions?lang=fr").text
    assert '<html lang="fr">' in french and '<main id="main" class="explorer" lang="en">' in french
    assert "Explorateur" in french and "Institutions" in french
    workbench = get(server, "/explore/workbench").text
    assert '<a href="../explore/workbench" aria-current="page">Query workbench</a>' in workbench
