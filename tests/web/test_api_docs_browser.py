"""/docs and /redoc render in headless Chromium under the pages' Content-Security-
Policy, with every script from this server (issue 12.7: no CDN)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.servers import Server

CHROMIUM = "/usr/bin/chromium"
playwright_api = pytest.importorskip(
    "playwright.sync_api", reason="the playwright Python package is not installed"
)
if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
    pytest.skip(f"Debian's chromium is not installed at {CHROMIUM}", allow_module_level=True)

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with playwright_api.sync_playwright() as p:
        launched = p.chromium.launch(
            executable_path=CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium"),
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        try:
            yield launched
        finally:
            launched.close()


@pytest.mark.parametrize(("path", "rendered"), [("/docs", ".opblock"), ("/redoc", "h1")])
def test_api_docs_render_from_this_server(
    browser: Any, server: Server, path: str, rendered: str
) -> None:
    context = browser.new_context(base_url=server.base)
    page = context.new_page()
    outside: list[str] = []
    refused: list[str] = []
    page.on(
        "request",
        lambda r: (
            outside.append(r.url) if not r.url.startswith((server.base, "data:", "blob:")) else None
        ),
    )
    page.on(
        "console",
        lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None,
    )
    try:
        page.goto(path)
        page.wait_for_selector(rendered, timeout=20_000)
        assert "institutions" in page.content().lower()  # the explorer API's operations
    finally:
        context.close()
    assert outside == []
    assert refused == []
