"""Issue 7: `kb build` while `kb serve` runs switches the server to the new build
without a restart and without one failed request.

A real server answers a steady stream of queries (bounded in count and time,
two client threads) while a real `kb build` publishes a second, larger build
into the same store. Every answer must be a 200; the number of profiles must
change from the old count to the new one exactly once (never back); ETags and
the dataset version must change with it, and the old workers must be retired.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.support.servers import REPO, running_server

pytestmark = pytest.mark.e2e  # starts servers of its own

COUNT_PROFILES = "SELECT (COUNT(?p) AS ?n) WHERE { ?p a <https://w3id.org/mgi/def#Profile> }"
MAX_REQUESTS = 4000  # per client thread
MAX_SECONDS = 240.0


@dataclass(frozen=True)
class Answer:
    client: int
    at: float
    status: int
    profiles: int | None
    version: str | None
    etag: str | None


def kb_build(profiles: Path, store: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KB_")}
    command = [sys.executable, "-m", "kb.cli", "build", "-q", "--jobs", "1"]
    command += ["--profiles", str(profiles), "--store", str(store)]
    done = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr


def worker_pids(server_pid: int) -> set[int]:
    """Live query workers of a server (children running kb.endpoint.worker)."""
    pids = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        state = stat.rsplit(")", 1)[1].split()[0]
        if parent == server_pid and b"kb.endpoint.worker" in cmdline and state != "Z":
            pids.add(int(entry.name))
    return pids


@pytest.fixture
def two_profile_sets(tmp_path: Path) -> tuple[Path, Path]:
    old = tmp_path / "old"
    new = tmp_path / "new"
    old.mkdir()
    new.mkdir()
    real = REPO / "data" / "profiles" / "bucaramanga-2022.txt"
    shutil.copy(real, old)
    shutil.copy(real, new)
    from kb.synth.generator import write_synthetic_profiles

    write_synthetic_profiles(new, count=2, seed=11)
    return old, new


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc (Linux)")
def test_rebuild_while_serving_switches_without_errors(
    tmp_path: Path, two_profile_sets: tuple[Path, Path]
) -> None:
    old_profiles, new_profiles = two_profile_sets
    store = tmp_path / "store"
    kb_build(old_profiles, store)
    expected_new = len(list(new_profiles.glob("*.txt")))

    with running_server(store, tmp_path, workers=2, reload_interval=0.2) as server:
        answers: list[Answer] = []
        lock = threading.Lock()
        stop = threading.Event()
        started = time.monotonic()

        def ask(me: int) -> None:
            with server.client() as client:
                for _ in range(MAX_REQUESTS):
                    if stop.is_set() or time.monotonic() - started > MAX_SECONDS:
                        return
                    try:
                        response = client.get(
                            "/sparql",
                            params={"query": COUNT_PROFILES},
                            headers={"Accept": "application/sparql-results+json"},
                        )
                    except httpx.HTTPError as exc:  # a refused or dropped connection counts
                        with lock:
                            answers.append(Answer(me, time.monotonic(), -1, None, None, repr(exc)))
                        continue
                    profiles = None
                    if response.status_code == 200:
                        rows = response.json()["results"]["bindings"]
                        profiles = int(rows[0]["n"]["value"])
                    with lock:
                        answers.append(
                            Answer(
                                me,
                                time.monotonic(),
                                response.status_code,
                                profiles,
                                response.headers.get("mgi-dataset-version"),
                                response.headers.get("etag"),
                            )
                        )

        threads = [threading.Thread(target=ask, args=(i,)) for i in range(2)]
        for thread in threads:
            thread.start()
        try:
            with server.client() as client:
                old_void = client.get("/.well-known/void", headers={"Accept": "text/turtle"})
                old_etag = client.get("/sparql", params={"query": COUNT_PROFILES}).headers["etag"]
            time.sleep(1.0)
            kb_build(new_profiles, store)
            # The switch follows within the poll interval plus the new workers' load time.
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                with lock:
                    seen_new = any(a.profiles == expected_new for a in answers)
                if seen_new:
                    break
                time.sleep(0.1)
            time.sleep(2.0)  # keep querying after the switch
        finally:
            stop.set()
            for thread in threads:
                thread.join(timeout=60)

        failed = [a for a in answers if a.status != 200]
        assert not failed, f"{len(failed)} of {len(answers)} requests failed: {failed[:5]}"
        ordered = sorted(answers, key=lambda a: a.at)
        counts = [a.profiles for a in ordered]
        assert set(counts) == {1, expected_new}, set(counts)
        for me in (0, 1):  # what one client sees: once new, never old again
            mine = [a.profiles for a in ordered if a.client == me]
            assert 1 not in mine[mine.index(expected_new) :], mine
        first_new = counts.index(expected_new)
        # Monotonic per client is what a client can observe; across both threads
        # completion order can interleave by a few ms, so allow only answers that
        # finished within 0.5 s of the first new one.
        late_old = [
            a for a in ordered[first_new:] if a.profiles == 1 and a.at - ordered[first_new].at > 0.5
        ]
        assert not late_old, f"old answers after the switch: {late_old[:3]}"
        versions = {a.version for a in ordered}
        assert len(versions) == 2
        assert ordered[0].etag != ordered[-1].etag

        with server.client() as client:
            revalidated = client.get(
                "/sparql", params={"query": COUNT_PROFILES}, headers={"If-None-Match": old_etag}
            )
            assert revalidated.status_code == 200  # the old ETag no longer matches
            assert revalidated.headers["etag"] != old_etag
            again = client.get(
                "/sparql",
                params={"query": COUNT_PROFILES},
                headers={"If-None-Match": revalidated.headers["etag"]},
            )
            assert again.status_code == 304
            new_void = client.get("/.well-known/void", headers={"Accept": "text/turtle"})
            assert new_void.headers["etag"] != old_void.headers["etag"]
            assert new_void.text != old_void.text
            metrics = client.get("/metrics").text
            assert "kb_dataset_switches_total 1.0" in metrics

        # Old workers retire once idle: only the new generation's two remain.
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and len(worker_pids(server.process.pid)) != 2:
            time.sleep(0.2)
        assert len(worker_pids(server.process.pid)) == 2
