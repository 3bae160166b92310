"""The SPARQL 1.1 endpoint: `create_app(settings)` and the query worker pool.

Importing this package stays cheap (query workers import only `kb.serve.worker`);
`create_app` is loaded on first use.
"""

from __future__ import annotations

from typing import Any

__all__ = ["create_app"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from kb.serve.app import create_app

        return create_app
    raise AttributeError(name)
