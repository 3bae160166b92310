"""Linked data end to end: a real `kb serve` (uvicorn, free port) over the real build.

Every IRI the built graph mints is dereferenced in every representation; each
RDF answer must parse and hold the resource's triples, each HTML page must
name the resource, and a crawl from the home page must find no broken link
(anchors included). An independent toolkit (raptor's `rapper`) parses every
RDF page too.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import html
import re
import shutil
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pyoxigraph as ox
import pytest
import rdflib
import rdflib.compare

from kb.store import StoreLayout
from tests.support.linkcheck import crawl

pytestmark = pytest.mark.e2e  # starts servers of its own

if TYPE_CHECKING:
    from tests.support.servers import KnowledgeGraph, Server

BASE = "https://w3id.org/mgi/"
ONTOLOGY = "https://w3id.org/mgi/def"
MGI = ONTOLOGY + "#"
RDFLIB_FORMAT = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld", "rdf": "xml"}
MEDIA = {
    "html": "text/html",
    "ttl": "text/turtle",
    "jsonld": "application/ld+json",
    "nt": "application/n-triples",
    "rdf": "application/rdf+xml",
}
RAPPER = {"ttl": "turtle", "nt": "ntriples", "rdf": "rdfxml"}
LABELS = (
    "http://www.w3.org/2000/01/rdf-schema#label",
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://purl.org/dc/terms/title",
)


@pytest.fixture(scope="module")
def build_dir(knowledge_graph: KnowledgeGraph) -> Path:
    return StoreLayout(knowledge_graph.root).current_build()


@pytest.fixture(scope="module")
def quads(build_dir: Path) -> list[ox.Quad]:
    return list(ox.parse(path=str(build_dir / "dataset.nq"), format=ox.RdfFormat.N_QUADS))


@pytest.fixture(scope="module")
def by_subject(quads: list[ox.Quad]) -> dict[str, set[ox.Triple]]:
    index: dict[str, set[ox.Triple]] = defaultdict(set)
    for quad in quads:
        if isinstance(quad.subject, ox.NamedNode):
            index[quad.subject.value].add(quad.triple)
    return index


def minted_iris(quads: list[ox.Quad]) -> set[str]:
    """Every IRI of this dataset (under the base or the ontology) in any position."""
    found = set()
    for quad in quads:
        for term in (quad.subject, quad.predicate, quad.object, quad.graph_name):
            if isinstance(term, ox.NamedNode) and term.value.startswith(BASE):
                found.add(term.value)
    return found


@pytest.fixture(scope="module")
def client(server: Server, build_dir: Path) -> Iterator[httpx.Client]:
    with server.client() as c:
        yield c


def fetch(client: httpx.Client, path: str, accept: str | None = None) -> httpx.Response:
    headers = {"Accept": accept} if accept else {}
    return client.get(path, headers=headers)


def rdf_graph(body: bytes, ext: str) -> rdflib.Graph:
    return rdflib.Graph().parse(data=body, format=RDFLIB_FORMAT[ext])


def to_rdflib(triples: set[ox.Triple]) -> set[tuple[object, object, object]]:
    data = ox.serialize(list(triples), format=ox.RdfFormat.N_TRIPLES)
    return set(rdflib.Graph().parse(data=data, format="nt"))


def document_of(iri: str) -> str:
    """Where a client goes for an IRI: the part before `#`, local to the server."""
    return "/" + iri.partition("#")[0][len(BASE) :]


# --- every IRI, every representation -----------------------------------------------------


def test_every_minted_iri_dereferences_in_every_format(
    client: httpx.Client,
    quads: list[ox.Quad],
    by_subject: dict[str, set[ox.Triple]],
    tmp_path: Path,
) -> None:
    iris = minted_iris(quads)
    documents: dict[str, set[str]] = defaultdict(set)
    for iri in iris:
        documents[document_of(iri)].add(iri)
    assert any(p.startswith("/id/finding/") for p in documents)
    assert {"/id/profile/bucaramanga-2022", "/def", "/graph/reference"} <= set(documents)

    rdf_pages: list[tuple[Path, str]] = []
    checked = 0
    for path, members in sorted(documents.items()):
        if path.startswith("/id/"):
            first = fetch(client, path, "text/turtle")
            assert first.status_code == 303, path
            location = first.headers["location"]
            assert location.endswith("/doc/" + path[len("/id/") :]), location
            assert "vary" not in first.headers or "accept" not in first.headers["vary"].lower()
            document = location
        elif path in ("/graph/reference", "/def/0.1.0"):
            moved = fetch(client, path)
            assert moved.status_code == 303, path
            continue
        else:
            assert path == "/def", path
            document = path
        expected = set()
        for iri in members:
            expected |= by_subject.get(iri, set())
        assert expected, f"{path} describes nothing"
        wanted = to_rdflib({t for t in expected if not isinstance(t.object, ox.BlankNode)})
        for ext, media in MEDIA.items():
            response = fetch(client, document, media)
            assert response.status_code == 200, (document, media)
            assert response.headers["content-type"].split(";")[0] == media
            assert "accept" in response.headers["vary"].lower()
            links = response.headers["link"]
            for other in MEDIA.values():
                assert f'type="{other}"' in links
            if ext == "html":
                check_html_page(response.text, members, by_subject)
                continue
            graph = rdf_graph(response.content, ext)
            missing = [t for t in wanted if t not in graph]
            assert not missing, (document, ext, missing[:3])
            if ext in RAPPER:
                target = tmp_path / f"{len(rdf_pages)}.{ext}"
                target.write_bytes(response.content)
                rdf_pages.append((target, ext))
        checked += 1
    assert checked >= 100
    rapper_parses(rdf_pages)


def check_html_page(text: str, iris: set[str], by_subject: dict[str, set[ox.Triple]]) -> None:
    heading = re.search(r"<h1[^>]*>(.*?)</h1>", text, re.S)
    assert heading, "no <h1>"
    title = html.unescape(heading.group(1)).strip()
    labels = {
        t.object.value
        for iri in iris
        for t in by_subject.get(iri, ())
        if t.predicate.value in LABELS and isinstance(t.object, ox.Literal)
    }
    if any(iri.startswith(MGI) or iri == ONTOLOGY for iri in iris):
        assert "MGI" in title  # the vocabulary's own title
    else:
        assert title in labels, (title, sorted(labels)[:3])
    assert "CC BY 4.0" in text  # the licence, on every page
    assert 'type="application/ld+json"' in text


def rapper_parses(pages: list[tuple[Path, str]]) -> None:
    """raptor, an independent RDF toolkit, must parse each file without an error."""
    rapper = shutil.which("rapper")
    if rapper is None:
        pytest.skip("rapper (Debian raptor2-utils) is not installed; CI installs it")

    def run(item: tuple[Path, str]) -> tuple[Path, int, str]:
        path, ext = item
        done = subprocess.run(
            [rapper, "-q", "-i", RAPPER[ext], "-c", str(path), BASE],
            capture_output=True,
            text=True,
            check=False,
        )
        return path, done.returncode, done.stderr

    with ThreadPoolExecutor(max_workers=4) as pool:
        failures = [r for r in pool.map(run, pages) if r[1] != 0 or "error" in r[2].lower()]
    assert not failures, failures[:3]


# --- the crawl ------------------------------------------------------------------------------


def test_crawl_from_the_home_page_finds_no_broken_link(server: Server, build_dir: Path) -> None:
    with httpx.Client(follow_redirects=True, timeout=60) as c:

        def get(url: str) -> tuple[int, str, bytes]:
            r = c.get(url)
            return r.status_code, r.headers.get("content-type", ""), r.content

        # Explorer pages linked from the linked-data pages are checked, not crawled on
        # (their sort, filter and "Show the SPARQL" links are the explorer tests' business).
        report = crawl(get, server.base + "/", leaf=lambda url: "/explore" in url)
    assert not report.broken, report.broken[:10]
    pages = report.html_pages
    assert len(pages) > 400  # every resource, in every language
    explorer = [p for p in pages if "/explore" in p]
    for section in ("institutions", "places", "profiles", "findings"):
        assert any(f"/explore/{section}/" in p for p in explorer), section
    assert any(p.endswith("/explore/workbench") for p in explorer)
    assert any("lang=es" in p for p in explorer)  # the language chosen is carried on
    assert any("/doc/org/" in p for p in pages)
    assert any("/doc/finding/" in p for p in pages)
    assert any(p.endswith("/def") for p in pages)
    assert any(u.endswith(".jsonld") for u in report.status)
    assert any("/dumps/mgi.nq.gz" in u for u in report.status)


def test_org_page_and_explorer_page_link_to_each_other(server: Server, build_dir: Path) -> None:
    """An institution's document links to its explorer page, which links back to its IRI."""
    with httpx.Client(base_url=server.base, timeout=60) as c:
        for lang in ("", "?lang=es"):
            doc = c.get(f"/doc/org/bucaramanga--personeria{lang}").text
            found = re.search(r'<a href="([^"]+)" id="explorer-link">', doc)
            assert found, lang
            href = html.unescape(found.group(1))
            assert href == f"../../explore/institutions/bucaramanga--personeria{lang}"
            explorer = c.get(f"/doc/org/{href}")  # relative to /doc/org/
            assert explorer.status_code == 200
            back = re.search(r'href="([^"]+)" id="linked-data-link"', explorer.text)
            assert back and back.group(1) == "/id/org/bucaramanga--personeria"
            assert c.get(back.group(1), follow_redirects=True).url.path == (
                "/doc/org/bucaramanga--personeria"
            )
        # Places, profiles and findings too; vocabulary and instruments have no explorer page.
        for doc, target in (
            ("/doc/place/bucaramanga", "../../explore/places/bucaramanga"),
            ("/doc/profile/bucaramanga-2022", "../../explore/profiles/bucaramanga-2022"),
            ("/doc/finding/bucaramanga-2022/7", "../../../explore/findings/bucaramanga-2022/7"),
        ):
            page = c.get(doc).text
            assert f'<a href="{target}" id="explorer-link">' in page, doc
        assert 'id="explorer-link"' not in c.get("/def").text


