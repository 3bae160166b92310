"""A real Oxigraph server (`oxigraph serve`, from the `oxigraph` package) for the
external-store tests: started on a free port, always stopped."""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

from tests.support.servers import free_port, stop

OXIGRAPH = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which(
    "oxigraph"
)


@contextlib.contextmanager
def oxigraph_server(location: Path) -> Iterator[str]:
    """`oxigraph serve` with a union default graph on a free port; yields its base URL."""
    port = free_port()
    assert OXIGRAPH is not None
    command = [OXIGRAPH, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"]
    process = subprocess.Popen(
        [*command, "--union-default-graph"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            assert process.poll() is None, "oxigraph serve exited"
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(url + "/query", params={"query": "ASK {}"}).status_code == 200:
                    break
            time.sleep(0.1)
        yield url
    finally:
        stop(process)
