"""A broken real build fails the suite: it never falls back to other data or skips."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from tests.support.servers import REPO

# A module whose tests all need the real knowledge graph and start no server.
NEEDS_THE_BUILD = "tests/publication/test_catalog.py"


def test_a_profile_that_does_not_parse_fails_the_tests_that_need_the_build(
    tmp_path: Path,
) -> None:
    profiles = tmp_path / "profiles"
    profiles.mkdir()
    source = REPO / "data" / "profiles" / "bucaramanga-2022.txt"
    text = source.read_text(encoding="utf-8").replace("\nALIANZAS\n", "\nASUNTOS VARIOS\n")
    (profiles / source.name).write_text(text, encoding="utf-8")
    env = {**os.environ, "KB_TEST_PROFILES": str(profiles)}
    run = subprocess.run(
        [sys.executable, "-m", "pytest", NEEDS_THE_BUILD, "-q", "-p", "no:cacheprovider"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    summary = run.stdout.strip().splitlines()[-1]
    assert run.returncode == 1, run.stdout[-3000:]
    assert re.search(r"\d+ error", summary), summary
    assert "skipped" not in summary, summary
    assert "bucaramanga-2022.txt" in run.stdout and "domain heading" in run.stdout
