"""Child processes that die with their parent (Linux), so a killed worker leaves no orphans.

``die_with_parent(parent_pid)`` runs in the child between fork and exec (``preexec_fn``): it
asks the kernel to send SIGKILL when the parent goes away (``prctl(PR_SET_PDEATHSIG)``), then
checks that the parent did not already go before the request was made. The kernel ties the
signal to the parent *thread* that forked, so start children from a thread that outlives them
(the job's own thread does: it waits for the child). Elsewhere than Linux it does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import sys
from collections.abc import Callable

PR_SET_PDEATHSIG = 1


def _libc() -> ctypes.CDLL | None:
    if not sys.platform.startswith("linux"):
        return None
    return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)


LIBC = _libc()


def die_with_parent(parent_pid: int) -> None:
    """Ask for SIGKILL when the parent ends; end now if it already has (runs in the child)."""
    if LIBC is None:
        return
    LIBC.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent_pid:  # the parent died between fork and prctl
        os._exit(1)


def preexec(*steps: Callable[[], None]) -> Callable[[], None]:
    """A ``preexec_fn`` that ties the child to this process, then runs ``steps``."""
    parent = os.getpid()

    def run() -> None:
        die_with_parent(parent)
        for step in steps:
            step()

    return run
