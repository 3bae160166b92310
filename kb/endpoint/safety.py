"""What a public read-only endpoint refuses to run.

pyoxigraph evaluates SERVICE by calling the named endpoint over HTTP, so an
open SERVICE would let anyone make the server fetch any URL (its own
loopback, the cloud metadata address, the private network). SERVICE is
refused unless its endpoint is on the allow-list, and even then when the
endpoint's host resolves to a private, loopback, link-local or otherwise
non-public address. FROM and FROM NAMED only select graphs already in the
store (pyoxigraph never dereferences them), and LOAD is an update, refused
with every other update.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Iterable
from urllib.parse import urlsplit

from kb.endpoint.protocol import UPDATE_REFUSED
from kb.errors import QueryRefusedError
from kb.sparql.text import QueryShape


def normalise_endpoint(iri: str) -> str:
    parts = urlsplit(iri)
    return parts._replace(scheme=parts.scheme.lower(), netloc=parts.netloc.lower()).geturl()


def is_public_address(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def check_shape(shape: QueryShape, allowlist: Iterable[str]) -> list[str]:
    """Refuse updates and SERVICE calls off the allow-list; the endpoints left to resolve."""
    if shape.is_update:
        raise QueryRefusedError(UPDATE_REFUSED)
    allowed = {normalise_endpoint(e) for e in allowlist}
    endpoints = []
    for endpoint in shape.services:
        if endpoint is None:
            raise QueryRefusedError(
                "SERVICE must name its endpoint with an IRI (a variable cannot be checked)"
            )
        if normalise_endpoint(endpoint) not in allowed:
            raise QueryRefusedError(
                f"SERVICE <{endpoint}> is not allowed: this endpoint only federates with "
                "the endpoints its operator lists (service_allowlist)"
            )
        endpoints.append(endpoint)
    return endpoints


async def check_endpoints_public(endpoints: Iterable[str]) -> None:
    """Refuse allow-listed endpoints whose host resolves to a non-public address."""
    loop = asyncio.get_running_loop()
    for endpoint in endpoints:
        parts = urlsplit(endpoint)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise QueryRefusedError(f"SERVICE <{endpoint}> is not an http(s) URL")
        try:
            infos = await loop.getaddrinfo(
                parts.hostname, parts.port or 443, type=socket.SOCK_STREAM
            )
        except OSError as exc:
            raise QueryRefusedError(f"SERVICE <{endpoint}>: host does not resolve ({exc})") from exc
        for info in infos:
            address = str(info[4][0])
            if not is_public_address(address):
                raise QueryRefusedError(
                    f"SERVICE <{endpoint}> resolves to {address}, a private or local address"
                )
