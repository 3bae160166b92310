"""A query worker process: `python -m kb.endpoint.worker --mode memory --dataset FILE`.

pyoxigraph cannot be interrupted from Python, so every query runs in a worker
process that the server can kill at its deadline. The worker opens the store
once, then answers jobs one at a time over its stdin/stdout pipes and writes
results with pyoxigraph's own serialisers, so the server only relays bytes.

Wire format (both directions are length-prefixed, big-endian):
- server -> worker: u32 length + JSON job;
- worker -> server: one type byte + u32 length + payload, where the type is
  `R` ready, `F` a whole response (JSON head, newline, body), `H` the head of
  a streamed response, `D` a body chunk, `Z` the end of a stream (JSON) and
  `E` an error (JSON `{"error": kind, "detail": message}`).

Small results are sent whole (`F`) so the server can answer with a
Content-Length and report truncation in a header; results past
`buffer` bytes stream (`H`, `D`…, `Z`), except in formats that cannot carry
an in-band truncation note, which are held until the row cap decides.
This module imports only the standard library, pyoxigraph, `kb.errors` and the
worker's own helpers (`rowcap`, `sandbox`)
(plus httpx in remote mode): workers start fast.
"""

from __future__ import annotations

import argparse
import ctypes
import json
import os
import resource
import signal
import struct
import sys
import threading
import time
from collections.abc import Iterator
from typing import Any, BinaryIO

import pyoxigraph as ox

from kb.endpoint.rowcap import TRUNCATION_NOTE, close_json, row_limiter, with_leading_json_note
from kb.endpoint.sandbox import SandboxError, forbid_network
from kb.errors import KbError

FRAME = struct.Struct(">cI")
LENGTH = struct.Struct(">I")
CHUNK = 65_536

RESULT_FORMATS = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
GRAPH_FORMATS = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/n-quads": ox.RdfFormat.N_QUADS,
    "application/trig": ox.RdfFormat.TRIG,
}
HASH_COMMENT = {"text/turtle", "application/n-triples", "application/n-quads", "application/trig"}
XML_COMMENT = {"application/sparql-results+xml", "application/rdf+xml"}
# Formats whose truncation note can follow the data, so they may stream before
# the row cap is known; the others are held until it is.
STREAMABLE = HASH_COMMENT | XML_COMMENT | {"application/sparql-results+json"}


class _RowCapReachedError(Exception):
    """Raised from the output to stop pyoxigraph's serialiser at the row cap."""


class Channel:
    """Framed messages to the server over a pipe."""

    def __init__(self, fd: int) -> None:
        self.fd = fd

    def send(self, kind: bytes, payload: bytes = b"") -> None:
        data = [FRAME.pack(kind, len(payload)), payload]
        while data:
            written = os.writev(self.fd, data)
            # writev may write part of a large payload: finish it.
            while data and written >= len(data[0]):
                written -= len(data[0])
                data.pop(0)
            if data and written:
                data[0] = data[0][written:]

    def send_json(self, kind: bytes, obj: dict[str, Any]) -> None:
        self.send(kind, json.dumps(obj).encode())


class AnswerTooLargeError(Exception):
    """The answer grew past the job's byte cap; nothing more of it is written."""


class ResponseSink:
    """Collects serialiser output: whole responses up to `buffer` bytes, then a stream;
    never more than `cap` bytes in all."""

    def __init__(
        self,
        channel: Channel,
        head: dict[str, Any],
        buffer: int,
        streamable: bool,
        cap: int = 1 << 62,
    ):
        self.channel = channel
        self.head = head
        self.buffer = buffer
        self.streamable = streamable
        self.cap = cap
        self.total = 0
        self.parts: list[bytes] = []
        self.size = 0
        self.streaming = False

    def add(self, data: bytes) -> None:
        if not data:
            return
        self.total += len(data)
        if self.total > self.cap:
            self.parts, self.size = [], 0
            raise AnswerTooLargeError(
                f"the answer is larger than {self.cap} bytes (max_answer_bytes); "
                "add LIMIT or select fewer or shorter values"
            )
        self.parts.append(data)
        self.size += len(data)
        if self.streaming:
            if self.size >= CHUNK:
                self._flush()
        elif self.streamable and self.size > self.buffer:
            self.streaming = True
            self.channel.send_json(b"H", {**self.head, "streaming": True})
            self._flush()

    def _flush(self) -> None:
        if self.parts:
            self.channel.send(b"D", b"".join(self.parts))
            self.parts, self.size = [], 0

    def finish(self, *, rows: int, truncated: bool, seconds: float) -> None:
        end = {"rows": rows, "truncated": truncated, "seconds": round(seconds, 6)}
        if self.streaming:
            self._flush()
            self.channel.send_json(b"Z", end)
            return
        body = b"".join(self.parts)
        if truncated and self.head["media_type"] == "application/sparql-results+json":
            body = with_leading_json_note(body, self.head["row_cap"])
        head = json.dumps({**self.head, **end, "streaming": False}).encode()
        self.channel.send(b"F", head + b"\n" + body)


