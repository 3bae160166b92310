"""Throughput and latency of the example queries: `kb serve` against `oxigraph serve-read-only`.

Both servers answer from the same build (ours from memory or from the disk store,
Oxigraph from the disk store with --union-default-graph). Servers are pinned to
CPU 0 and this load generator to CPU 1 (taskset), as in PERFORMANCE-NOTES.md.
The client is a small keep-alive HTTP/1.1 client on raw asyncio streams, so its
own cost per request stays far below either server's.

    .venv/bin/python bench/bench.py --copies 1            # the dataset the tests use
    .venv/bin/python bench/bench.py --store .kb           # an existing `kb build`
    .venv/bin/python bench/bench.py --copies 100 --seconds 5

Needs the `oxigraph` CLI (`pip install oxigraph`, the optional `bench` extra).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


@dataclass
class Result:
    server: str
    query: str
    concurrency: int
    requests: int
    errors: int
    seconds: float
    latencies: list[float]

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def pinned(command: list[str], cpu: int) -> list[str]:
    if shutil.which("taskset") and (os.cpu_count() or 1) > 1:
        return ["taskset", "-c", str(cpu), *command]
    return command


def wait_until_up(url: str, process: subprocess.Popen[bytes], seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited: {url}")
        with contextlib.suppress(OSError), urllib.request.urlopen(url, timeout=1):
            return
        time.sleep(0.2)
    raise RuntimeError(f"server did not start: {url}")


@contextlib.contextmanager
def kb_server(store: Path, mode: str, workers: int) -> Iterator[tuple[str, int]]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("KB_")}
    env.update(KB_STORE_MODE=mode, KB_WORKERS=str(workers), KB_ACCESS_LOG="false")
    command = [sys.executable, "-m", "kb.cli", "serve", "--store", str(store), "--port", str(port)]
    process = subprocess.Popen(
        pinned(command, 0), cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        wait_until_up(f"http://127.0.0.1:{port}/ready", process)
        yield "/sparql", port
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=20)


@contextlib.contextmanager
def oxigraph_server(store_dir: Path) -> Iterator[tuple[str, int]]:
    port = free_port()
    binary = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or "oxigraph"
    command = [binary, "serve-read-only", "--location", str(store_dir)]
    command += ["--bind", f"127.0.0.1:{port}", "--union-default-graph"]
    process = subprocess.Popen(
        pinned(command, 0), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        wait_until_up(f"http://127.0.0.1:{port}/query?query=ASK%7B%7D", process)
        yield "/query", port
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=20)


async def _read_response(reader: asyncio.StreamReader) -> int:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {k.lower(): v.strip() for k, _, v in (x.partition(":") for x in lines[1:] if x)}
    if "content-length" in headers:
        await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding") == "chunked":
        while True:
            size = int((await reader.readuntil(b"\r\n")).strip().split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    return status


async def _client(
    port: int, request: bytes, until: float, latencies: list[float], errors: list[int]
) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        while time.perf_counter() < until:
            started = time.perf_counter()
            writer.write(request)
            status = await _read_response(reader)
            if status == 200:
                latencies.append(time.perf_counter() - started)
            else:
                errors.append(status)
    finally:
        writer.close()


def http_request(path: str, port: int, query: str, accept: str) -> bytes:
    body = urlencode({"query": query}).encode()
    head = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept: {accept}\r\n"
        f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


async def measure(
    server: str, path: str, port: int, name: str, query: str, accept: str, c: int, seconds: float
) -> Result:
    request = http_request(path, port, query, accept)
    warm: list[float] = []
    await asyncio.gather(
        *(_client(port, request, time.perf_counter() + 0.3, warm, []) for _ in range(c))
    )
    latencies: list[float] = []
    errors: list[int] = []
    started = time.perf_counter()
    until = started + seconds
    await asyncio.gather(*(_client(port, request, until, latencies, errors) for _ in range(c)))
    elapsed = time.perf_counter() - started
    return Result(server, name, c, len(latencies), len(errors), elapsed, latencies)


def example_queries() -> list[tuple[str, str, str]]:
    from kb.serve.examples import load_examples
    from kb.sparql_text import QueryForm

    out = []
    for example in load_examples(ROOT / "queries"):
        graph = example.form in (QueryForm.CONSTRUCT, QueryForm.DESCRIBE)
        accept = "text/turtle" if graph else "application/sparql-results+json"
        out.append((example.name, example.query, accept))
    return out


def run(store: Path, seconds: float, concurrencies: list[int], workers: int) -> list[Result]:
    from kb.store import StoreLayout

    results: list[Result] = []
    queries = example_queries()
    store_dir = StoreLayout(store).current_store_path()
    servers = [
        ("oxigraph serve-read-only", lambda: oxigraph_server(store_dir)),
        ("kb serve (memory)", lambda: kb_server(store, "memory", workers)),
        ("kb serve (disk)", lambda: kb_server(store, "disk", workers)),
    ]
    for label, start in servers:
        with start() as (path, port):
            for name, query, accept in queries:
                for c in concurrencies:
                    job = measure(label, path, port, name, query, accept, c, seconds)
                    result = asyncio.run(job)
                    results.append(result)
                    print(
                        f"{label:26} {name:38} c={c:<2} {result.throughput:8.1f} req/s "
                        f"p50 {result.percentile(50):8.2f} ms  p99 {result.percentile(99):8.2f} ms"
                        + (f"  errors {result.errors}" if result.errors else ""),
                        flush=True,
                    )
    return results


def table(results: list[Result], concurrencies: list[int]) -> str:
    """Markdown: one row per query and concurrency; ratio = kb (memory) / oxigraph."""
    by_key = {(r.server, r.query, r.concurrency): r for r in results}
    names = sorted({r.query for r in results})
    lines = [
        "| query | c | oxigraph req/s (p50/p99 ms) | kb memory req/s (p50/p99 ms) "
        "| kb disk req/s (p50/p99 ms) | kb memory / oxigraph |",
        "|---|---|---|---|---|---|",
    ]
    for name in names:
        for c in concurrencies:
            cells = []
            for server in ("oxigraph serve-read-only", "kb serve (memory)", "kb serve (disk)"):
                r = by_key[(server, name, c)]
                cells.append(f"{r.throughput:.0f} ({r.percentile(50):.2f}/{r.percentile(99):.2f})")
            ox_r = by_key[("oxigraph serve-read-only", name, c)].throughput
            kb_r = by_key[("kb serve (memory)", name, c)].throughput
            ratio = kb_r / ox_r if ox_r else float("nan")
            lines.append(f"| {name} | {c} | {' | '.join(cells)} | {ratio:.2f}× |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, help="an existing store root (kb build)")
    parser.add_argument("--copies", type=int, default=1, help="else: synthetic gold copies")
    parser.add_argument("--seconds", type=float, default=3.0, help="per query and concurrency")
    parser.add_argument("--concurrency", default="1,8")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--json", type=Path, help="write raw results here")
    args = parser.parse_args()
    concurrencies = [int(c) for c in args.concurrency.split(",")]
    with tempfile.TemporaryDirectory(prefix="kb-bench-") as tmp:
        store = args.store
        if store is None:
            from synthetic import publish_store

            store = Path(tmp) / "store"
            publish_store(store, copies=args.copies)
        results = run(store, args.seconds, concurrencies, args.workers)
    print()
    print(table(results, concurrencies))
    if args.json:
        args.json.write_text(
            json.dumps(
                [
                    {
                        "server": r.server,
                        "query": r.query,
                        "c": r.concurrency,
                        "rps": r.throughput,
                        "p50_ms": r.percentile(50),
                        "p99_ms": r.percentile(99),
                        "errors": r.errors,
                        "median_ms": statistics.median(r.latencies) * 1000 if r.latencies else None,
                    }
                    for r in results
                ],
                indent=1,
            )
        )


if __name__ == "__main__":
    main()
