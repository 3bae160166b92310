"""/docs and /redoc render in headless Chromium under the pages' Content-Security-
Policy, with every script from this server (issue 12.7: no CDN)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.servers import Server

pytestmark = pytest.mark.e2e


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