class LimitedOutput:
    """The file-like object pyoxigraph writes into: row cap, then the sink."""

    def __init__(self, sink: ResponseSink, media_type: str, cap: int) -> None:
        self.sink = sink
        self.limiter = row_limiter(media_type, cap)

    def write(self, data: bytes) -> int:
        if self.limiter is None:
            self.sink.add(bytes(data))
            return len(data)
        self.sink.add(self.limiter.feed(bytes(data)))
        if self.limiter.truncated:
            raise _RowCapReachedError
        return len(data)

    def flush(self) -> None:
        pass

    def close_stream(self) -> None:
        if self.limiter is not None and not self.limiter.truncated:
            self.sink.add(self.limiter.finish())


class Worker:
    def __init__(
        self,
        store: ox.Store | RemoteStore,
        channel: Channel,
        prefixes: dict[str, str],
        *,
        sandboxed: bool = False,
    ) -> None:
        self.store = store
        self.channel = channel
        self.prefixes = prefixes
        self.sandboxed = sandboxed
        """No socket can be opened: an I/O error while evaluating is a SERVICE call."""

    def run(self, job: dict[str, Any]) -> None:
        started = time.perf_counter()
        options: dict[str, Any] = {}
        if job.get("base_iri"):
            options["base_iri"] = job["base_iri"]
        if job.get("default_graphs"):
            options["default_graph"] = [ox.NamedNode(g) for g in job["default_graphs"]]
        elif job.get("union", True):
            options["use_default_graph_as_union"] = True
        if job.get("named_graphs"):
            options["named_graphs"] = [ox.NamedNode(g) for g in job["named_graphs"]]
        try:
            result = self.store.query(job["query"], **options)
            if isinstance(result, ox.QueryBoolean):
                self._boolean(job, result, started)
            elif isinstance(result, ox.QuerySolutions):
                self._solutions(job, result, started)
            else:
                self._graph(job, result, started)
        except SyntaxError as exc:
            self.channel.send_json(b"E", {"error": "syntax", "detail": str(exc)})
        except AnswerTooLargeError as exc:
            self.channel.send_json(b"E", {"error": "answer_too_large", "detail": str(exc)})
        except MemoryError:
            self.channel.send_json(
                b"E", {"error": "memory", "detail": "the query ran out of its memory limit"}
            )
        except KbError as exc:  # from an external store: keep its meaning across the pipe
            kind = _REMOTE_ERRORS.get(type(exc).__name__, "evaluation")
            self.channel.send_json(b"E", {"error": kind, "detail": str(exc)})
        except OSError as exc:
            kind = "service_refused" if self.sandboxed else "evaluation"
            self.channel.send_json(b"E", {"error": kind, "detail": str(exc)})
        except (ValueError, RuntimeError) as exc:
            self.channel.send_json(b"E", {"error": "evaluation", "detail": str(exc)})

    def _head(self, job: dict[str, Any], kind: str) -> dict[str, Any] | None:
        media = job["media"].get(kind)
        if media is None:
            self.channel.send_json(b"E", {"error": "not_acceptable", "detail": kind})
            return None
        return {"kind": kind, "media_type": media, "row_cap": job["row_cap"]}

    def _boolean(self, job: dict[str, Any], result: ox.QueryBoolean, started: float) -> None:
        head = self._head(job, "boolean")
        if head is None:
            return
        body = result.serialize(format=RESULT_FORMATS[head["media_type"]]) or b""
        sink = ResponseSink(
            self.channel, head, job["buffer"], streamable=False, cap=job["answer_cap"]
        )
        sink.add(body)
        sink.finish(rows=1, truncated=False, seconds=time.perf_counter() - started)

    def _solutions(self, job: dict[str, Any], result: ox.QuerySolutions, started: float) -> None:
        head = self._head(job, "solutions")
        if head is None:
            return
        media = head["media_type"]
        sink = ResponseSink(
            self.channel, head, job["buffer"], media in STREAMABLE, cap=job["answer_cap"]
        )
        output = LimitedOutput(sink, media, job["row_cap"])
        try:
            result.serialize(output, format=RESULT_FORMATS[media])
            output.close_stream()
        except _RowCapReachedError:
            if media == "application/sparql-results+json":
                sink.add(close_json(job["row_cap"], streaming=sink.streaming))
        limiter = output.limiter
        rows = limiter.rows if limiter else 0
        truncated = bool(limiter and limiter.truncated)
        sink.finish(rows=rows, truncated=truncated, seconds=time.perf_counter() - started)

    def _graph(self, job: dict[str, Any], result: ox.QueryTriples, started: float) -> None:
        head = self._head(job, "graph")
        if head is None:
            return
        media = head["media_type"]
        cap = job["row_cap"]
        sink = ResponseSink(
            self.channel, head, job["buffer"], media in STREAMABLE, cap=job["answer_cap"]
        )
        counter = _Counter()
        fmt = GRAPH_FORMATS[media]
        prefixes = self.prefixes if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG) else None
        ox.serialize(
            _capped(result, cap, counter), _SinkWriter(sink), format=fmt, prefixes=prefixes
        )
        if counter.truncated:
            sink.add(_graph_note(media, cap))
        sink.finish(
            rows=counter.rows, truncated=counter.truncated, seconds=time.perf_counter() - started
        )


