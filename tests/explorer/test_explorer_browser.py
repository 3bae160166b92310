"""The explorer in headless Chromium, as a reader uses it (issue 6).

Walks home → search "Personería" → the institution → one of its findings →
its profile → compare, and the workbench: load an example, run it, read the
table; "show the SPARQL" reopens a panel's query there; errors name their
cause. Screenshots of every step go to test-artifacts/ (git-ignored).

Needs the `playwright` Python package and Debian's `chromium`
(/usr/bin/chromium; `playwright install` is not used). Skipped, saying why,
when either is missing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from tests.support.servers import REPO, Server
from tests.support.sparql import count, sparql

ARTIFACTS = REPO / "test-artifacts" / "explorer"


@pytest.fixture
def page(browser: Any, server: Server) -> Iterator[Any]:
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, base_url=server.base, locale="en-GB"
    )
    page = context.new_page()
    page.set_default_timeout(20_000)
    outside: list[str] = []
    # Nothing may come from another site (no CDN, no tiles, no vocabulary look-ups).
    page.on(
        "request",
        lambda r: (
            outside.append(r.url) if not r.url.startswith((server.base, "data:", "blob:")) else None
        ),
    )
    yield page
    context.close()
    assert outside == [], f"requests to other sites: {outside}"


def shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_walk_from_home_to_compare(page: Any, server: Server) -> None:
    page.goto("/explore")
    institutions = count(
        server, "SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { ?o a org:Organization }"
    )
    assert page.locator('[data-stat="institutions"]').inner_text() == f"{institutions:,}"
    shot(page, "01-home")

    page.get_by_label("Search", exact=True).last.fill("Personería")
    page.get_by_role("button", name="Search").last.click()
    page.wait_for_url(re.compile(r"/explore/search\?q=Personer"))
    assert "Search results for “Personería”" in page.locator("h1").inner_text()
    shot(page, "02-search")

    page.get_by_role("link", name="Personería de Bucaramanga", exact=True).click()
    page.wait_for_url("**/explore/institutions/bucaramanga--personeria")
    assert page.locator("h1").inner_text() == "Personería de Bucaramanga"
    findings = count(
        server,
        """SELECT (COUNT(DISTINCT ?f) AS ?n)
        WHERE { ?f mgi:mentions <https://w3id.org/mgi/id/org/bucaramanga--personeria> }""",
    )
    assert page.locator('[data-total="findings"]').inner_text().startswith(f"{findings} ")
    marks = page.locator("#findings mark")
    assert marks.count() >= findings
    assert "Personería" in marks.first.inner_text()
    assert page.locator("#findings .badge").first.inner_text() in ("well-developed", "potential")
    assert page.locator("#co-mentions svg.network").is_visible()
    shot(page, "03-institution")

    page.locator("#findings a.finding-link").first.click()
    page.wait_for_url(re.compile(r"/explore/findings/bucaramanga-2022/\d+$"))
    text = page.locator("blockquote.text").inner_text()
    number = page.url.rsplit("/", 1)[1]
    iri = f"https://w3id.org/mgi/id/finding/bucaramanga-2022/{number}"
    stored = sparql(server, f"SELECT ?t WHERE {{ <{iri}> mgi:text ?t }}")[0]["t"]
    assert text == stored
    shot(page, "04-finding")

    page.locator("#profile-link").click()
    page.wait_for_url("**/explore/profiles/bucaramanga-2022")
    assert page.locator("#domains h2").inner_text().startswith("Findings (33)")
    assert page.locator("#domain-4 .column.well li").count() == count(
        server,
        """SELECT (COUNT(DISTINCT ?f) AS ?n) WHERE {
          <https://w3id.org/mgi/id/profile/bucaramanga-2022> mgi:hasFinding ?f .
          ?f mgi:domain mgi:MigrantWellbeing ; mgi:assessment mgi:WellDeveloped }""",
    )
    shot(page, "05-profile")

    page.locator("#compare-link").click()
    page.wait_for_url("**/explore/compare?place=bucaramanga")
    cell = page.locator('#compare-table td[data-cell="1/well-developed"]').first
    assert cell.inner_text() == "4"  # Migrants' rights, well-developed (the gold annotation)
    totals = page.locator("#compare-table tfoot td").first.inner_text()
    assert totals == "33"
    shot(page, "06-compare")


