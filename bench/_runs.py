"""What the benchmarks share: generated inputs kept between runs, measured child processes."""

from __future__ import annotations

import json
import os
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FOLDER = Path("instance/bench")


@dataclass
class Run:
    """One measured run of a command: its output, wall and CPU seconds, peak RSS."""

    output: str
    seconds: float
    cpu_seconds: float
    peak_bytes: int

    def result(self) -> Any:
        """The JSON on the last line of the output."""
        return json.loads(self.output.strip().splitlines()[-1])


def measure(command: list[str]) -> Run:
    """Run ``command``; the kernel's figures for it (``wait4``: user + system time of all its
    threads, the peak resident memory of the largest process of its tree)."""
    started = time.monotonic()
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    output = proc.stdout.read()
    _pid, status, usage = os.wait4(proc.pid, 0)
    seconds = time.monotonic() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(f"benchmark process failed ({proc.returncode}): {command[:3]}")
    return Run(output, seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024)


def generated(name: str, make: Callable[[Path], Path]) -> Path:
    """``instance/bench/<name>``, made by ``make(path)`` the first time only."""
    FOLDER.mkdir(parents=True, exist_ok=True)
    path = FOLDER / name
    if not path.exists():
        started = time.monotonic()
        make(path)
        print(f"generated {path} in {time.monotonic() - started:.0f} s")
    return path
