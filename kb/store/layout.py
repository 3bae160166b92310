"""On-disk layout of the embedded store, and its atomic publication.

    {root}/builds/{build-id}/store/    Oxigraph (RocksDB) files
    {root}/builds/{build-id}/dataset.nq canonical N-Quads of the build
    {root}/builds/{build-id}/statistics.nq  build-time aggregates (graph {base}graph/statistics)
    {root}/current -> builds/{build-id} symbolic link, replaced atomically

A build is written into a fresh directory and only becomes `current` once it
is complete and validated, so a failed build never touches what is served.
Readers resolve `current` when they open the store; `kb serve` watches the
link and moves to a new build without a restart.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from kb.errors import StoreError, StoreUnavailableError

CURRENT = "current"
BUILDS = "builds"
STORE_DIR = "store"
DATASET_FILE = "dataset.nq"
STATISTICS_NQ = "statistics.nq"
# Written beside the store by kb.publication (dumps, catalogue, statistics, link index).
DUMPS_DIR = "dumps"
CATALOG_FILE = "catalog.ttl"
STATISTICS_FILE = "statistics.json"
CHECKSUMS_FILE = "SHA256SUMS"
INDEX_FILE = "incoming.sqlite"
KEEP_BUILDS = 3
LOCK_FILE = ".build.lock"
PUBLISHED = ".published"  # in a build directory once it has been made current


@dataclass(frozen=True, slots=True)
class StoreLayout:
    root: Path

    @property
    def builds(self) -> Path:
        return self.root / BUILDS

    @contextlib.contextmanager
    def writing(self) -> Iterator[None]:
        """Hold the store's build lock; remove what killed builds left behind.

        One build writes a store at a time (a second one gets `StoreError`). A
        build that was killed never published its directory: with the lock
        held, every build directory that was never published is such an orphan.
        """
        try:
            self.builds.mkdir(parents=True, exist_ok=True)
            lock = os.open(self.root / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise StoreError(f"cannot write the store {self.root}: {exc.strerror or exc}") from exc
        try:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError as exc:
                raise StoreError(
                    f"another kb build is writing {self.root}; try again later"
                ) from exc
            self._remove_orphans()
            yield
        finally:
            os.close(lock)  # closing releases the lock

    def _remove_orphans(self) -> None:
        current = os.path.realpath(self.root / CURRENT)
        for path in self.builds.iterdir():
            if path.is_dir() and not (path / PUBLISHED).exists() and str(path) != current:
                shutil.rmtree(path, ignore_errors=True)

    def new_build_dir(self) -> Path:
        """A new, empty directory for one build, named by UTC time and pid."""
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        path = self.builds / f"{stamp}-{os.getpid()}"
        path.mkdir(parents=True, exist_ok=False)
        return path

    def current_build(self) -> Path:
        """The published build directory; `StoreUnavailableError` if none yet."""
        link = self.root / CURRENT
        if not link.is_symlink() and not link.is_dir():
            raise StoreUnavailableError(
                f"no knowledge graph built under {self.root} (run `kb build` first)"
            )
        target = link.resolve()
        if not (target / STORE_DIR).is_dir():
            raise StoreUnavailableError(f"{link} points to {target}, which holds no store")
        return target

    def current_store_path(self) -> Path:
        return self.current_build() / STORE_DIR

    def current_dataset_path(self) -> Path:
        return self.current_build() / DATASET_FILE

    def publish(self, build_dir: Path) -> None:
        """Make `build_dir` the current build in one atomic rename."""
        link = self.root / CURRENT
        (build_dir / PUBLISHED).touch()
        tmp = self.root / f".{CURRENT}.{os.getpid()}"
        if tmp.is_symlink() or tmp.exists():
            tmp.unlink()
        tmp.symlink_to(Path(BUILDS) / build_dir.name)
        os.replace(tmp, link)
        self._prune(keep=build_dir.name)

    def discard(self, build_dir: Path) -> None:
        shutil.rmtree(build_dir, ignore_errors=True)

    def _prune(self, keep: str) -> None:
        # Keep a few recent builds: a running server may still read the previous one.
        builds = sorted(p for p in self.builds.iterdir() if p.is_dir())
        old = [p for p in builds if p.name != keep][: max(0, len(builds) - KEEP_BUILDS)]
        for path in old:
            shutil.rmtree(path, ignore_errors=True)
