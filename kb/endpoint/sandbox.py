"""No network for a query worker: a seccomp filter the kernel enforces.

pyoxigraph evaluates `SERVICE <url>` by opening a TCP connection itself, and
it has no switch to turn that off. Deciding from the query text whether a
query federates means reading the text exactly as the engine does, and every
disagreement (a `<` read as an operator by one and as an IRI by the other) is
a way out. So the decision is not taken from the text: a worker that needs
no network installs, before it opens the store, a filter under which the
`socket` and `socketpair` system calls fail, whatever the address family (the
worker talks to the server over pipes; a Unix-domain socket could still reach
a local name-service daemon and leak names through DNS), and `io_uring`
cannot be set up (its socket and connect operations would bypass the filter).
Whatever the query says, the engine's attempt to connect fails with EACCES;
nothing leaves the machine, not even a DNS lookup.

The filter is inherited by every thread the engine starts later and cannot be
removed by the process. Where the kernel refuses it, the worker does not
start: there is no unprotected fallback.
"""

from __future__ import annotations

import ctypes
import errno
import os
import platform
import struct
import sys

from kb.errors import KbError


class SandboxError(KbError):
    """The kernel refused the worker's network filter; the worker must not run."""


# Per architecture: (AUDIT_ARCH_* value, seccomp, then the calls the filter denies:
# socket, socketpair, io_uring_setup).
_ARCHES = {
    "x86_64": (0xC000003E, 317, (41, 53, 425)),
    "aarch64": (0xC00000B7, 277, (198, 199, 425)),
}
_X32_SYSCALL_BIT = 0x40000000  # x86_64's x32 ABI: the same calls under other numbers

# Classic BPF, as linux/filter.h and linux/seccomp.h define it.
_LD_W_ABS = 0x00 | 0x00 | 0x20
_JEQ_K = 0x05 | 0x10 | 0x00
_JGE_K = 0x05 | 0x30 | 0x00
_RET_K = 0x06 | 0x00
_RET_ALLOW = 0x7FFF0000
_RET_ERRNO = 0x00050000
_OFFSET_NR, _OFFSET_ARCH = 0, 4  # struct seccomp_data
_PR_SET_NO_NEW_PRIVS = 38
_SECCOMP_SET_MODE_FILTER = 1
_SECCOMP_FILTER_FLAG_TSYNC = 1


def _instruction(code: int, jt: int, jf: int, k: int) -> bytes:
    return struct.pack("=HBBI", code, jt, jf, k)


def network_filter(machine: str | None = None) -> bytes:
    """The BPF program: no socket of any family, no io_uring, nothing of another ABI."""
    arch, _, denied = _ARCHES[machine or platform.machine()]
    deny = _RET_ERRNO | errno.EACCES
    program = [
        _instruction(_LD_W_ABS, 0, 0, _OFFSET_ARCH),
        _instruction(_JEQ_K, 1, 0, arch),  # another ABI (i386 int 0x80, …): deny
        _instruction(_RET_K, 0, 0, deny),
        _instruction(_LD_W_ABS, 0, 0, _OFFSET_NR),
        _instruction(_JGE_K, 0, 1, _X32_SYSCALL_BIT),
        _instruction(_RET_K, 0, 0, deny),
    ]
    for number in denied:
        program += [_instruction(_JEQ_K, 0, 1, number), _instruction(_RET_K, 0, 0, deny)]
    program.append(_instruction(_RET_K, 0, 0, _RET_ALLOW))
    return b"".join(program)


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def forbid_network() -> None:
    """Install the filter on this process (all its threads); raises `SandboxError`."""
    machine = platform.machine()
    if not sys.platform.startswith("linux") or machine not in _ARCHES:
        raise SandboxError(f"no network filter for this platform ({platform.system()} {machine})")
    libc = ctypes.CDLL(None, use_errno=True)
    program = network_filter(machine)
    buffer = ctypes.create_string_buffer(program, len(program))
    fprog = _SockFprog(len(program) // 8, ctypes.cast(buffer, ctypes.c_void_p))
    if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        raise SandboxError(f"prctl(NO_NEW_PRIVS) failed: {os.strerror(ctypes.get_errno())}")
    sys_seccomp = _ARCHES[machine][1]
    result = libc.syscall(
        sys_seccomp, _SECCOMP_SET_MODE_FILTER, _SECCOMP_FILTER_FLAG_TSYNC, ctypes.byref(fprog)
    )
    if result != 0:
        raise SandboxError(f"seccomp filter refused: {os.strerror(ctypes.get_errno())}")
