"""What the endpoint's limits cost ordinary queries: `kb serve` of this tree
against `kb serve` of a revision before the limits, on the same build, in one run.

    .venv/bin/python bench/limits.py --store .kb --before ee5fc61

The earlier revision is checked out into a temporary git worktree and served
from there with the same Python environment; both servers run at once, pinned
to CPU 0 with 2 memory workers and no result cache, the load generator on
CPU 1, as in bench.py. For every example query and concurrency (1 and 8) the
two are measured in turn, `--repeat` times each; cells are the median
requests/s, so drift of the machine during the run falls on both alike.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import signal
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench


@contextlib.contextmanager
def kb_server_of(
    tree: Path, store: Path, workers: int, extra: dict[str, str] | None = None
) -> Iterator[tuple[str, int]]:
    """`kb serve` with the code of `tree` (a checkout), memory workers, no cache."""
    port = bench.free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("KB_")}
    env.update(extra or {})
    env.update(KB_STORE_MODE="memory", KB_WORKERS=str(workers), KB_ACCESS_LOG="false")
    env.update(KB_ROW_CAP="10000000", KB_RESULT_CACHE_BYTES="0", PYTHONPATH=str(tree))
    command = [sys.executable, "-m", "kb.cli", "serve", "--store", str(store), "--port", str(port)]
    process = subprocess.Popen(
        bench.pinned(command, 0),
        cwd=tree,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        bench.wait_until_up(f"http://127.0.0.1:{port}/ready", process)
        yield "/sparql", port
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=20)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, required=True, help="a store root (kb build)")
    parser.add_argument("--before", required=True, help="git revision without the limits")
    parser.add_argument("--seconds", type=float, default=1.0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--after-env",
        action="append",
        default=[],
        metavar="KB_NAME=VALUE",
        help="a setting for the server of this tree only (e.g. KB_CLIENT_CONCURRENCY=2)",
    )
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    after_env = dict(item.split("=", 1) for item in args.after_env)
    rows = []
    with tempfile.TemporaryDirectory(prefix="kb-limits-") as tmp:
        before = Path(tmp) / "before"
        subprocess.run(
            ["git", "worktree", "add", "--detach", str(before), args.before],
            cwd=bench.ROOT,
            check=True,
            capture_output=True,
        )
        try:
            trees = {"before": before, "after": bench.ROOT}
            with (
                kb_server_of(trees["before"], args.store, args.workers) as (path, old_port),
                kb_server_of(trees["after"], args.store, args.workers, after_env) as (_, new_port),
            ):
                for name, query, accept in bench.example_queries():
                    for c in (1, 8):
                        runs: dict[int, list[float]] = {old_port: [], new_port: []}
                        for _ in range(args.repeat):
                            for port in (old_port, new_port):
                                job = bench.measure(
                                    "", path, port, name, query, accept, c, args.seconds
                                )
                                runs[port].append(asyncio.run(job).throughput)
                        old, new = (
                            statistics.median(runs[old_port]),
                            statistics.median(runs[new_port]),
                        )
                        rows.append(f"| {name} | {c} | {old:.0f} | {new:.0f} | {new / old:.2f}× |")
                        print(rows[-1], flush=True)
        finally:
            subprocess.run(
                ["git", "worktree", "remove", "--force", str(before)],
                cwd=bench.ROOT,
                capture_output=True,
            )
    print()
    print("| query | c | before req/s | with the limits req/s | ratio |")
    print("|---|---|---|---|---|")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
