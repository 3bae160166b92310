"""A link checker for the site: follow every same-site link from a start page.

Used by the tests (served site and `kb publish` output alike) and usable on
any deployment: a link is broken when its target does not answer 200, or
when its `#fragment` names no element of the target page.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

Fetch = Callable[[str], tuple[int, str, bytes]]
"""url -> (final status, content type, body); redirects already followed."""


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(str(values["id"]))
        if tag == "a" and values.get("name"):
            self.ids.add(str(values["name"]))
        for attribute in ("href", "src"):
            value = values.get(attribute)
            if value and tag in ("a", "link", "script", "img", "area"):
                self.links.append(value)


def page_links(html: str) -> tuple[list[str], set[str]]:
    """The link targets (href/src) and the element ids of an HTML page."""
    parser = _Links()
    parser.feed(html)
    return parser.links, parser.ids


@dataclass(frozen=True, slots=True)
class BrokenLink:
    url: str
    referrer: str
    reason: str


@dataclass(slots=True)
class CrawlReport:
    status: dict[str, int] = field(default_factory=dict)
    html_pages: list[str] = field(default_factory=list)
    broken: list[BrokenLink] = field(default_factory=list)


def crawl(
    fetch: Fetch,
    start: str,
    *,
    limit: int = 50_000,
    leaf: Callable[[str], bool] | None = None,
) -> CrawlReport:
    """Visit `start` and everything it links to on the same origin (scheme, host, port).

    A URL for which `leaf(url)` is true is checked (status, anchors) but its own links
    are not followed: another part of the site (the explorer) whose pages link to an
    open-ended set of views (sorting, filters, queries) has its own tests.
    """
    origin = urlsplit(start)[:2]
    report = CrawlReport()
    ids: dict[str, set[str]] = {}
    queue: deque[tuple[str, str]] = deque([(start, "")])
    fragments: list[tuple[str, str, str]] = []
    while queue and len(report.status) < limit:
        url, referrer = queue.popleft()
        if url in report.status:
            continue
        status, content_type, body = fetch(url)
        report.status[url] = status
        if status != 200:
            report.broken.append(BrokenLink(url, referrer, f"HTTP {status}"))
            continue
        if not content_type.startswith("text/html"):
            continue
        report.html_pages.append(url)
        links, page_ids = page_links(body.decode("utf-8", errors="replace"))
        ids[url] = page_ids
        if leaf is not None and leaf(url):
            continue
        for link in links:
            if link.startswith(("mailto:", "javascript:", "data:")):
                continue
            target, fragment = urldefrag(urljoin(url, link))
            if urlsplit(target)[:2] != origin:
                continue  # other sites are not ours to check
            if fragment:
                fragments.append((target, fragment, url))
            if target not in report.status:
                queue.append((target, url))
    for target, fragment, referrer in fragments:
        known = ids.get(target)
        if known is not None and fragment not in known:
            report.broken.append(BrokenLink(f"{target}#{fragment}", referrer, "no such anchor"))
    return report
