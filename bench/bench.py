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
    rows: int | None = None
    """Rows (or triples) in one answer: the servers' answers are compared by size."""

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


PIN = os.environ.get("BENCH_NO_PIN") != "1"
"""Servers on CPU 0, client on CPU 1; BENCH_NO_PIN=1 lets a server use every core."""


def pinned(command: list[str], cpu: int) -> list[str]:
    if PIN and shutil.which("taskset") and (os.cpu_count() or 1) > 1:
        return ["taskset", "-c", str(cpu), *command]
    return command


def wait_until_up(url: str, process: subprocess.Popen[bytes], seconds: float = 900) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited: {url}")
        with contextlib.suppress(OSError), urllib.request.urlopen(url, timeout=1):
            return
        time.sleep(0.2)
    raise RuntimeError(f"server did not start: {url}")


@contextlib.contextmanager
def kb_server(
    store: Path, mode: str, workers: int, *, cache: bool = False
) -> Iterator[tuple[str, int]]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("KB_")}
    env.update(KB_STORE_MODE=mode, KB_WORKERS=str(workers), KB_ACCESS_LOG="false")
    # Whole answers, as the other servers give (Virtuoso's ResultSetMaxRows is raised too).
    env["KB_ROW_CAP"] = "10000000"
    # Uncached unless asked: the result cache would answer every repeat of the same query.
    env["KB_RESULT_CACHE_BYTES"] = str(64 << 20 if cache else 0)
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


def oxigraph_server_command(store_dir: Path, port: int) -> list[str]:
    """`oxigraph serve-read-only` on a build's disk store, union default graph, on `port`."""
    binary = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or "oxigraph"
    command = [binary, "serve-read-only", "--location", str(store_dir)]
    return [*command, "--bind", f"127.0.0.1:{port}", "--union-default-graph"]


@contextlib.contextmanager
def oxigraph_server(store_dir: Path) -> Iterator[tuple[str, int]]:
    port = free_port()
    process = subprocess.Popen(
        pinned(oxigraph_server_command(store_dir, port), 0),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_until_up(f"http://127.0.0.1:{port}/query?query=ASK%7B%7D", process)
        yield "/query", port
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=20)


@contextlib.contextmanager
def virtuoso_server(store: Path) -> Iterator[tuple[str, int]]:
    """Virtuoso Open Source loaded with the build's N-Quads (see bench/virtuoso.py)."""
    from virtuoso import running_virtuoso

    from kb.store import StoreLayout
    from kb.store.layout import STATISTICS_NQ

    build = StoreLayout(store).current_build()
    files = [build / name for name in ("dataset.nq", STATISTICS_NQ) if (build / name).is_file()]
    with running_virtuoso(load=files, wrap=lambda command: pinned(command, 0)) as server:
        print(f"virtuoso loaded in {server.load_seconds:.1f} s", flush=True)
        yield "/sparql", server.http_port


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


def answer_rows(path: str, port: int, query: str, accept: str) -> int | None:
    """Rows of a SELECT answer or triples of a graph answer; None if the request fails."""
    import pyoxigraph as ox

    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        data=urlencode({"query": query}).encode(),
        headers={"Accept": accept, "Content-Type": "application/x-www-form-urlencoded"},
    )
    try:
        with urllib.request.urlopen(request, timeout=600) as response:
            body = response.read()
        if accept == "text/turtle":
            return len(list(ox.parse(body, format=ox.RdfFormat.TURTLE)))
        return len(json.loads(body)["results"]["bindings"])
    except (OSError, ValueError, KeyError, SyntaxError):
        return None


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
    from kb.endpoint.examples import load_examples
    from kb.sparql.text import QueryForm

    out = []
    for example in load_examples(ROOT / "queries"):
        graph = example.form in (QueryForm.CONSTRUCT, QueryForm.DESCRIBE)
        accept = "text/turtle" if graph else "application/sparql-results+json"
        out.append((example.name, example.query, accept))
    return out


SERVERS = {
    "oxigraph": "oxigraph serve-read-only",
    "kb-memory": "kb serve (memory)",
    "kb-cached": "kb serve (memory, cached)",
    "kb-disk": "kb serve (disk)",
    "virtuoso": "virtuoso",
}


