"""The pool of query worker processes, seen from the server's event loop.

Each worker is a child process (`kb.endpoint.worker`) answering one query at a
time over its pipes. A request borrows an idle worker, sends it the job and
relays the frames it writes back. Nothing here blocks the event loop: pipes
are read with asyncio, and the two ways a query can end early — its deadline
passing or its client going away — both kill the worker, which ends any read
in progress. A killed worker is replaced in the background.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import signal
import struct
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kb.errors import (
    NotAcceptableError,
    QueryEvaluationError,
    QueryRefusedError,
    QuerySyntaxError,
    QueryTimeoutError,
    QueryTooCostlyError,
    ServiceOverloadedError,
    StoreUnavailableError,
)

log = logging.getLogger("kb.endpoint.pool")

FRAME = struct.Struct(">cI")
LENGTH = struct.Struct(">I")
PACKAGE_ROOT = str(Path(__file__).resolve().parents[2])


@dataclass(frozen=True, slots=True)
class Job:
    """One query as the worker runs it."""

    query: str
    media: dict[str, str | None]
    """Negotiated media type per result kind (`solutions`, `boolean`, `graph`); None -> 406."""
    row_cap: int
    buffer: int
    answer_cap: int = 1 << 62
    """Most bytes the answer may have (Settings.max_answer_bytes)."""
    default_graphs: list[str] | None = None
    named_graphs: list[str] | None = None
    union: bool = True
    """Default graph = union of the named graphs (off when the query has FROM)."""
    base_iri: str | None = None
    """Base for relative IRIs in the query: the endpoint's URL, as for any retrieved text."""

    def encode(self) -> bytes:
        # A flat dict: dataclasses.asdict deep-copies and costs more than the query here.
        payload = json.dumps({f: getattr(self, f) for f in self.__slots__}).encode()
        return LENGTH.pack(len(payload)) + payload


@dataclass(slots=True)
class Head:
    kind: str
    media_type: str
    streaming: bool
    truncated: bool
    rows: int
    seconds: float
    row_cap: int


@dataclass(frozen=True, slots=True)
class WorkerCommand:
    mode: str
    path: Path | str
    prefixes: dict[str, str] = field(default_factory=dict)
    extra: tuple[Path, ...] = ()
    """More N-Quads files a memory worker loads (the build's statistics graph)."""
    timeout: float = 30.0
    """HTTP timeout of a remote worker's requests (the query deadline)."""
    store_auth: str | None = None
    """`user:password` of the external store (Settings.store_auth), for remote workers."""
    memory_bytes: int = 0
    """Address space a query may add to the loaded worker (0: no cap)."""
    stack_bytes: int = 1 << 30
    """Stack of the worker thread that runs queries (see `engine_stack_bytes`)."""
    network: bool = False
    """Whether the worker may open sockets at all: only an external store's workers and,
    when the operator allow-lists SERVICE endpoints, federating ones may."""

    def argv(self) -> list[str]:
        argv = [
            sys.executable,
            "-m",
            "kb.endpoint.worker",
            "--mode",
            self.mode,
            "--path",
            str(self.path),
            "--prefixes",
            json.dumps(self.prefixes),
        ]
        for path in self.extra:
            argv += ["--also", str(path)]
        if self.mode == "remote":
            argv += ["--timeout", f"{self.timeout:g}"]
        argv += ["--network", "open" if self.network or self.mode == "remote" else "none"]
        argv += ["--stack-bytes", str(self.stack_bytes)]
        if self.memory_bytes:
            argv += ["--memory-bytes", str(self.memory_bytes)]
        return argv


# Measured: every construct of the grammar nested or chained to the default
# 65,536 characters parses and evaluates within 1 GiB of stack.
STACK_BYTES_PER_QUERY_CHARACTER = 16 * 1024


def engine_stack_bytes(max_query_length: int) -> int:
    """A stack no query of at most `max_query_length` characters can overflow."""
    return max(256 << 20, max_query_length * STACK_BYTES_PER_QUERY_CHARACTER)


