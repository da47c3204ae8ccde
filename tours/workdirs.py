"""Temporary work folders that a killed worker does not leave behind for good.

A job works in ``<tmp>/heritour-ingest-*`` and holds an exclusive ``flock`` on the folder's
``.lock`` file while it lives. The kernel drops the lock when the process ends, however it
ends, so :func:`remove_stale` (run when a worker starts) tells an abandoned folder from a
busy one without trusting process ids, and removes it.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

log = logging.getLogger(__name__)

PREFIX = "heritour-ingest-"
LOCK = ".lock"
UNLOCKED_GRACE_S = 3600  # a folder without its lock file yet: only when clearly old


@contextlib.contextmanager
def workdir(prefix: str = PREFIX) -> Iterator[Path]:
    """A new temporary folder, locked for this process until the block ends, then removed."""
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        with (folder / LOCK).open("w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _abandoned(folder: Path) -> bool:
    try:
        with (folder / LOCK).open("r") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return False  # its worker is alive
            return True
    except FileNotFoundError:
        try:
            return time.time() - folder.stat().st_mtime > UNLOCKED_GRACE_S
        except FileNotFoundError:
            return False


def remove_stale(prefix: str = PREFIX) -> list[Path]:
    """Remove the work folders whose process has ended; returns them."""
    removed = []
    for folder in Path(tempfile.gettempdir()).glob(prefix + "*"):
        if folder.is_dir() and _abandoned(folder):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    if removed:
        log.info("removed %d work folder(s) left by stopped workers", len(removed))
    return removed