def run(
    store: Path,
    seconds: float,
    concurrencies: list[int],
    workers: int,
    servers: list[str],
    repeat: int = 1,
) -> list[Result]:
    """Every example query on every server; with `repeat` > 1, each cell is measured that
    many times and the run with the median throughput is kept."""
    from kb.store import StoreLayout

    results: list[Result] = []
    queries = example_queries()
    store_dir = StoreLayout(store).current_store_path()
    starters = {
        "oxigraph": lambda: oxigraph_server(store_dir),
        "kb-memory": lambda: kb_server(store, "memory", workers),
        "kb-cached": lambda: kb_server(store, "memory", workers, cache=True),
        "kb-disk": lambda: kb_server(store, "disk", workers),
        "virtuoso": lambda: virtuoso_server(store),
    }
    for key in servers:
        label = SERVERS[key]
        with starters[key]() as (path, port):
            for name, query, accept in queries:
                rows = answer_rows(path, port, query, accept)
                for c in concurrencies:
                    runs = []
                    for _ in range(repeat):
                        job = measure(label, path, port, name, query, accept, c, seconds)
                        runs.append(asyncio.run(job))
                    runs.sort(key=lambda r: r.throughput)
                    result = runs[len(runs) // 2]
                    result.rows = rows
                    results.append(result)
                    spread = (
                        f"  (runs {runs[0].throughput:.1f}–{runs[-1].throughput:.1f})"
                        if repeat > 1
                        else ""
                    )
                    print(
                        f"{label:26} {name:38} c={c:<2} {result.throughput:8.1f} req/s "
                        f"p50 {result.percentile(50):8.2f} ms  p99 {result.percentile(99):8.2f} ms"
                        + (f"  errors {result.errors}" if result.errors else "")
                        + f"  rows {rows}"
                        + spread,
                        flush=True,
                    )
    return results


def compare_workers(store: Path, seconds: float, concurrency: int, repeat: int) -> str:
    """`kb serve` (memory, uncached) with 1 and with 2 workers, on every core, same load."""
    by_workers: dict[int, dict[str, Result]] = {}
    for workers in (1, 2):
        results = run(store, seconds, [concurrency], workers, ["kb-memory"], repeat)
        by_workers[workers] = {r.query: r for r in results}
    lines = [
        f"| query (c={concurrency}) | 1 worker req/s (p50 ms) | 2 workers req/s (p50 ms) | 2 / 1 |",
        "|---|---|---|---|",
    ]
    for name in sorted(by_workers[1]):
        one, two = by_workers[1][name], by_workers[2][name]
        ratio = f"{two.throughput / one.throughput:.2f}×" if one.throughput else "–"
        lines.append(
            f"| {name} | {one.throughput:.1f} ({one.percentile(50):.2f}) | "
            f"{two.throughput:.1f} ({two.percentile(50):.2f}) | {ratio} |"
        )
    return "\n".join(lines)


def table(results: list[Result], concurrencies: list[int]) -> str:
    """Markdown: one row per query and concurrency, req/s (p50 ms) per server;
    ratios = kb uncached / each other server and kb cached / kb uncached."""
    by_key = {(r.server, r.query, r.concurrency): r for r in results}
    names = sorted({r.query for r in results})
    servers = [label for label in SERVERS.values() if any(r.server == label for r in results)]
    # Ratios are taken against our uncached server: memory workers, else disk workers.
    kb = SERVERS["kb-memory"] if SERVERS["kb-memory"] in servers else SERVERS["kb-disk"]
    others = [s for s in servers if s != kb]
    head = "| query | c | " + " | ".join(f"{s} req/s (p50 ms)" for s in servers)
    head += "".join(f" | kb / {s}" for s in others if s != SERVERS["kb-cached"])
    if SERVERS["kb-cached"] in servers:
        head += " | cached / uncached"
    lines = [head + " |", "|" + "---|" * (head.count("|"))]
    for name in names:
        for c in concurrencies:
            cells = []
            for server in servers:
                r = by_key.get((server, name, c))
                if r is None:
                    cells.append("–")
                elif not r.requests:
                    cells.append(f"errors only ({r.errors})")
                else:
                    cells.append(f"{r.throughput:.1f} ({r.percentile(50):.2f})")
            mine = by_key.get((kb, name, c))
            ratios = []
            for server in others:
                other = by_key.get((server, name, c))
                if server == SERVERS["kb-cached"]:
                    continue
                ok = mine and other and other.throughput
                ratios.append(f"{mine.throughput / other.throughput:.2f}×" if ok else "–")
            if SERVERS["kb-cached"] in servers:
                cached = by_key.get((SERVERS["kb-cached"], name, c))
                ok = mine and cached and mine.throughput
                ratios.append(f"{cached.throughput / mine.throughput:.1f}×" if ok else "–")
            lines.append(f"| {name} | {c} | " + " | ".join(cells + ratios) + " |")
    return "\n".join(lines)


def answers(results: list[Result]) -> str:
    """Answer sizes per query and server, flagging queries whose servers disagree."""
    servers = [label for label in SERVERS.values() if any(r.server == label for r in results)]
    sizes = {(r.server, r.query): r.rows for r in results}
    lines = ["| query | " + " | ".join(servers) + " | |", "|" + "---|" * (len(servers) + 2)]
    for name in sorted({r.query for r in results}):
        row = [sizes.get((server, name)) for server in servers]
        same = len({n for n in row if n is not None}) <= 1
        cells = ["–" if n is None else str(n) for n in row]
        lines.append(f"| {name} | " + " | ".join(cells) + (" | |" if same else " | differ |"))
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, help="an existing store root (kb build)")
    parser.add_argument("--copies", type=int, default=1, help="else: synthetic gold copies")
    parser.add_argument("--seconds", type=float, default=3.0, help="per query and concurrency")
    parser.add_argument("--concurrency", default="1,8")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--json", type=Path, help="write raw results here")
    parser.add_argument(
        "--repeat", type=lambda v: max(1, int(v)), default=1, help="runs per cell (median kept)"
    )
    parser.add_argument(
        "--compare-workers",
        action="store_true",
        help="instead: kb serve with 1 and 2 workers at the highest --concurrency (unpinned)",
    )
    parser.add_argument(
        "--servers",
        default="oxigraph,kb-memory,kb-disk",
        help=f"comma-separated, in order: {', '.join(SERVERS)}",
    )
    args = parser.parse_args()
    concurrencies = [int(c) for c in args.concurrency.split(",")]
    with tempfile.TemporaryDirectory(prefix="kb-bench-") as tmp:
        store = args.store
        if store is None:
            from synthetic import publish_store

            store = Path(tmp) / "store"
            publish_store(store, copies=args.copies)
        if args.compare_workers:
            global PIN
            PIN = False  # a second worker needs a second core
            print(compare_workers(store, args.seconds, max(concurrencies), args.repeat))
            return
        servers = [s.strip() for s in args.servers.split(",") if s.strip()]
        results = run(store, args.seconds, concurrencies, args.workers, servers, args.repeat)
    print()
    print(table(results, concurrencies))
    print()
    print(answers(results))
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
                        "rows": r.rows,
                    }
                    for r in results
                ],
                indent=1,
            )
        )


if __name__ == "__main__":
    main()