# How the pool hands the external store's credentials to a remote worker.
STORE_AUTH_VARIABLE = "KB_WORKER_STORE_AUTH"


class ClientGoneError(Exception):
    """The client disconnected; the query was stopped."""


class WorkerProcess:
    def __init__(self, proc: asyncio.subprocess.Process, ident: int) -> None:
        self.proc = proc
        self.ident = ident

    @classmethod
    async def spawn(cls, command: WorkerCommand, ident: int, timeout: float) -> WorkerProcess:
        env = {**os.environ, "PYTHONPATH": PACKAGE_ROOT}
        env.pop(STORE_AUTH_VARIABLE, None)
        if command.store_auth:
            # The environment, not argv: argv is visible to every local user in ps.
            env[STORE_AUTH_VARIABLE] = command.store_auth
        proc = await asyncio.create_subprocess_exec(
            *command.argv(),
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            env=env,
        )
        worker = cls(proc, ident)
        try:
            kind, payload = await asyncio.wait_for(worker.read_frame(), timeout)
        except (TimeoutError, asyncio.IncompleteReadError) as exc:
            worker.kill()
            raise StoreUnavailableError(f"query worker did not start: {exc!r}") from exc
        if kind != b"R":
            worker.kill()
            detail = json.loads(payload).get("detail", "") if kind == b"E" else kind
            raise StoreUnavailableError(f"query worker failed to open the store: {detail}")
        info = json.loads(payload)
        log.info(
            "worker %d ready (pid %d, %s quads, %.2f s)",
            ident,
            proc.pid,
            info["quads"],
            info["seconds"],
        )
        return worker

    async def read_frame(self) -> tuple[bytes, bytes]:
        assert self.proc.stdout is not None
        header = await self.proc.stdout.readexactly(FRAME.size)
        kind, length = FRAME.unpack(header)
        payload = await self.proc.stdout.readexactly(length) if length else b""
        return kind, payload

    def send(self, data: bytes) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(data)  # jobs are small: the pipe buffer takes them whole

    def kill(self) -> None:
        if self.proc.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                self.proc.kill()

    @property
    def alive(self) -> bool:
        return self.proc.returncode is None

    async def aborted(self) -> bool:
        """Whether the process ended by SIGABRT (what an allocation failure does)."""
        try:
            code = await asyncio.wait_for(self.proc.wait(), 2.0)
        except TimeoutError:
            return False
        return code == -signal.SIGABRT


