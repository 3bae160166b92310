"""The API documentation pages, `/docs` (Swagger UI) and `/redoc` (ReDoc), with
their libraries served from the explorer's vendored files: nothing loads from
a CDN, and no inline script is needed under the Content-Security-Policy."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

router = APIRouter(include_in_schema=False)

# Relative URLs: right behind a proxy's root path too (/mgi/docs -> /mgi/openapi.json).
_VENDOR = "explore/static/vendor"
_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>MGI Knowledge Graph API · {title}</title>{head}</head>
<body>{body}</body></html>
"""
SWAGGER = _PAGE.format(
    title="Swagger UI",
    head=f'<link rel="stylesheet" href="{_VENDOR}/swagger-ui/swagger-ui.css">',
    body=f'<div id="swagger-ui"></div><script src="{_VENDOR}/swagger-ui/swagger-ui-bundle.js">'
    '</script><script src="explore/static/api-docs.js"></script>',
)
REDOC = _PAGE.format(
    title="ReDoc",
    head="",
    body=f'<redoc spec-url="openapi.json"></redoc>'
    f'<script src="{_VENDOR}/redoc/redoc.standalone.js"></script>',
)


@router.get("/docs")
async def swagger_ui() -> HTMLResponse:
    return HTMLResponse(SWAGGER)


@router.get("/redoc")
async def redoc() -> HTMLResponse:
    return HTMLResponse(REDOC)