def test_home_and_navigation_lead_to_the_explorer(server: Server, build_dir: Path) -> None:
    with httpx.Client(base_url=server.base, timeout=60) as c:
        home = c.get("/").text
        section = home[home.index('<section class="explore"') :]
        section = section[: section.index("</section>")]
        assert 'action="explore/search"' in section and 'name="q"' in section
        assert 'href="explore"' in section and 'href="explore/workbench"' in section
        # The site navigation, on every page, in every language.
        for path, up in (("/catalog", ""), ("/doc/org/bucaramanga--personeria", "../../")):
            page = c.get(path + "?lang=es").text
            nav = page[page.index('<nav class="sections"') : page.index("</nav>")]
            assert f'<a href="{up}explore?lang=es">Explorador</a>' in nav
            assert f'<a href="{up}explore/workbench?lang=es">Banco de consultas</a>' in nav
        search = c.get("/explore/search", params={"q": "personería"})
        assert search.status_code == 200 and "bucaramanga--personeria" in search.text


def test_incoming_links_sort_naturally(server: Server, build_dir: Path) -> None:
    """Finding 7 comes before finding 28, in the cards and in the list of mentions."""
    with httpx.Client(base_url=server.base, timeout=60) as c:
        page = c.get("/doc/org/bucaramanga--municipal-government").text

    def numbers(pattern: str) -> list[int]:
        return [int(n) for n in re.findall(pattern, page)]

    cards = numbers(r'class="finding-title"><a href="\.\./finding/bucaramanga-2022/(\d+)"')
    mentions = numbers(r'href="\.\./finding/bucaramanga-2022/(\d+)#mention-\d+"')
    assert len(cards) > 2 and cards == sorted(cards), cards
    assert len(mentions) > 2 and mentions == sorted(mentions), mentions


