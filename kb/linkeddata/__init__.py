"""Linked data: dereferenceable IRIs, documents in HTML and RDF, the ontology page.

`router` (FastAPI) serves the site from the published build; `Site` renders
any document of it (the server and `kb publish` share it). Importing this
package stays cheap: the build imports its JSON-LD writer and link index,
so the web parts load on first use.
"""

from __future__ import annotations

from typing import Any

__all__ = ["Site", "router"]


def __getattr__(name: str) -> Any:
    if name == "router":
        from kb.linkeddata.routes import router

        return router
    if name == "Site":
        from kb.linkeddata.site import Site

        return Site
    raise AttributeError(name)