def test_spanish_interface(page: Any, server: Server) -> None:
    page.goto("/explore/institutions/bucaramanga--personeria?lang=es")
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.get_by_role("heading", name="Hallazgos que la mencionan (1)").is_visible()
    domain = sparql(
        server,
        """SELECT ?l WHERE { mgi:MigrantsRights skos:prefLabel ?l FILTER(LANG(?l) = "es") }""",
    )[0]["l"]
    assert page.get_by_text(domain).first.is_visible()
    # The explorer's own sections (the site navigation's "Instituciones" is the linked-data list).
    sections = page.get_by_role("navigation", name="Explorador")
    sections.get_by_role("link", name="Instituciones", exact=True).click()
    page.wait_for_url("**/explore/institutions?lang=es")
    assert page.get_by_role("columnheader", name="Jurisdicción").is_visible()
    shot(page, "07-spanish-index")


def test_workbench_example_runs_into_a_table(page: Any, server: Server) -> None:
    page.goto("/explore/workbench")
    page.get_by_role("button", name="Examples…").click()
    dialog = page.locator("#examples-dialog")
    assert dialog.get_by_role("heading", name="Example queries").is_visible()
    example = dialog.locator('li[data-example="institutions-ranked-by-findings"]')
    assert "Institutions ranked by the number of findings" in example.locator("h3").inner_text()
    example.get_by_role("button", name="Load").click()
    assert "title%3A+Institutions+ranked" in page.locator("#share-link").input_value()
    page.locator(".yasqe_queryButton").click()
    rows = page.locator(".yasr_results table tbody tr")
    rows.first.wait_for()
    expected = count(
        server,
        """SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE {
          ?f a mgi:Finding ; mgi:mentions ?o ; mgi:profile ?p . ?o a org:Organization }""",
    )
    page.wait_for_function(
        "n => document.querySelectorAll('.yasr_results table tbody tr').length === n",
        arg=min(expected, 50),
    )
    assert page.locator("#workbench-status").inner_text().startswith(f"{expected} rows")
    shot(page, "08-workbench-table")

    page.locator(".select_chart").click()
    assert page.locator(".yasr_results svg.yasr-svg rect").count() == min(expected, 60)
    shot(page, "09-workbench-chart")


def test_show_the_sparql_reopens_the_panel_query(page: Any, server: Server) -> None:
    row = sparql(
        server,
        """SELECT ?o WHERE { ?f mgi:mentions ?o . ?o a org:Organization }
        GROUP BY ?o ORDER BY DESC(COUNT(?f)) ?o LIMIT 1""",
    )[0]
    page.goto(f"/explore/institutions/{row['o'].rsplit('/', 1)[1]}")
    page.locator("#chart .sparql-link").click()
    page.wait_for_url(re.compile(r"/explore/workbench\?query="))
    # YASGUI opens the query from the URL in a tab of its own and runs it.
    page.locator(".yasr_results table tbody tr").first.wait_for()
    query = page.evaluate("window.mgiWorkbench.getTab().getQuery()")
    assert "Findings that mention one institution, per domain and assessment" in query
    assert row["o"] in query
    shot(page, "10-workbench-from-panel")


def test_workbench_names_the_cause_of_an_error(page: Any) -> None:
    page.goto("/explore/workbench")
    page.evaluate("window.mgiWorkbench.getTab().setQuery('SELECT * WHERE { ?s ?p }'), null")
    page.locator(".yasqe_queryButton").click()
    status = page.locator("#workbench-status.error")
    status.wait_for()
    assert status.inner_text().startswith("Syntax error (line 1, column")
    assert page.locator('.workbench-error[data-error="query_syntax"]').is_visible()
    shot(page, "11-workbench-syntax-error")


def test_workbench_reports_deadline_and_row_cap(page: Any) -> None:
    page.goto("/explore/workbench")
    # A query far too big for a one-second deadline: the endpoint stops it (504).
    page.evaluate(
        """() => { const tab = window.mgiWorkbench.getTab();
        tab.setRequestConfig({ args: [{ name: "timeout", value: "1" }] });
        tab.setQuery('SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }'); }"""
    )
    page.locator(".yasqe_queryButton").click()
    status = page.locator("#workbench-status.error")
    status.wait_for()
    assert "deadline" in status.inner_text()
    assert page.locator('.workbench-error[data-error="query_timeout"]').is_visible()
    shot(page, "12-workbench-timeout")

    # More rows than the row cap: the answer is cut and the page says so.
    page.evaluate(
        """() => { const tab = window.mgiWorkbench.getTab();
        tab.setRequestConfig({ args: [] });
        tab.setQuery('SELECT ?a ?d WHERE { ?a ?b ?c . ?d ?e ?f } LIMIT 12000'); }"""
    )
    page.locator(".yasqe_queryButton").click()
    warning = page.locator("#workbench-status.warning")
    warning.wait_for()
    assert "row cap" in warning.inner_text()
    shot(page, "13-workbench-row-cap")
