"""HTTP behaviour every route shares, as one plain ASGI middleware.

- **HEAD** on any GET route: answered as the GET would be, headers included
  (Content-Length too), with no body.
- **OPTIONS** without a CORS preflight: 204 with the methods the path takes.
  A preflight (Origin and Access-Control-Request-Method) goes on to CORS.
- **Security headers** on every response: a Content-Security-Policy that lets
  pages load only the server's own scripts (nothing from a CDN; ReDoc's search
  runs in a worker it makes from a blob of its own code), no framing, no MIME
  sniffing, no referrer beyond the origin.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
]
# Paths that also take POST (the SPARQL protocol); every other path reads only.
POST_PATHS = ("/sparql", "/sparql/")


class HttpHygieneMiddleware:
    def __init__(self, app: ASGIApp, *, root_path: str = "") -> None:
        self.app = app
        self.root_path = root_path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        method = scope["method"]
        if method == "OPTIONS" and not _is_preflight(scope):
            await self._options(scope, send)
            return
        head = method == "HEAD"
        if head:
            scope = {**scope, "method": "GET"}

        async def secured(message: Message) -> None:
            if message["type"] == "http.response.start":
                known = {name for name, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in SECURITY_HEADERS if k not in known]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            elif head and message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app(scope, receive, secured)

    async def _options(self, scope: Scope, send: Send) -> None:
        path = scope["path"].removeprefix(self.root_path)
        methods = "GET, HEAD, POST, OPTIONS" if path in POST_PATHS else "GET, HEAD, OPTIONS"
        headers = [(b"allow", methods.encode()), (b"content-length", b"0"), *SECURITY_HEADERS]
        await send({"type": "http.response.start", "status": 204, "headers": headers})
        await send({"type": "http.response.body", "body": b""})


def _is_preflight(scope: Scope) -> bool:
    names = {name for name, _ in scope.get("headers", [])}
    return b"origin" in names and b"access-control-request-method" in names
