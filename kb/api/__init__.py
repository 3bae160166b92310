"""The explorer's JSON API (`/api/…`): the data of the explorer pages, paged, as JSON."""

from kb.api.routes import router

__all__ = ["router"]
