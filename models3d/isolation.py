"""Running :func:`process_file` or :func:`inspect_file` in a child process with limits.

The child is ``python -m models3d.worker`` in its own session, with RLIMIT_AS set to
``limits.memory_limit_bytes`` (inherited by its Node tools, which run with the WebAssembly
trap handler off so they fit). It reads a JSON request on stdin and writes JSON lines on
stdout: ``{"progress": [percent, stage]}`` then ``{"result": ...}``, ``{"error": ...}`` or
``{"failure": ...}``.

A rejection stays a :class:`ModelError`; running out of time or memory on an upload is one
too (``processing_timeout``, ``processing_out_of_memory``: the time limit we enforce, or an
allocation refused under our RLIMIT_AS, which the child or its tool reports). A crash or an
exception in our own code is a :class:`ProcessingError`: it is on our side, not the upload's.
A child killed by a signal we did not send (SIGKILL, SIGTERM… from an operator, a service
manager or the kernel) is :class:`ProcessingInterrupted`: the job is run again.

The child dies with its parent (:mod:`models3d.lifeline`), and so do the tools it starts;
its temporary files go to ``tmp_dir`` when given, so that the caller removes them.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import resource
import selectors
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from models3d import lifeline
from models3d.errors import ModelError, ProcessingError, ProcessingInterrupted
from models3d.options import DEFAULT_LIMITS, DEFAULT_OPTIONS, LEVELS, Limits, ProcessOptions
from models3d.panorama import remove_staging
from models3d.pipeline import ProcessResult

log = logging.getLogger(__name__)

OOM_MARKERS = (
    "memoryerror",
    "cannot allocate memory",
    "out of memory",
    "bad_alloc",
    "failed to map segment",
    "memory allocation",
    "failed to allocate",
)


OUTSIDE_SIGNALS = frozenset(
    {signal.SIGKILL, signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGQUIT}
)


def _limit_memory(limit: int) -> Callable[[], None]:
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    return apply


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


def _failure(returncode: int, stderr: str) -> ModelError | ProcessingError:
    """Why the child ended without an answer: short of memory under our limit (it says so
    on stderr), stopped from outside (a signal we did not send), or it crashed.

    RLIMIT_AS never kills: it refuses an allocation, and the child or its tool reports that.
    So a SIGKILL is an operator, a service manager or the kernel's OOM killer acting on the
    whole machine: not the upload's fault, and the job is run again."""
    tail = stderr[-2000:]
    if any(marker in stderr.lower() for marker in OOM_MARKERS):
        return ModelError("processing_out_of_memory", {"returncode": returncode, "log": tail})
    if -returncode in OUTSIDE_SIGNALS:
        return ProcessingInterrupted({"returncode": returncode, "log": tail})
    return ProcessingError({"returncode": returncode, "log": tail})


