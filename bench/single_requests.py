"""One request per example query, Oxigraph server and `kb serve` side by side: for stores so
large that a timed run per query would take hours.

    .venv/bin/python bench/single_requests.py --store /tmp/st10000 --cap 60

Starts `oxigraph serve-read-only --union-default-graph` pinned to CPU 0 and
`kb serve` (disk workers, 1 worker, no result cache, no row cap, deadline
`--cap`) pinned to CPU 1, sends every example query once to both at the same
time, and prints a Markdown table of wall-clock times and answer sizes. A
query Oxigraph has not answered within `--cap` seconds is reported as such
(it goes on computing: later Oxigraph figures may be slowed by it).
"""

from __future__ import annotations

import argparse
import concurrent.futures
import json
import os
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

from bench import ROOT, free_port, oxigraph_server_command, wait_until_up


def ask(url: str, query: str, accept: str, cap: float) -> str:
    request = urllib.request.Request(
        url,
        data=urllib.parse.urlencode({"query": query}).encode(),
        headers={"Accept": accept, "Content-Type": "application/x-www-form-urlencoded"},
    )
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=cap + 5) as response:
            body = response.read()
    except OSError as exc:
        seconds = time.perf_counter() - started
        return f"> {cap:.0f} s" if seconds >= cap - 1 else f"error after {seconds:.1f} s ({exc})"
    seconds = time.perf_counter() - started
    if accept.endswith("json"):
        size = f"{len(json.loads(body)['results']['bindings'])} rows"
    else:
        lines = body.count(b"\n")
        size = f"{lines} lines"
    took = f"{seconds * 1000:.0f} ms" if seconds < 10 else f"{seconds:.1f} s"
    return f"{took} ({size})"


def main() -> None:
    from kb.endpoint.examples import load_examples
    from kb.store import StoreLayout

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--cap", type=float, default=60.0, help="seconds per request")
    args = parser.parse_args()
    ox_port, kb_port = free_port(), free_port()
    store_dir = StoreLayout(args.store).current_store_path()
    oxigraph = subprocess.Popen(
        ["taskset", "-c", "0", *oxigraph_server_command(store_dir, ox_port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("KB_")}
    env.update(
        KB_STORE_MODE="disk",
        KB_WORKERS="1",
        KB_QUERY_TIMEOUT=str(args.cap),
        KB_ROW_CAP="10000000",
        KB_RESULT_CACHE_BYTES="0",
        KB_ACCESS_LOG="false",
    )
    command = [sys.executable, "-m", "kb.cli", "serve", "--store", str(args.store)]
    kb = subprocess.Popen(
        ["taskset", "-c", "1", *command, "--port", str(kb_port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_until_up(f"http://127.0.0.1:{ox_port}/query?query=ASK%7B%7D", oxigraph)
        wait_until_up(f"http://127.0.0.1:{kb_port}/ready", kb)
        print("| query | Oxigraph server (disk) | kb serve (disk workers) |\n|---|---|---|")
        with concurrent.futures.ThreadPoolExecutor(2) as pool:
            for example in load_examples(ROOT / "queries"):
                graph = "CONSTRUCT" in example.query or "DESCRIBE" in example.query
                accept = "application/n-triples" if graph else "application/sparql-results+json"
                theirs = pool.submit(
                    ask, f"http://127.0.0.1:{ox_port}/query", example.query, accept, args.cap
                )
                ours = pool.submit(
                    ask, f"http://127.0.0.1:{kb_port}/sparql", example.query, accept, args.cap
                )
                print(f"| {example.name} | {theirs.result()} | {ours.result()} |", flush=True)
    finally:
        oxigraph.terminate()
        kb.send_signal(signal.SIGTERM)
        oxigraph.wait(timeout=30)
        kb.wait(timeout=30)


if __name__ == "__main__":
    main()