class Execution:
    """One query on one borrowed worker: the head, then the body; always released."""

    def __init__(
        self, pool: WorkerPool, worker: WorkerProcess, *, timeout: float, remaining: float
    ) -> None:
        self.pool = pool
        self.worker = worker
        self.timeout = timeout
        deadline = asyncio.get_running_loop().time() + max(remaining, 0.0)
        self.expired = False
        self.client_gone = False
        self.finished = False
        self.head: Head | None = None
        self.body = b""
        self._timer = asyncio.get_running_loop().call_at(deadline, self._expire)

    def _expire(self) -> None:
        if not self.finished:
            self.expired = True
            self.pool.stats["timeouts"] += 1
            self.worker.kill()

    def client_disconnected(self) -> None:
        if not self.finished:
            self.client_gone = True
            self.worker.kill()

    async def _frame(self) -> tuple[bytes, bytes]:
        try:
            return await self.worker.read_frame()
        except (asyncio.IncompleteReadError, ConnectionError) as exc:
            if self.expired:
                raise QueryTimeoutError(
                    f"the query ran past its deadline of {self.timeout:g} s and was stopped"
                ) from exc
            if self.client_gone:
                raise ClientGoneError from exc
            memory = self.pool.command.memory_bytes
            if memory and await self.worker.aborted():
                # An allocation over the address-space cap aborts the engine.
                raise QueryTooCostlyError(
                    f"the query needed more than the {memory >> 20} MiB of memory a query may "
                    "use (query_memory_bytes); narrow it, or add LIMIT"
                ) from exc
            raise QueryEvaluationError("the query worker stopped unexpectedly") from exc

    async def start(self, job: Job) -> Head:
        """Send the job; wait for a whole response (`body` set) or a stream head."""
        self.worker.send(job.encode())
        kind, payload = await self._frame()
        if kind == b"E":
            self.finished = True
            raise _error_from(json.loads(payload), job)
        if kind == b"F":
            self.finished = True
            head_json, _, self.body = payload.partition(b"\n")
            self.head = _head(json.loads(head_json))
        elif kind == b"H":
            self.head = _head(json.loads(payload))
        else:
            raise QueryEvaluationError(f"unexpected worker frame {kind!r}")
        return self.head

    async def chunks(self) -> AsyncIterator[bytes]:
        """The streamed body; ends at `Z` (head updated with rows and truncation)."""
        while not self.finished:
            kind, payload = await self._frame()
            if kind == b"D":
                yield payload
            elif kind == b"Z":
                self.finished = True
                end = json.loads(payload)
                assert self.head is not None
                self.head.rows = end["rows"]
                self.head.truncated = end["truncated"]
                self.head.seconds = end["seconds"]
            else:
                detail = json.loads(payload).get("detail", "") if kind == b"E" else kind
                raise QueryEvaluationError(f"the query failed while streaming: {detail}")

    def release(self) -> None:
        self._timer.cancel()
        self.pool.give_back(self.worker, clean=self.finished and self.worker.alive)


def _head(data: dict[str, Any]) -> Head:
    return Head(
        kind=data["kind"],
        media_type=data["media_type"],
        streaming=data.get("streaming", False),
        truncated=bool(data.get("truncated")),
        rows=int(data.get("rows", 0)),
        seconds=float(data.get("seconds", 0.0)),
        row_cap=int(data.get("row_cap", 0)),
    )


def _error_from(data: dict[str, Any], job: Job) -> Exception:
    kind, detail = data.get("error"), data.get("detail", "")
    if kind == "syntax":
        return QuerySyntaxError(detail)
    if kind == "timeout":
        return QueryTimeoutError(detail)
    if kind == "unavailable":
        return StoreUnavailableError(detail)
    if kind == "answer_too_large":
        return QueryTooCostlyError(detail, code="answer_too_large")
    if kind == "memory":
        return QueryTooCostlyError(detail)
    if kind == "service_refused":
        return QueryRefusedError(
            "SERVICE cannot reach the network from this endpoint: it federates only with "
            f"the endpoints its operator lists (service_allowlist); the engine said: {detail}"
        )
    if kind == "not_acceptable":
        from kb.http.negotiation import OFFERS, ResultKind

        offers = OFFERS[ResultKind(detail)]
        return NotAcceptableError(
            f"a {detail} result cannot be given in any media type the request accepts",
            supported=[m.name for m in offers],
        )
    return QueryEvaluationError(detail or "the query failed")