def _run_child(
    request: dict[str, Any],
    limits: Limits,
    progress: Callable[[int, str], None] | None,
    stderr_sink: Callable[[bytes], None] | None,
    tmp_dir: Path | None = None,
) -> dict[str, Any]:
    """Run the worker on ``request`` within ``limits``; return its result.

    Raises ModelError (a rejection, a timeout, out of memory) or ProcessingError (among
    them ProcessingInterrupted).
    """
    env = {
        **os.environ,
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "MALLOC_ARENA_MAX": "2",
        "PYTHONUNBUFFERED": "1",
    }
    package_root = str(Path(__file__).resolve().parent.parent)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [package_root, env.get("PYTHONPATH")]))
    if tmp_dir is not None:
        tmp_dir.mkdir(parents=True, exist_ok=True)
        env["TMPDIR"] = str(tmp_dir)
    proc = subprocess.Popen(
        [sys.executable, "-m", "models3d.worker"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        preexec_fn=lifeline.preexec(_limit_memory(limits.memory_limit_bytes)),
        start_new_session=True,
        env=env,
    )
    assert proc.stdin and proc.stdout and proc.stderr
    deadline = time.monotonic() + limits.time_limit_s
    outcome: dict[str, Any] | None = None
    stderr = bytearray()
    pending = b""
    try:
        try:
            proc.stdin.write(json.dumps(request).encode())
            proc.stdin.close()
        except BrokenPipeError:
            pass
        with selectors.DefaultSelector() as sel:
            sel.register(proc.stdout, selectors.EVENT_READ)
            sel.register(proc.stderr, selectors.EVENT_READ)
            open_streams = 2
            while open_streams:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise ModelError("processing_timeout", {"time_limit_s": limits.time_limit_s})
                for key, _ in sel.select(timeout=min(remaining, 1.0)):
                    chunk = os.read(key.fd, 65536)
                    if not chunk:
                        sel.unregister(key.fileobj)
                        open_streams -= 1
                    elif key.fileobj is proc.stderr:
                        if stderr_sink is not None:
                            stderr_sink(chunk)
                        stderr.extend(chunk[-65536:])
                        del stderr[:-65536]
                    else:
                        pending += chunk
                        *lines, pending = pending.split(b"\n")
                        for line in lines:
                            message = json.loads(line)
                            if "progress" in message and progress is not None:
                                progress(int(message["progress"][0]), str(message["progress"][1]))
                            if message.keys() & {"result", "error", "failure"}:
                                outcome = message
        proc.wait(timeout=max(deadline - time.monotonic(), 0.1))
    except subprocess.TimeoutExpired as exc:
        raise ModelError("processing_timeout", {"time_limit_s": limits.time_limit_s}) from exc
    finally:
        _kill_group(proc)
    if outcome is None:
        raise _failure(proc.returncode, stderr.decode("utf-8", "replace"))
    if "failure" in outcome:
        raise ProcessingError(outcome["failure"])
    if "error" in outcome:
        error = ModelError.from_dict(outcome["error"])
        if error.code == "processing_failed":  # an unknown code, or an old worker: ours
            raise ProcessingError(error.detail)
        raise error
    result: dict[str, Any] = outcome["result"]
    return result


def process_isolated(
    path: Path,
    out_dir: Path,
    *,
    original_name: str | None = None,
    options: ProcessOptions = DEFAULT_OPTIONS,
    progress: Callable[[int, str], None] | None = None,
    log_level: str = "INFO",
    stderr_sink: Callable[[bytes], None] | None = None,
    tmp_dir: Path | None = None,
) -> ProcessResult:
    """Like :func:`models3d.process_file`, in a child process with time and memory limits.

    ``stderr_sink`` receives the child's log output as it comes (logged at ``log_level``);
    the child's temporary files go under ``tmp_dir`` when given (the caller removes it).
    Raises ModelError: the child's own code, or ``processing_timeout`` or
    ``processing_out_of_memory``. Raises ProcessingError when our code crashed.
    """
    request = {
        "command": "process",
        "path": str(Path(path).resolve()),
        "out_dir": str(Path(out_dir).resolve()),
        "original_name": original_name,
        "options": options.to_dict(),
        "log_level": log_level,
    }
    out = Path(out_dir)
    try:
        result = _run_child(request, options.limits, progress, stderr_sink, tmp_dir)
    except BaseException:
        remove_staging(out)  # a child killed while it wrote a panorama leaves its staging
        raise
    if result["report"].get("kind") == "panorama":
        files = {name: out / f"{name}.jpg" for name in ("preview", "equirect")}
        return ProcessResult(result["report"], files, out / "poster.webp", out / "tiles")
    return ProcessResult(
        result["report"], {name: out / f"{name}.glb" for name in LEVELS}, out / "poster.webp"
    )


def inspect_isolated(
    path: Path,
    *,
    original_name: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
    log_level: str = "INFO",
    stderr_sink: Callable[[bytes], None] | None = None,
) -> dict[str, Any]:
    """Like :func:`models3d.inspect_file`, in a child process with time and memory limits.

    Raises like :func:`process_isolated`.
    """
    request = {
        "command": "inspect",
        "path": str(Path(path).resolve()),
        "original_name": original_name,
        "options": ProcessOptions(limits=limits).to_dict(),
        "log_level": log_level,
    }
    report: dict[str, Any] = _run_child(request, limits, None, stderr_sink)["report"]
    return report
