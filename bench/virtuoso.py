"""A private Virtuoso Open Source instance, for the benchmarks and the opt-in store tests.

Debian's `virtuoso-opensource` (`virtuoso-t`, `isql-vt`) is started in a
temporary directory on two free ports (SQL and HTTP, bound to 127.0.0.1),
optionally bulk-loaded with N-Quads files, optionally opened for writes
through the SPARQL endpoint and the Graph Store Protocol without
authentication, and always stopped at the end. Row and time limits are raised
so it never truncates an answer silently. Its default graph is the union of
every graph, as the embedded store's.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

INI = """[Database]
DatabaseFile={dir}/virtuoso.db
ErrorLogFile={dir}/virtuoso.log
LockFile={dir}/virtuoso.lck
TransactionFile={dir}/virtuoso.trx
xa_persistent_file={dir}/virtuoso.pxa
Striping=0
TempStorage=TempDatabase
[TempDatabase]
DatabaseFile={dir}/virtuoso-temp.db
TransactionFile={dir}/virtuoso-temp.trx
Striping=0
[Parameters]
ServerPort=127.0.0.1:{sql_port}
DirsAllowed=., {data}
NumberOfBuffers=170000
MaxDirtyBuffers=130000
[HTTPServer]
ServerPort=127.0.0.1:{http_port}
ServerRoot=/var/lib/virtuoso-opensource-7/vsp
ServerThreads=10
MaxClientConnections=10
[SPARQL]
ResultSetMaxRows=10000000
MaxSortedTopRows=10000000
MaxQueryExecutionTime=120
"""

# The anonymous SPARQL user may update, and read and write every graph.
OPEN_FOR_WRITES = (
    "GRANT SPARQL_UPDATE TO \"SPARQL\"; DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('nobody', 7);"
)


@dataclass(frozen=True)
class Virtuoso:
    http_port: int
    sql: list[str]
    """isql-vt command line reaching this instance as dba."""
    load_seconds: float

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"


def installed() -> bool:
    return bool(shutil.which("virtuoso-t") and shutil.which("isql-vt"))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def running_virtuoso(
    *,
    load: Sequence[Path] = (),
    writable: bool = False,
    wrap: Callable[[list[str]], list[str]] = lambda command: command,
    start_seconds: float = 120,
) -> Iterator[Virtuoso]:
    """Start, load `load` (N-Quads files), open for writes if asked; stop on exit.

    `wrap` adjusts the server's command line (the benchmark pins it to a CPU).
    """
    virtuoso, isql = shutil.which("virtuoso-t"), shutil.which("isql-vt")
    if not virtuoso or not isql:
        raise RuntimeError("virtuoso-t or isql-vt missing: apt-get install virtuoso-opensource")
    with tempfile.TemporaryDirectory(prefix="kb-virtuoso-") as tmp:
        data = Path(tmp) / "data"
        data.mkdir()
        for path in load:
            os.symlink(path.resolve(), data / path.name)
        http_port, sql_port = _free_port(), _free_port()
        ini = Path(tmp) / "virtuoso.ini"
        ini.write_text(INI.format(dir=tmp, data=data, sql_port=sql_port, http_port=http_port))
        command = wrap([virtuoso, "+foreground", "+configfile", str(ini)])
        process = subprocess.Popen(
            command, cwd=tmp, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        try:
            sql = [isql, f"127.0.0.1:{sql_port}", "dba", "dba"]
            deadline = time.monotonic() + start_seconds
            while subprocess.run([*sql, "exec=status();"], capture_output=True).returncode:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("virtuoso did not start")
                time.sleep(0.5)
            started = time.perf_counter()
            if load:
                bulk = f"ld_dir('{data}', '*.nq', 'urn:kb:default'); rdf_loader_run(); checkpoint;"
                subprocess.run([*sql, f"exec={bulk}"], check=True, capture_output=True)
            loaded = time.perf_counter() - started
            if writable:
                subprocess.run([*sql, f"exec={OPEN_FOR_WRITES}"], check=True, capture_output=True)
            _wait_for_http(f"http://127.0.0.1:{http_port}/sparql?query=ASK%7B%7D", process)
            yield Virtuoso(http_port, sql, loaded)
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


def _wait_for_http(url: str, process: subprocess.Popen[bytes], seconds: float = 120) -> None:
    import urllib.request

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("virtuoso exited")
        with contextlib.suppress(OSError), urllib.request.urlopen(url, timeout=5) as response:
            if response.status == 200:
                return
        time.sleep(0.3)
    raise RuntimeError(f"virtuoso did not answer at {url}")