# --- negotiation, redirects, errors -------------------------------------------------------

ORG = "/id/org/bucaramanga--instituto-de-empleo-y-fomento-empresarial"
FINDING = "/id/finding/bucaramanga-2022/1"


def test_303_then_negotiated_document_with_its_alternates(client: httpx.Client) -> None:
    first = fetch(client, ORG, "text/html")
    assert first.status_code == 303
    doc = first.headers["location"]
    page = fetch(client, doc, "text/html")
    assert page.headers["content-location"].endswith(".html")
    assert page.headers["vary"].startswith("Accept, Accept-Language")
    turtle = fetch(client, doc, "text/turtle;q=0.9, application/ld+json;q=0.1")
    assert turtle.headers["content-type"].startswith("text/turtle")
    assert turtle.headers["content-location"].endswith(".ttl")
    explicit = fetch(client, doc + ".ttl", "text/html")  # the URL decides, not the header
    assert explicit.headers["content-type"].startswith("text/turtle")
    assert "content-location" not in explicit.headers
    assert explicit.content == turtle.content
    jsonld = fetch(client, doc + ".jsonld").json()
    assert jsonld["@context"]["label"] == "rdfs:label"
    assert jsonld["@graph"][0]["id"] == BASE + ORG[1:]


def test_an_explicit_format_through_the_iri(client: httpx.Client) -> None:
    moved = fetch(client, FINDING + ".ttl")
    assert moved.status_code == 303
    assert moved.headers["location"].endswith("/doc/finding/bucaramanga-2022/1.ttl")