class _Counter:
    rows = 0
    truncated = False


def _capped(triples: Iterator[ox.Triple], cap: int, counter: _Counter) -> Iterator[ox.Triple]:
    for triple in triples:
        if counter.rows == cap:
            counter.truncated = True
            return
        counter.rows += 1
        yield triple


class _SinkWriter:
    def __init__(self, sink: ResponseSink) -> None:
        self.sink = sink

    def write(self, data: bytes) -> int:
        self.sink.add(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass


def _graph_note(media: str, cap: int) -> bytes:
    note = TRUNCATION_NOTE.format(cap=cap).replace("rows", "triples")
    if media in HASH_COMMENT:
        return f"\n# {note}\n".encode()
    if media in XML_COMMENT:
        return f"\n<!-- {note} -->\n".encode()
    return b""


def _cap_address_space(extra: int) -> None:
    """Let the process grow by at most `extra` bytes of address space from now on.

    Called once the store is loaded and the engine thread runs, so the limit is
    what queries may add. The kernel enforces it: an allocation past it fails,
    and the engine aborts; the server reports that query as too costly.
    """
    in_use = _address_space()
    if in_use is None:
        return
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = in_use + extra
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _address_space() -> int | None:
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            pages = int(statm.read().split()[0])
    except (OSError, ValueError, IndexError):
        return None
    return pages * os.sysconf("SC_PAGE_SIZE")


def _read_exactly(stream: BinaryIO, n: int) -> bytes | None:
    data = stream.read(n)
    return data if data is not None and len(data) == n else None


def _die_with_parent() -> None:
    # Linux: a worker must not outlive a server that was killed outright.
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


_REMOTE_ERRORS = {
    "QuerySyntaxError": "syntax",
    "QueryTimeoutError": "timeout",
    "StoreUnavailableError": "unavailable",
}


class RemoteStore:
    """An external store behind the same `query` call as `ox.Store` (mode `remote`).

    Results come back as pyoxigraph objects, so the worker serialises,
    negotiates and caps them exactly as for the embedded store.
    """

    def __init__(self, endpoint: str, timeout: float) -> None:
        from kb.store.sparql import SparqlStore  # httpx: only remote workers pay for it

        # Set by the pool from Settings.store_auth (kb.endpoint.pool.STORE_AUTH_VARIABLE).
        auth = os.environ.get("KB_WORKER_STORE_AUTH") or None
        self.store = SparqlStore(endpoint, timeout=timeout, auth=auth)

    def query(self, sparql: str, **options: Any) -> Any:
        defaults = options.get("default_graph") or ()
        named = options.get("named_graphs") or ()
        # The external store's default graph is already the union of its graphs.
        return self.store.query(
            sparql,
            default_graph=[g.value for g in defaults],
            named_graphs=[g.value for g in named],
            base_iri=options.get("base_iri"),
        )

    def __len__(self) -> int:
        return 0  # not counted: a COUNT per worker start would cost the store


def open_store(
    mode: str, path: str, also: list[str] | None = None, timeout: float = 30.0
) -> ox.Store | RemoteStore:
    if mode == "remote":
        return RemoteStore(path, timeout)
    if mode == "memory":
        store = ox.Store()
        for file in [path, *(also or [])]:
            store.bulk_load(path=file, format=ox.RdfFormat.N_QUADS)
        return store
    return ox.Store.read_only(path)  # the disk store already holds the side graphs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="kb.endpoint.worker")
    parser.add_argument("--mode", choices=["memory", "disk", "remote"], required=True)
    parser.add_argument(
        "--path", required=True, help="dataset.nq (memory), store dir (disk) or endpoint (remote)"
    )
    parser.add_argument("--timeout", type=float, default=30.0, help="HTTP timeout (remote)")
    parser.add_argument("--prefixes", default="{}", help="JSON prefix map for Turtle output")
    parser.add_argument("--also", action="append", help="more N-Quads to load (memory)")
    parser.add_argument(
        "--network",
        choices=["none", "open"],
        default="none",
        help="none: the kernel refuses every socket (kb.endpoint.sandbox); open: SERVICE "
        "federation or an external store",
    )
    parser.add_argument(
        "--stack-bytes", type=int, default=1 << 30, help="stack of the thread that runs queries"
    )
    parser.add_argument(
        "--memory-bytes", type=int, default=0, help="address space a query may add (0: no cap)"
    )
    args = parser.parse_args(argv)
    _die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's to handle
    # Results go through a private copy of stdout; stray prints land on stderr.
    channel = Channel(os.dup(1))
    os.dup2(2, 1)
    started = time.perf_counter()
    if args.network == "none":
        try:
            forbid_network()
        except SandboxError as exc:
            channel.send_json(b"E", {"error": "sandbox", "detail": str(exc)})
            return 1
    try:
        store = open_store(args.mode, args.path, args.also, args.timeout)
    except (OSError, SyntaxError) as exc:
        channel.send_json(b"E", {"error": "store", "detail": f"cannot open {args.path}: {exc}"})
        return 1
    ready = {"quads": len(store), "seconds": round(time.perf_counter() - started, 3)}
    channel.send_json(b"R", ready)
    worker = Worker(store, channel, json.loads(args.prefixes), sandboxed=args.network == "none")
    # The engine parses and evaluates recursively: on the main thread's 8 MiB a
    # few thousand nested groups or a long chain of `+` overflow it and kill the
    # process. Queries run on a thread whose stack (reserved, touched only as
    # deep as a query goes) grows with the longest query the server accepts.
    threading.stack_size(args.stack_bytes)
    runner = threading.Thread(target=_serve, args=(worker, args.memory_bytes), name="engine")
    runner.start()
    runner.join()
    return 0


def _serve(worker: Worker, memory_bytes: int) -> None:
    if memory_bytes:
        _cap_address_space(memory_bytes)
    stdin = sys.stdin.buffer
    while True:
        header = _read_exactly(stdin, LENGTH.size)
        if header is None:
            return  # the server closed the pipe: shut down
        payload = _read_exactly(stdin, LENGTH.unpack(header)[0])
        if payload is None:
            return
        worker.run(json.loads(payload))


if __name__ == "__main__":
    sys.exit(main())
