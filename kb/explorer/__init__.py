"""The institution-centric explorer: pages under `/explore`, its JSON API under `/api`.

`router` carries both; `kb.web.app.create_app` includes it. Every page and
API answer comes from SPARQL queries (`queries.py`) run on the endpoint's
worker pool (`runner.py`).
"""

from __future__ import annotations

from fastapi import APIRouter

from kb.explorer.api import router as api_router
from kb.explorer.routes import router as pages_router

router = APIRouter()
router.include_router(pages_router)
router.include_router(api_router)

__all__ = ["router"]
