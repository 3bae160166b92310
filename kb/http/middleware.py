"""Access log, request id and request metrics, as one plain ASGI middleware.

Plain ASGI (not Starlette's BaseHTTPMiddleware) so streamed bodies pass
through untouched and the per-request cost stays in microseconds.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kb.http.metrics import Metrics

access_log = logging.getLogger("kb.endpoint.access")
_SAFE_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


class RequestLogMiddleware:
    def __init__(self, app: ASGIApp, *, metrics: Metrics, log: bool = True) -> None:
        self.app = app
        self.metrics = metrics
        self.log = log

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        incoming = _header(scope, b"x-request-id")
        request_id = incoming if incoming and _SAFE_ID.fullmatch(incoming) else uuid.uuid4().hex
        state = scope.setdefault("state", {})
        state["request_id"] = request_id
        status = 500
        sent = 0

        async def send_wrapper(message: Message) -> None:
            nonlocal status, sent
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = list(message.get("headers", []))
                headers.append((b"x-request-id", request_id.encode()))
                message = {**message, "headers": headers}
            elif message["type"] == "http.response.body":
                sent += len(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        finally:
            if state.get("client_gone") and not sent:
                status = 499  # nginx's "client closed request": nothing was answered
            route = _route_label(scope)
            self.metrics.request(route, status)
            if self.log:
                record: dict[str, Any] = {
                    "request_id": request_id,
                    "method": scope["method"],
                    "path": scope.get("root_path", "") + scope["path"],
                    "status": status,
                    "ms": round((time.perf_counter() - started) * 1000, 2),
                    "bytes": sent,
                    "client": (scope.get("client") or ("", 0))[0],
                }
                for key in ("query_ms", "rows", "truncated", "form"):
                    if key in state:
                        record[key] = state[key]
                access_log.info(json.dumps(record))


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return value.decode("latin-1")
    return None


def _route_label(scope: Scope) -> str:
    # Label by the matched route template, never the raw path (unbounded cardinality).
    route = scope.get("route")
    path = getattr(route, "path", None)
    return str(path) if path else "unmatched"


class PrefixMiddleware:
    """Accept both kinds of reverse proxy: those that strip the root path and those that don't.

    uvicorn prepends `root_path` to every path, assuming the proxy stripped it;
    when the proxy forwarded `/mgi/sparql` unchanged the path becomes
    `/mgi/mgi/sparql`, and the duplicate is removed here.
    """

    def __init__(self, app: ASGIApp, *, root_path: str) -> None:
        self.app = app
        self.doubled = root_path + root_path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.doubled and scope["type"] == "http":
            path: str = scope["path"]
            if path == self.doubled or path.startswith(self.doubled + "/"):
                scope = {**scope, "path": path[len(self.doubled) // 2 :]}
                scope.pop("raw_path", None)
        await self.app(scope, receive, send)
