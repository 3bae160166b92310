"""Render times of the explorer's pages and API answers on a built store.

    .venv/bin/python bench/explorer_pages.py                 # the real build (.kb)
    .venv/bin/python bench/explorer_pages.py --store /tmp/s1000store --runs 5

Starts `kb serve` on a free port (127.0.0.1, stopped at the end), finds a
hub institution (most findings), a small one, a profile and places with
SPARQL, then asks each page once "cold" (the first request after the server
started: every query runs on a worker) and `--runs` times "warm" (answers
come from the explorer's per-dataset cache), and prints a Markdown table of
milliseconds (client side, whole request). Not a test: figures go to
docs/explorer.md.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import httpx

REPO = Path(__file__).resolve().parents[1]
P = "PREFIX mgi: <https://w3id.org/mgi/def#>\nPREFIX org: <http://www.w3.org/ns/org#>\n"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def server(store: Path, workers: int) -> Iterator[str]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("KB_")}
    env.update(KB_ACCESS_LOG="false", KB_WORKERS=str(workers), PYTHONUNBUFFERED="1")
    command = [sys.executable, "-m", "kb.cli", "serve", "--store", str(store)]
    command += ["--host", "127.0.0.1", "--port", str(port)]
    process = subprocess.Popen(
        command, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError("kb serve exited early")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(base + "/ready", timeout=2).status_code == 200:
                    break
            time.sleep(0.5)
        yield base
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def first(client: httpx.Client, query: str, var: str) -> str:
    response = client.post(
        "/sparql", data={"query": P + query}, headers={"Accept": "application/sparql-results+json"}
    )
    response.raise_for_status()
    return str(response.json()["results"]["bindings"][0][var]["value"])


def tail(iri: str) -> str:
    return iri.rsplit("/", 1)[1]


def pages(client: httpx.Client) -> list[tuple[str, str]]:
    hub = first(
        client,
        """SELECT ?o WHERE { ?f mgi:mentions ?o . ?o a org:Organization }
        GROUP BY ?o ORDER BY DESC(COUNT(?f)) LIMIT 1""",
        "o",
    )
    small = first(
        client,
        """SELECT ?o WHERE { ?f mgi:mentions ?o . ?o a org:Organization }
        GROUP BY ?o HAVING (COUNT(?f) = 1) LIMIT 1""",
        "o",
    )
    profile = first(client, "SELECT ?p WHERE { ?p a mgi:Profile } LIMIT 1", "p")
    finding = first(client, f"SELECT ?f WHERE {{ <{profile}> mgi:hasFinding ?f }} LIMIT 1", "f")
    response = client.post(
        "/sparql",
        data={"query": P + "SELECT DISTINCT ?pl WHERE { ?p mgi:assessedPlace ?pl } LIMIT 2"},
        headers={"Accept": "application/sparql-results+json"},
    )
    places = [tail(b["pl"]["value"]) for b in response.json()["results"]["bindings"]]
    compare = "&".join(f"place={quote(p)}" for p in places)
    finding_id = finding.split("/id/finding/", 1)[1]
    return [
        ("home", "/explore"),
        ("search 'migra'", "/explore/search?q=migra"),
        ("institutions index, by findings", "/explore/institutions"),
        ("institutions index, by name, page 3", "/explore/institutions?sort=name&page=3"),
        ("institutions index, domain 3", "/explore/institutions?domain=3"),
        (f"institution (hub: {tail(hub)})", f"/explore/institutions/{tail(hub)}"),
        ("institution (hub), page 2", f"/explore/institutions/{tail(hub)}?page=2"),
        (f"institution (one finding: {tail(small)})", f"/explore/institutions/{tail(small)}"),
        ("places index", "/explore/places"),
        ("place", f"/explore/places/{places[0]}"),
        ("profile", f"/explore/profiles/{tail(profile)}"),
        ("finding", f"/explore/findings/{finding_id}"),
        ("compare two places", f"/explore/compare?{compare}"),
        ("workbench", "/explore/workbench"),
        ("API institutions", "/api/institutions"),
        ("API institution (hub)", f"/api/institutions/{tail(hub)}"),
        ("API search", "/api/search?q=salud"),
    ]


def institution_sample(client: httpx.Client, size: int, seed: int) -> list[str]:
    """`size` institutions some finding mentions, drawn at random (seeded), hubs as likely as
    any other: the distribution a crawler or a visitor following links would see."""
    response = client.post(
        "/sparql",
        data={"query": P + "SELECT DISTINCT ?o { ?f mgi:mentions ?o . ?o a org:Organization }"},
        headers={"Accept": "application/sparql-results+json"},
    )
    response.raise_for_status()
    every = sorted(b["o"]["value"] for b in response.json()["results"]["bindings"])
    return random.Random(seed).sample(every, min(size, len(every)))


def institution_latencies(client: httpx.Client, size: int, seed: int) -> None:
    """Each sampled institution's page once, cold (its queries run on a worker), in turn."""
    timings = []
    for iri in institution_sample(client, size, seed):
        started = time.perf_counter()
        client.get(f"/explore/institutions/{tail(iri)}").raise_for_status()
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()

    def at(q: float) -> float:
        return timings[min(len(timings) - 1, int(q * len(timings)))]

    print(
        f"\ninstitution pages, cold, {len(timings)} random institutions (seed {seed}): "
        f"p50 {at(0.50):.1f} ms, p90 {at(0.90):.1f} ms, p99 {at(0.99):.1f} ms, "
        f"max {timings[-1]:.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, default=REPO / ".kb")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--institutions", type=int, default=0, help="also: p50/p99 of N random institution pages"
    )
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    with server(args.store, args.workers) as base, httpx.Client(base_url=base, timeout=120) as c:
        quads = c.get("/api").json()
        print(
            f"store {args.store}: {quads['profiles']} profiles, {quads['findings']} findings, "
            f"{quads['institutions']} institutions, {quads.get('triples')} triples\n"
        )
        print("| page | cold ms | warm ms (median) | bytes |")
        print("|---|---|---|---|")
        for name, path in pages(c):
            started = time.perf_counter()
            response = c.get(path)
            cold = (time.perf_counter() - started) * 1000
            response.raise_for_status()
            warm = []
            for _ in range(args.runs):
                started = time.perf_counter()
                c.get(path).raise_for_status()
                warm.append((time.perf_counter() - started) * 1000)
            median = statistics.median(warm)
            print(f"| {name} | {cold:.0f} | {median:.1f} | {len(response.content):,} |")
        if args.institutions:
            institution_latencies(c, args.institutions, args.seed)


if __name__ == "__main__":
    main()
