"""Configuration: one `Settings` object, built by the CLI or the app factory.

Every field can be set by an environment variable `KB_<FIELD>` (for example
`KB_STORE=/srv/mgi/store`) or a `.env` file in the working directory; CLI
options override both. Relative paths are taken from the working directory.
Nothing reads the environment at import time.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from kb.iris import DEFAULT_BASE, Iris


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="KB_", env_file=".env", env_ignore_empty=True, extra="ignore"
    )

    base_iri: str = DEFAULT_BASE
    """Base under which data IRIs are minted (id/profile/…, id/org/…)."""
    profiles: Path = Path("data/profiles")
    """Directory of profile texts that `kb build` reads."""
    reference: Path = Path("data/reference")
    """Curated reference data (places, institutions)."""
    ontology: Path = Path("ontology/mgi.ttl")
    shapes: Path = Path("shapes")
    queries: Path = Path("queries")
    """Example SPARQL queries (`*.rq`)."""
    store: Path = Path(".kb")
    """Root of the embedded store: builds/ and the `current` pointer."""

    @field_validator("base_iri")
    @classmethod
    def _base_ends_with_slash(cls, value: str) -> str:
        if not value.endswith("/"):
            raise ValueError("base IRI must end with '/'")
        return value

    @property
    def iris(self) -> Iris:
        return Iris(self.base_iri)

    # --- `kb serve`: the SPARQL endpoint (docs/sparql-endpoint.md lists every field) ---
    host: str = "127.0.0.1"
    """Interface the server binds to."""
    port: int = Field(default=8000, ge=0, le=65535)
    workers: int = Field(default_factory=lambda: min(64, usable_cores()), ge=1, le=64)
    """Query worker processes, one per core by default; each holds its own copy of the
    store (memory mode) or opens the disk store read-only."""
    store_mode: Literal["auto", "memory", "disk"] = "auto"
    """Workers load `dataset.nq` into memory (faster) or open the disk store read-only;
    `auto` loads into memory while every worker's copy, twice over (a rebuild's
    switch holds two generations), fits in half the machine's memory."""
    client_concurrency: int | None = Field(default=None, ge=1)
    """Queries one client (address) may run at once; one more gets 429. Default: one
    fewer than `workers` (at least 1), so one client never holds every worker."""
    client_queue: int = Field(default=64, ge=0)
    """Queries of one client that may wait for its share; one more gets 429."""
    query_timeout: float = Field(default=30.0, gt=0)
    """Deadline of every query in seconds; a client may ask for less, never more."""
    row_cap: int = Field(default=10_000, ge=1)
    """Most solutions (or triples) one response carries; more is reported as truncated."""
    max_query_length: int = Field(default=65_536, ge=64)
    """Longest query text in characters (GET: 414, POST: 413)."""
    max_query_depth: int = Field(default=128, ge=8, le=4096)
    """Deepest nesting of brackets a query may have (400 `query_too_deep`)."""
    query_memory_bytes: int = Field(default=1_073_741_824, ge=0)
    """Memory one query may take in its worker beyond the loaded store (the kernel
    enforces it as the worker's address-space limit); 0 turns the cap off."""
    max_answer_bytes: int = Field(default=67_108_864, ge=65_536)
    """Largest answer in bytes: a larger one is refused (413 `answer_too_large`) or,
    once streaming, cut off without its final chunk."""
    header_timeout: float = Field(default=10.0, gt=0)
    """Seconds a connection may take to send a request's line and headers; then it is closed."""
    max_body_bytes: int = Field(default=1_048_576, ge=1024)
    """Largest POST body in bytes (413)."""
    stream_buffer_bytes: int = Field(default=4_194_304, ge=65_536)
    """Results up to this size are sent whole, with Content-Length; larger ones stream."""
    service_allowlist: Annotated[list[str], NoDecode] = []
    """SPARQL endpoints a query may call with SERVICE (comma-separated in env); none by default.
    While it is empty, query workers run without network (the kernel refuses every socket)."""
    service_private_hosts: bool = False
    """Let allow-listed SERVICE endpoints be on private or loopback addresses (an operator
    federating inside their own network); off by default."""
    cors_origins: Annotated[list[str], NoDecode] = ["*"]
    """Origins allowed by CORS (comma-separated in env); `*` for any, never with credentials."""
    root_path: str = ""
    """Path prefix under which a reverse proxy publishes the server, e.g. `/mgi`."""
    public_url: str | None = None
    """The server's public base URL (`https://data.example.org/mgi/`): the service
    description's endpoint, the workbench's endpoint and query base IRIs use it, never
    the request's Host header. Default: `http://{host}:{port}{root_path}/`."""
    forwarded_allow_ips: str = "127.0.0.1"
    """Proxies whose X-Forwarded-* headers are trusted (comma-separated, or `*`)."""
    cache_max_age: int = Field(default=300, ge=0)
    """`Cache-Control: max-age` of query results and descriptions, in seconds."""
    gzip_min_bytes: int = Field(default=1024, ge=0)
    """Responses at least this large are gzip-compressed for clients that accept it."""
    access_log: bool = True

    @field_validator("service_allowlist", "cors_origins", mode="before")
    @classmethod
    def _split_list(cls, value: object) -> object:
        # Env and .env give one string: accept a JSON list or comma-separated items.
        if isinstance(value, str):
            text = value.strip()
            if text.startswith("["):
                return json.loads(text)
            return [item.strip() for item in text.split(",") if item.strip()]
        return value

    @property
    def public_base(self) -> str:
        """The public base URL, ending in `/`."""
        if self.public_url:
            return self.public_url.rstrip("/") + "/"
        host = "localhost" if self.host in ("0.0.0.0", "::") else self.host  # noqa: S104
        host = f"[{host}]" if ":" in host else host
        return f"http://{host}:{self.port}{self.root_path}/"

    def public_url_of(self, path: str) -> str:
        """The public URL of a request path (with or without the root path)."""
        return self.public_base + path.removeprefix(self.root_path).lstrip("/")

    @field_validator("root_path")
    @classmethod
    def _root_path_form(cls, value: str) -> str:
        value = value.strip().rstrip("/")
        if value and not value.startswith("/"):
            raise ValueError("root_path must start with '/' (e.g. /mgi)")
        return value

    # --- scale: zero-downtime rebuilds, result cache, external store (docs/scaling.md) ---
    reload_interval: float = Field(default=1.0, ge=0)
    """Seconds between checks of the `current` link; a new build is loaded in new
    workers and swapped in without a restart. 0 turns the check off."""
    result_cache_bytes: int = Field(default=67_108_864, ge=0)
    """Bytes of whole query answers kept per server, keyed by dataset version; 0 turns it off."""
    sparql_endpoint: str | None = None
    """Query endpoint (SPARQL 1.1 Protocol) of an external store; when set, `kb serve`
    answers from it and `kb build` loads it (with `graph_store_endpoint`)."""
    graph_store_endpoint: str | None = None
    """Graph Store Protocol endpoint of the external store (PUT/DELETE `?graph=IRI`)."""
    store_auth: str | None = None
    """`user:password` for HTTP basic authentication at the external store, if it needs it."""
    load_timeout: float = Field(default=600.0, gt=0)
    """Seconds one Graph Store request of `kb build` may take."""


def usable_cores() -> int:
    """The cores this process may run on (its affinity mask), not all the machine's."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1
