"""What tests share: the real build of the profiles, and real `kb serve` processes.

Servers are started as subprocesses (`python -m kb.cli serve`) bound to
127.0.0.1 on a free port, polled on /health until they answer, and always
stopped. The knowledge graph is the real build of `data/profiles`; when that
build fails, every test that needs it fails too.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[2]
SHARED = Path(__file__).resolve().parents[3] / "shared"
W3C = SHARED / "w3c-rdf-tests" / "sparql11"


def build_real_store(root: Path, profiles: Path) -> None:
    """`kb build` of `profiles` into `root`. Any failure propagates: a broken
    build fails every test that needs the knowledge graph, it never skips."""
    from kb.pipeline import build_knowledge_graph
    from kb.settings import Settings

    settings = Settings(
        store=root,
        profiles=profiles,
        reference=REPO / "data" / "reference",
        ontology=REPO / "ontology" / "mgi.ttl",
        shapes=REPO / "shapes",
    )
    result = build_knowledge_graph(settings)
    if not result.conforms:
        raise AssertionError(f"the real build of {profiles} does not conform to the shapes")


@dataclass
class KnowledgeGraph:
    root: Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    base: str
    """http://127.0.0.1:PORT (plus the root path, if any)."""
    process: subprocess.Popen[bytes]
    log: Path

    @property
    def sparql(self) -> str:
        return self.base + "/sparql"

    def client(self, **kwargs: object) -> httpx.Client:
        return httpx.Client(base_url=self.base, timeout=60, **kwargs)  # type: ignore[arg-type]

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")


@contextlib.contextmanager
def running_server(store: Path, log_dir: Path, **settings: object) -> Iterator[Server]:
    """`kb serve` on a free port with KB_* settings; stopped on exit, whatever happens."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("KB_")}
    env.update({f"KB_{k.upper()}": str(v) for k, v in settings.items()})
    env["PYTHONUNBUFFERED"] = "1"
    log = log_dir / f"server-{port}.log"
    command = [sys.executable, "-m", "kb.cli", "serve", "--store", str(store)]
    command += ["--host", "127.0.0.1", "--port", str(port)]
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT)
    root_path = str(settings.get("root_path", ""))
    server = Server(f"http://127.0.0.1:{port}", process, log)
    try:
        _wait_ready(server, root_path)
        yield server
    finally:
        stop(process, grace=15)


def stop(process: subprocess.Popen[bytes], *, grace: float = 10) -> None:
    """SIGTERM, then SIGKILL after `grace` seconds: a test never leaves a server behind."""
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


def metric(server: Server, name: str) -> float:
    """One value of the server's /metrics (Prometheus text)."""
    text = httpx.get(server.base + "/metrics").text
    match = re.search(rf"^{re.escape(name)} (\S+)$", text, re.M)
    assert match, f"{name} not in /metrics"
    return float(match.group(1))


def _wait_ready(server: Server, root_path: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"kb serve exited early:\n{server.log_text()}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(server.base + "/health", timeout=1).status_code == 200:
                return
        time.sleep(0.1)
    raise RuntimeError(f"kb serve did not become ready:\n{server.log_text()}")
