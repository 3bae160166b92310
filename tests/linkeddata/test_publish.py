"""`kb publish`: the static site, served by `python -m http.server`, has no broken link."""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest
import rdflib
from click.testing import CliRunner

from kb.cli import cli
from tests.support.linkcheck import crawl
from tests.support.servers import free_port

pytestmark = pytest.mark.e2e  # starts servers of its own

if TYPE_CHECKING:
    from tests.support.servers import KnowledgeGraph

BASE = "https://w3id.org/mgi/"


@pytest.fixture(scope="module")
def site_dir(knowledge_graph: KnowledgeGraph, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    result = CliRunner().invoke(
        cli, ["publish", "--store", str(knowledge_graph.root), "--out", str(out), "-q"]
    )
    assert result.exit_code == 0, result.output
    assert "published" in result.output
    return out


@contextlib.contextmanager
def static_server(directory: Path) -> Iterator[str]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"],
        cwd=directory,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(base + "/index.html", timeout=1).status_code == 200:
                    break
            time.sleep(0.05)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def test_static_site_has_no_broken_link(site_dir: Path) -> None:
    with static_server(site_dir) as base, httpx.Client(timeout=30) as client:

        def get(url: str) -> tuple[int, str, bytes]:
            r = client.get(url)
            return r.status_code, r.headers.get("content-type", ""), r.content

        report = crawl(get, base + "/index.html")
    assert not report.broken, report.broken[:10]
    assert len(report.html_pages) > 400
    assert any(url.endswith("/def.ttl") for url in report.status)
    assert any(url.endswith("/dumps/mgi.nq.gz") for url in report.status)


def test_every_resource_as_html_turtle_and_jsonld(site_dir: Path) -> None:
    docs = site_dir / "doc"
    pages = {p.with_suffix("") for p in docs.rglob("*.html") if p.suffixes == [".html"]}
    assert len(pages) > 100
    for stem in pages:
        for ext in (".ttl", ".jsonld", ".nt", ".rdf", ".es.html"):
            assert stem.with_name(stem.name + ext).is_file(), (stem, ext)
    org = docs / "org" / "bucaramanga--municipal-government"
    graph = rdflib.Graph().parse(org.with_suffix(".jsonld"), format="json-ld")
    assert (rdflib.URIRef(BASE + "id/org/bucaramanga--municipal-government"), None, None) in graph
    page = org.with_suffix(".html").read_text()
    assert "<mark>" in page and "CC BY 4.0" in page
    for name in ("index.html", "def.html", "def.ttl", "catalog.html", "catalog.ttl", "404.html"):
        assert (site_dir / name).is_file(), name
    assert (site_dir / ".well-known" / "void").is_file()
    assert "RewriteRule ^id/(.+)$ doc/$1 [R=303,L]" in (site_dir / ".htaccess").read_text()


def test_rapper_parses_the_static_rdf(site_dir: Path) -> None:
    rapper = shutil.which("rapper")
    if rapper is None:
        pytest.skip("rapper (Debian raptor2-utils) is not installed; CI installs it")
    files = [
        *site_dir.rglob("*.ttl"),
        *site_dir.glob("*.rdf"),
        *site_dir.glob("*.nt"),
        site_dir / ".well-known" / "void",
    ]
    parser = {".ttl": "turtle", ".rdf": "rdfxml", ".nt": "ntriples", "": "turtle"}

    def run(path: Path) -> tuple[Path, int, str]:
        done = subprocess.run(
            [rapper, "-q", "-i", parser[path.suffix], "-c", str(path), BASE],
            capture_output=True,
            text=True,
            check=False,
        )
        return path, done.returncode, done.stderr

    with ThreadPoolExecutor(max_workers=4) as pool:
        failures = [r for r in pool.map(run, files) if r[1] != 0]
    assert len(files) > 100
    assert not failures, failures[:3]


def test_fewer_languages_and_formats_still_link_only_to_what_exists(
    site_dir: Path, knowledge_graph: KnowledgeGraph, tmp_path: Path
) -> None:
    out = tmp_path / "small"
    result = CliRunner().invoke(
        cli,
        [
            "publish",
            "--store",
            str(knowledge_graph.root),
            "--out",
            str(out),
            "--languages",
            "es,en",
            "--formats",
            "html,ttl",
            "-q",
        ],
    )
    assert result.exit_code == 0, result.output
    assert '<html lang="es">' in (out / "index.html").read_text()
    assert not list(out.rglob("*.jsonld")) and not list(out.rglob("*.fr.html"))
    with static_server(out) as base, httpx.Client(timeout=30) as client:

        def get(url: str) -> tuple[int, str, bytes]:
            r = client.get(url)
            return r.status_code, r.headers.get("content-type", ""), r.content

        report = crawl(get, base + "/index.html")
    assert not report.broken, report.broken[:10]


def test_publish_refuses_unknown_languages_and_formats(knowledge_graph: KnowledgeGraph) -> None:
    runner = CliRunner()
    for option, value in (("--languages", "de"), ("--formats", "ttl"), ("--formats", "html,xml")):
        result = runner.invoke(
            cli, ["publish", "--store", str(knowledge_graph.root), "--out", "unused", option, value]
        )
        assert result.exit_code == 2, (option, value, result.output)


def test_explorer_links_only_with_a_live_site(
    knowledge_graph: KnowledgeGraph, site_dir: Path, tmp_path: Path
) -> None:
    page = Path("doc/org/bucaramanga--personeria.html")
    assert "/explore/" not in (site_dir / page).read_text(encoding="utf-8")
    out = tmp_path / "live"
    result = CliRunner().invoke(
        cli,
        [
            "publish",
            "--store",
            str(knowledge_graph.root),
            "--out",
            str(out),
            "--languages",
            "en",
            "--formats",
            "html",
            "--live-site",
            "https://mgi.example.org/",
            "-q",
        ],
    )
    assert result.exit_code == 0, result.output
    html = (out / page).read_text(encoding="utf-8")
    assert 'href="https://mgi.example.org/explore/institutions/bucaramanga--personeria' in html
