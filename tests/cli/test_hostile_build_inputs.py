"""Issue 12.6: hostile build inputs end in seconds with exit 2 and one line
`file: what was expected`, and the previously built store stays current."""

from __future__ import annotations

import fcntl
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from kb.parse.source import MAX_LINE_CHARACTERS, MAX_PROFILE_BYTES
from kb.store.layout import CURRENT, LOCK_FILE
from tests.support.servers import REPO

REAL = REPO / "data" / "profiles" / "bucaramanga-2022.txt"


def kb_build(
    profiles: Path, store: Path, *extra: str, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "kb.cli", "build", "--profiles", str(profiles)]
    command += ["--store", str(store), "-q", "--jobs", "1", *extra]
    return subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store with one good build published."""
    root = tmp_path_factory.mktemp("hostile-build")
    good = root / "good"
    good.mkdir()
    shutil.copy(REAL, good / REAL.name)
    result = kb_build(good, root / "store")
    assert result.returncode == 0, result.stderr
    return root / "store"


@pytest.fixture
def profiles(tmp_path: Path) -> Path:
    folder = tmp_path / "profiles"
    folder.mkdir()
    shutil.copy(REAL, folder / REAL.name)
    return folder


def assert_refused(result: subprocess.CompletedProcess[str], *fragments: str) -> None:
    assert result.returncode == 2, (result.returncode, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("kb: error: "), result.stderr
    assert "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment in lines[0], lines[0]


@pytest.fixture
def unchanged(built: Path) -> Iterator[None]:
    before = os.readlink(built / CURRENT)
    yield
    assert os.readlink(built / CURRENT) == before


def test_a_fifo_is_refused_without_waiting(profiles: Path, built: Path, unchanged: None) -> None:
    os.mkfifo(profiles / "pipe.txt")
    assert_refused(kb_build(profiles, built, timeout=30), "pipe.txt", "not a regular file")


def test_a_link_to_dev_zero_is_refused(profiles: Path, built: Path, unchanged: None) -> None:
    (profiles / "zero.txt").symlink_to("/dev/zero")
    assert_refused(kb_build(profiles, built, timeout=30), "zero.txt", "not a regular file")


def test_an_oversized_file_is_refused(profiles: Path, built: Path, unchanged: None) -> None:
    with (profiles / "huge.txt").open("wb") as big:
        big.truncate(MAX_PROFILE_BYTES + 1)
    assert_refused(
        kb_build(profiles, built, timeout=30), "huge.txt", f"at most {MAX_PROFILE_BYTES}"
    )


def test_a_finding_of_megabytes_is_refused_at_its_line(
    profiles: Path, built: Path, unchanged: None
) -> None:
    text = REAL.read_text(encoding="utf-8").splitlines()
    bullet = next(i for i, line in enumerate(text) if line.lstrip().startswith("•"))
    text[bullet] = "• " + "palabra " * 400_000
    (profiles / "long.txt").write_text("\n".join(text), encoding="utf-8")
    result = kb_build(profiles, built, timeout=60)
    assert_refused(result, f"long.txt:{bullet + 1}", f"at most {MAX_LINE_CHARACTERS}")


def test_a_file_name_that_is_not_utf8(profiles: Path, built: Path, unchanged: None) -> None:
    name = os.fsencode(profiles) + b"/caf\xe9.txt"
    with open(name, "wb") as bad:
        bad.write(b"not a profile\n")
    assert_refused(kb_build(profiles, built, timeout=30), "caf\\udce9.txt")


def test_an_unusable_store_path(profiles: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    assert_refused(kb_build(profiles, blocker / "store", timeout=30), "a-file")


def test_a_bad_base_iri(profiles: Path, built: Path, unchanged: None) -> None:
    result = kb_build(profiles, built, "--base-iri", "https://example.org/no-slash", timeout=30)
    assert_refused(result, "base_iri", "must end with '/'")


def test_a_second_build_of_the_same_store_is_refused(
    profiles: Path, built: Path, unchanged: None
) -> None:
    fd = os.open(built / LOCK_FILE, os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        assert_refused(kb_build(profiles, built, timeout=30), "another kb build")
    finally:
        os.close(fd)


def test_a_killed_build_leaves_no_orphan(profiles: Path, built: Path) -> None:
    builds = built / "builds"
    before = {p.name for p in builds.iterdir()}
    command = [sys.executable, "-m", "kb.cli", "build", "--profiles", str(profiles)]
    process = subprocess.Popen([*command, "--store", str(built), "-q", "--jobs", "1"], cwd=REPO)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not ({p.name for p in builds.iterdir()} - before):
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    orphans = {p.name for p in builds.iterdir()} - before
    assert orphans, "the build was killed before it made its directory"
    result = kb_build(profiles, built)
    assert result.returncode == 0, result.stderr
    assert not orphans & {p.name for p in builds.iterdir()}
