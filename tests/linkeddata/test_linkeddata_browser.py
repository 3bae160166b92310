"""What a person sees: an institution's page and a finding's page in headless Chromium.

Screenshots go to test-artifacts/ (git-ignored) for a look after a CI run.
Skipped when Playwright or /usr/bin/chromium is missing (CI installs both).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tests.support.servers import Server


ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
ORG = "/doc/org/bucaramanga--municipal-government"


def test_an_institution_and_its_findings(browser: Any, server: Server) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    page.goto(server.base + ORG + "?lang=es")
    assert page.locator("h1").inner_text() == "Alcaldía de Bucaramanga"
    assert page.locator("html").get_attribute("lang") == "es"
    cards = page.locator("#incoming-mgi-mentions .finding-card")
    assert cards.count() >= 3
    first = cards.first
    assert first.locator(".domain a").inner_text()  # domain and assessment, in Spanish
    assert "desarroll" in first.locator(".assessment a").inner_text().lower()
    marked = first.locator("mark")
    assert marked.count() >= 1 and marked.first.is_visible()
    assert "Alcald" in marked.first.inner_text()
    page.screenshot(path=str(ARTIFACTS / "linked-data-organisation.png"), full_page=True)

    # Follow the finding, then a highlighted mention back out of it.
    first.locator(".finding-title a").click()
    page.wait_for_load_state()
    assert "/doc/finding/" in page.url
    assert "hallazgo" in page.locator(".types").inner_text().lower()
    text = page.locator("blockquote.finding-text")
    assert text.locator("mark").count() >= 1
    page.screenshot(path=str(ARTIFACTS / "linked-data-finding.png"), full_page=True)
    text.locator("mark a").first.click()
    page.wait_for_load_state()
    assert "/doc/" in page.url and page.locator("h1").inner_text()
    page.close()


def test_a_mention_iri_lands_on_its_row_without_javascript(browser: Any, server: Server) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    response = page.goto(server.base + "/id/finding/bucaramanga-2022/1#mention-2")
    assert response is not None and response.ok
    assert page.url.endswith("/doc/finding/bucaramanga-2022/1#mention-2")
    row = page.locator("tr:target")
    assert row.count() == 1 and "Alcaldía de Bucaramanga" in row.inner_text()
    page.get_by_role("link", name="Português").click()
    assert page.locator("html").get_attribute("lang") == "pt"
    assert page.get_by_role("heading", name="Texto da constatação").is_visible()
    context.close()