def test_unacceptable_and_unknown(client: httpx.Client) -> None:
    refused = fetch(client, "/doc" + ORG[3:], "image/png")
    assert refused.status_code == 406
    assert "text/turtle" in refused.text
    assert 'rel="alternate"' in refused.headers["link"]
    missing = fetch(client, "/id/org/no-such-body", "text/html")
    assert missing.status_code == 404
    assert "text/html" in missing.headers["content-type"]
    assert BASE + "id/org/no-such-body" in html.unescape(missing.text)
    assert 'name="iri"' in missing.text  # a lookup form to try again
    assert "/institutions" in missing.text or "institutions" in missing.text
    plain = fetch(client, "/id/org/no-such-body", "text/turtle")
    assert plain.status_code == 404
    assert plain.headers["content-type"].startswith("text/plain")
    assert fetch(client, "/doc/place/bucaramanga.xml").status_code == 404


def test_lookup_of_pasted_iris(client: httpx.Client, server: Server) -> None:
    cases = {
        BASE + FINDING[1:] + "#mention-2": "/doc/finding/bucaramanga-2022/1#mention-2",
        f"<{BASE}{ORG[1:]}>": "/doc" + ORG[3:],
        MGI + "Finding": "/def#Finding",
        "mgi:WellDeveloped": "/def#WellDeveloped",
        server.base + "/doc/place/bucaramanga": "/doc/place/bucaramanga",
        BASE + "dataset": "/catalog",
    }
    for pasted, expected in cases.items():
        answer = client.get("/resource", params={"iri": pasted})
        assert answer.status_code == 303, pasted
        assert answer.headers["location"].endswith(expected), (pasted, answer.headers["location"])
    outside = client.get("/resource", params={"iri": "http://dbpedia.org/resource/Bucaramanga"})
    assert outside.status_code == 404
    assert BASE in html.unescape(outside.text)
    assert client.get("/resource", params={"iri": BASE + "id/org/nobody"}).status_code == 404
    form = client.get("/resource")
    assert form.status_code == 200 and 'name="iri"' in form.text


def test_pages_speak_the_readers_language(client: httpx.Client) -> None:
    spanish = client.get(
        "/doc/finding/bucaramanga-2022/1", headers={"Accept-Language": "es-CO,es;q=0.9"}
    )
    assert spanish.headers["content-language"] == "es"
    assert "Accept-Language" in spanish.headers["vary"]
    assert "Derechos de los migrantes" in spanish.text and "Texto del hallazgo" in spanish.text
    assert '<html lang="es">' in spanish.text
    english = client.get("/doc/finding/bucaramanga-2022/1", params={"lang": "en"})
    assert "Migrants&#39; rights" in english.text or "Migrants' rights" in english.text
    assert "Accept-Language" not in english.headers.get("vary", "")
    french = client.get("/def?lang=fr")
    assert (
        "Droits des migrants" in french.text and "Direitos dos migrantes" in french.text
    )  # all four languages


def test_finding_page_marks_its_mentions(client: httpx.Client) -> None:
    page = client.get("/doc/finding/bucaramanga-2022/1").text
    marks = re.findall(r"<mark>(.*?)</mark>", page, re.S)
    assert any("Alcaldía de Bucaramanga" in m for m in marks)
    assert 'id="mention-2"' in page  # the hash IRI's anchor
    assert '"@type": "CreativeWork"' in page  # schema.org for search engines
    assert (
        "bien desarrollada"
        in client.get("/doc/finding/bucaramanga-2022/1", params={"lang": "es"}).text
    )


def test_incoming_links_are_counted_and_paged(client: httpx.Client) -> None:
    place = "/doc/place/bucaramanga"
    first = client.get(place + ".ttl").text
    graph = rdflib.Graph().parse(data=first, format="turtle")
    hydra = rdflib.Namespace("http://www.w3.org/ns/hydra/core#")
    totals = {int(o) for o in graph.objects(None, hydra.totalItems)}
    assert max(totals) > 25  # more links into the city than one page holds
    assert (None, hydra.next, None) in graph
    second = client.get(place, params={"in": "mgi:jurisdiction", "page": "2"})
    assert second.status_code == 200
    assert 'rel="prev"' in second.text
    beyond = client.get(place, params={"in": "mgi:jurisdiction", "page": "99"})
    assert beyond.status_code == 404
    assert client.get(place, params={"page": "x"}).status_code == 400


