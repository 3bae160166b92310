"""What every explorer request needs: the `Explorer`, the language, URLs, rendering.

Pages link with absolute paths under the app's root path (so they work behind
a proxy prefix), carrying `?lang=` on only when the reader chose a language
explicitly. Templates are Jinja2 with autoescaping: labels come from data.
"""

from __future__ import annotations

import json
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from kb.errors import KbError, ProtocolError
from kb.explorer.charts import Node, network_svg
from kb.explorer.i18n import Words, page_language
from kb.explorer.models import Mention
from kb.explorer.services import Explorer
from kb.explorer.text import year_of
from kb.http.errors import status_and_code
from kb.linkeddata.highlight import Span, highlight
from kb.linkeddata.i18n import LANGUAGE_NAMES, LANGUAGES
from kb.linkeddata.paths import WORKBENCH, ServedLinker, Target
from kb.linkeddata.render import Chrome, LanguageChoice, chrome
from kb.linkeddata.site import licence_of_build

HERE = Path(__file__).parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"
PAGE_SIZE = 50


async def get_explorer(request: Request) -> Explorer:
    # One runner per app (its cache is per dataset version), made by the app factory.
    state = request.app.state
    return Explorer(state.explorer_runner, state.settings.base_iri)


ExplorerDep = Annotated[Explorer, Depends(get_explorer)]


def request_language(request: Request) -> tuple[str, str | None]:
    """(language, the explicit `?lang=` if it named one we have)."""
    explicit = request.query_params.get("lang")
    lang = page_language(explicit, request.headers.get("accept-language"))
    return lang, (lang if explicit and explicit.lower() == lang else None)


class Urls:
    """Absolute paths under the root path; `?lang=` carried when chosen explicitly."""

    def __init__(self, request: Request, explicit_lang: str | None) -> None:
        self.root = request.scope.get("root_path", "").rstrip("/")
        self.explicit_lang = explicit_lang
        self.request = request

    def __call__(self, path: str, **params: Any) -> str:
        items: list[tuple[str, str]] = []
        for key, value in params.items():
            if value is None or value == "" or value is False:
                continue
            if isinstance(value, list | tuple):
                items += [(key, str(v)) for v in value]
            else:
                items.append((key, str(value)))
        if self.explicit_lang and not any(k == "lang" for k, _ in items):
            items.append(("lang", self.explicit_lang))
        return self.root + path + ("?" + urlencode(items) if items else "")

    def here(self, **changes: Any) -> str:
        """This page's URL with some parameters changed (None removes one)."""
        params: dict[str, Any] = {}
        for key, value in self.request.query_params.multi_items():
            params.setdefault(key, []).append(value)
        for key, value in changes.items():
            params[key] = value
        path = self.request.url.path
        if self.root and path.startswith(self.root):
            path = path[len(self.root) :]
        flat = {k: (v[0] if isinstance(v, list) and len(v) == 1 else v) for k, v in params.items()}
        return self(path, **flat)

    def site_path(self) -> str:
        """This page's path from the site root, without a leading slash (`explore/places`)."""
        path = self.request.url.path
        if self.root and path.startswith(self.root):
            path = path[len(self.root) :]
        return path.lstrip("/")

    def workbench(self, query: str, title: str | None = None) -> str:
        """Opens `query` in the workbench (YASGUI reads `query` and `tabTitle` from the URL)."""
        return self("/explore/workbench", query=query, tabTitle=title)

    def resource(self, iri: str | None, base: str) -> str | None:
        """The linked-data page of one of our IRIs, served by this site under `/id/…`."""
        if not iri or not iri.startswith(base):
            return None
        return self.root + "/" + iri[len(base) :]


def _mark(text: str, spans: list[tuple[int, int]]) -> Markup:
    """The text, HTML-escaped, with the given [start, end) spans in <mark>."""
    return highlight(text, [Span(start, end) for start, end in spans])


def _mark_mentions(text: str, mentions: list[Mention], urls: Urls) -> Markup:
    """The text with every mention marked, institutions linked to their explorer page."""
    spans = []
    for m in mentions:
        href = None
        if m.kind == "institution" and m.target.id:
            href = urls(f"/explore/institutions/{m.target.id}")
        css = "org" if m.kind == "institution" else "instrument"
        spans.append(Span(m.start, m.end, href=href, title=m.target.label, css=css))
    return highlight(text, spans)


def _tojson_script(data: Any) -> Markup:
    # Safe inside <script type="application/json">: no "</script>" or "<!--" can form.
    text = json.dumps(data, ensure_ascii=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)  # noqa: S704 - escaped for a script block just above


@cache
def environment() -> Environment:
    # Our templates first; the linked-data templates (base.html, macros) after them.
    loaders = [FileSystemLoader(TEMPLATES)]
    linked = HERE.parent / "linkeddata" / "templates"
    if linked.is_dir():
        loaders.append(FileSystemLoader(linked))
    env = Environment(
        loader=ChoiceLoader(loaders),
        autoescape=select_autoescape(["html", "svg"], default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["mark"] = _mark
    env.filters["mark_mentions"] = _mark_mentions
    env.filters["year"] = year_of
    env.filters["script_json"] = _tojson_script
    env.globals["network_svg"] = network_svg
    env.globals["Node"] = Node
    return env


def page_chrome(request: Request, lang: str, urls: Urls) -> Chrome:
    """The site's frame (kb/linkeddata/templates/base.html) for an explorer page.

    Navigation, licence and version are those of the linked-data pages; the
    language switch keeps this page's path and query, changing only `lang`.
    """
    here = urls.site_path()
    state = request.app.state
    dataset = getattr(getattr(state, "service", None), "dataset", None)
    build_dir = getattr(dataset, "build_dir", None)
    frame = chrome(
        linker=ServedLinker(here, urls.explicit_lang),
        lang=lang,
        here=Target(here),
        licence=licence_of_build(build_dir, state.settings.base_iri),
        version=dataset.version if dataset is not None else "",
        section=WORKBENCH if here.startswith(WORKBENCH) else "explore",
    )
    choices = [
        LanguageChoice(code, LANGUAGE_NAMES[code], urls.here(lang=code), code == lang)
        for code in LANGUAGES
    ]
    return replace(frame, languages=choices)


def render(
    request: Request, template: str, *, status_code: int = 200, **context: Any
) -> HTMLResponse:
    lang, explicit = request_language(request)
    urls = Urls(request, explicit)
    words = Words(lang)
    base = request.app.state.settings.base_iri
    html = (
        environment()
        .get_template(template)
        .render(
            chrome=page_chrome(request, lang, urls),
            t=words,
            lang=words.lang,
            url=urls,
            base_iri=base,
            resource=lambda iri: urls.resource(iri, base),
            **context,
        )
    )
    headers = {"Vary": "Accept-Language", "Content-Language": lang}
    return HTMLResponse(html, status_code=status_code, headers=headers)


def render_error(request: Request, exc: KbError) -> HTMLResponse:
    status, code = status_and_code(exc)
    if isinstance(exc, ProtocolError):
        status = 400
    return render(
        request, "error.html", status_code=status, status=status, code=code, detail=str(exc)
    )


def page_params(page: int, size: int = PAGE_SIZE) -> tuple[int, int]:
    """(limit, offset) of a 1-based page number."""
    return size, (max(page, 1) - 1) * size
