"""The web application on the top floor: `create_app(settings)` mounts the
SPARQL endpoint, the linked-data site and the explorer on one FastAPI app.
"""

from __future__ import annotations

from typing import Any

__all__ = ["create_app"]


def __getattr__(name: str) -> Any:
    if name == "create_app":  # loaded on first use: `import kb.web` stays cheap
        from kb.web.app import create_app

        return create_app
    raise AttributeError(name)