def test_conditional_requests_and_head(client: httpx.Client) -> None:
    doc = "/doc" + ORG[3:] + ".ttl"
    first = client.get(doc)
    again = client.get(doc, headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304
    head = client.head(doc)
    assert head.status_code == 200 and head.headers["content-type"].startswith("text/turtle")


def test_home_catalogue_and_dumps(client: httpx.Client, build_dir: Path) -> None:
    home = client.get("/", headers={"Accept": "text/html"})
    assert '"@type": "Dataset"' in home.text
    assert client.get("/", headers={"Accept": "text/turtle"}).status_code == 303
    assert client.get("/dataset").headers["location"].endswith("/catalog")
    catalog = rdflib.Graph().parse(data=client.get("/catalog.ttl").text, format="turtle")
    dcat = rdflib.Namespace("http://www.w3.org/ns/dcat#")
    spdx = rdflib.Namespace("http://spdx.org/rdf/terms#")
    dataset = rdflib.URIRef(BASE + "dataset")
    assert (dataset, rdflib.RDF.type, dcat.Dataset) in catalog
    for dist in catalog.objects(dataset, dcat.distribution):
        url = str(catalog.value(dist, dcat.downloadURL))
        checksum = catalog.value(catalog.value(dist, spdx.checksum), spdx.checksumValue)
        body = client.get("/" + url[len(BASE) :])
        assert body.status_code == 200
        assert hashlib.sha256(body.content).hexdigest() == str(checksum)
        gzip.decompress(body.content)
    void = client.get("/.well-known/void", headers={"Accept": "text/turtle"})
    described = rdflib.Graph().parse(data=void.text, format="turtle")
    assert (dataset, None, None) in described  # VoID and DCAT describe the same dataset IRI


# --- the same documents over an external SPARQL store ------------------------------------

OXIGRAPH_CLI = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which(
    "oxigraph"
)


@pytest.mark.skipif(OXIGRAPH_CLI is None, reason="the oxigraph server CLI is not installed")
def test_documents_over_an_external_store_match_the_embedded_ones(
    knowledge_graph: KnowledgeGraph, build_dir: Path, tmp_path: Path
) -> None:
    """Without the build's side files, counts come from the store: same RDF either way."""
    from kb.linkeddata.formats import DocFormat
    from kb.linkeddata.paths import ServedLinker
    from kb.linkeddata.site import Site
    from kb.settings import Settings
    from kb.store import open_store
    from kb.store.sparql import load_build
    from tests.support.servers import free_port, stop

    port = free_port()
    assert OXIGRAPH_CLI is not None
    command = [OXIGRAPH_CLI, "serve", "--location", str(tmp_path / "ox")]
    process = subprocess.Popen(
        [*command, "--bind", f"127.0.0.1:{port}", "--union-default-graph"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(url + "/query", params={"query": "ASK {}"}).status_code == 200:
                    break
            time.sleep(0.1)
        settings = Settings(
            store=knowledge_graph.root,
            sparql_endpoint=url + "/query",
            graph_store_endpoint=url + "/store",
        )
        load_build(settings, build_dir)
        remote = Site.for_store(open_store(settings), base=BASE, build_dir=None)
        local = Site.for_build(build_dir, base=BASE)
        for path in ("doc/org/bucaramanga--municipal-government", "doc/place/bucaramanga"):
            mine, theirs = (
                rdf_graph(
                    site.resource_document(
                        path, DocFormat.TURTLE, lang="en", linker=ServedLinker(path)
                    ),
                    "ttl",
                )
                for site in (local, remote)
            )
            # Only the licence is unknown without the build's catalogue.
            licence = (rdflib.URIRef(BASE + path), rdflib.DCTERMS.license, None)
            mine.remove(licence)
            only_mine, only_theirs = set(mine) - set(theirs), set(theirs) - set(mine)
            assert not only_mine and not only_theirs, (
                path,
                sorted(only_mine)[:4],
                sorted(only_theirs)[:4],
            )
    finally:
        stop(process)