class WorkerPool:
    """N worker processes over one dataset version; borrowed one query at a time."""

    def __init__(self, command: WorkerCommand, size: int, *, startup_timeout: float = 300.0):
        self.command = command
        self.size = size
        self.startup_timeout = startup_timeout
        self.stats = {"timeouts": 0, "restarts": 0, "busy": 0}
        self._idle: asyncio.Queue[WorkerProcess] = asyncio.Queue()
        self._all: set[WorkerProcess] = set()
        self._next_id = 0
        self._closing = False
        self._retiring = False
        self._waiting = 0  # requests queued for a worker of this pool
        self._tasks: set[asyncio.Task[None]] = set()
        self._replacement_failed = False
        self._emptied = asyncio.Event()

    async def start(self) -> None:
        workers = await asyncio.gather(*(self._spawn() for _ in range(self.size)))
        for worker in workers:
            self._idle.put_nowait(worker)

    async def _spawn(self) -> WorkerProcess:
        self._next_id += 1
        worker = await WorkerProcess.spawn(self.command, self._next_id, self.startup_timeout)
        self._all.add(worker)
        return worker

    @property
    def ready(self) -> bool:
        """A worker is up, or one that died is being replaced: requests wait for it
        (within their deadline) instead of failing while the pool heals."""
        if self._closing:
            return False
        healing = bool(self._tasks) and not self._replacement_failed
        return any(w.alive for w in self._all) or healing

    @property
    def idle(self) -> int:
        return self._idle.qsize()

    async def execute(self, timeout: float, *, spent: float = 0.0) -> Execution:
        """Borrow a worker; the deadline (`timeout` s, of which `spent` already went
        on waiting elsewhere) covers the wait for a worker too."""
        loop = asyncio.get_running_loop()
        started = loop.time() - spent
        self._waiting += 1
        try:
            worker = await asyncio.wait_for(self._idle.get(), max(timeout - spent, 0.0))
        except TimeoutError as exc:
            self.stats["timeouts"] += 1
            raise ServiceOverloadedError(
                f"every query worker stayed busy for {timeout:.1f} s; try again later"
            ) from exc
        finally:
            self._waiting -= 1
        self.stats["busy"] += 1
        # The deadline counts from arrival: time spent waiting for a worker is spent.
        remaining = timeout - (loop.time() - started)
        return Execution(self, worker, timeout=timeout, remaining=remaining)

    def give_back(self, worker: WorkerProcess, *, clean: bool) -> None:
        self.stats["busy"] -= 1
        if clean and not self._closing:
            self._idle.put_nowait(worker)
            if self._retiring:
                self._reap_idle()
            return
        worker.kill()
        self._forget(worker)
        if not self._closing and not self._retiring:
            self.stats["restarts"] += 1
            task = asyncio.get_running_loop().create_task(self._replace(worker))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _replace(self, old: WorkerProcess) -> None:
        with contextlib.suppress(ProcessLookupError, ChildProcessError):
            await old.proc.wait()  # reap it
        delay = 0.5
        while not self._closing:
            try:
                worker = await self._spawn()
                self._replacement_failed = False
            except StoreUnavailableError as exc:
                self._replacement_failed = True  # not ready until a replacement starts
                log.error("cannot replace query worker: %s; retrying in %.0f s", exc, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 30.0)
                continue
            if self._closing:
                worker.kill()
            else:
                self._idle.put_nowait(worker)
                if self._retiring:
                    self._reap_idle()
            return

    def _forget(self, worker: WorkerProcess) -> None:
        self._all.discard(worker)
        if not self._all:
            self._emptied.set()

    def _reap_idle(self) -> None:
        # Idle workers nobody is queued for are done: the next generation serves.
        while self._idle.qsize() > self._waiting:
            worker = self._idle.get_nowait()
            if worker.proc.stdin is not None:
                worker.proc.stdin.close()  # the worker exits on end of input
            worker.kill()
            self._forget(worker)

    async def retire(self, grace: float) -> None:
        """Stop taking new work; let queries in flight finish, then stop every worker.

        Requests that already hold this pool keep using it (their answer and
        ETag belong to its dataset version). After `grace` seconds, whatever
        is left is killed: no query outlives its deadline anyway.
        """
        self._retiring = True
        self._reap_idle()
        if self._all:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._emptied.wait(), grace)
        await self.close()

    async def close(self) -> None:
        self._closing = True
        for task in list(self._tasks):
            task.cancel()
        for worker in list(self._all):
            if worker.proc.stdin is not None:
                worker.proc.stdin.close()
            worker.kill()
        for worker in list(self._all):
            with contextlib.suppress(ProcessLookupError, ChildProcessError):
                await worker.proc.wait()
        self._all.clear()
