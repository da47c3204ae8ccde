"""Running the Node tools models3d relies on: gltfpack and the Khronos glTF-Validator.

``node_modules`` is found by walking up from this package's folder (override it with the
environment variable ``HERITOUR_NODE_MODULES``). Under an address-space limit (RLIMIT_AS,
inherited from :func:`models3d.process_isolated`) Node runs with the WebAssembly trap
handler disabled, so gltfpack fits; without a limit the trap handler stays on, which makes
WebAssembly about 10 % faster (no explicit bounds checks).
"""

from __future__ import annotations

import json
import logging
import os
import resource
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

from models3d import lifeline
from models3d.errors import ModelError

log = logging.getLogger(__name__)

LIMITED_NODE_FLAGS = ("--disable-wasm-trap-handler",)
VALIDATE_SCRIPT = Path(__file__).with_name("validate.mjs")
KTX2_SCRIPT = Path(__file__).with_name("ktx2decode.mjs")
MAX_ISSUES = 200
# Above this input size gltfpack runs for seconds: compiling its WebAssembly fully up front
# (no Liftoff baseline tier) saves about 10 % of its CPU time. Below, the compile costs more
# than it saves (0.3 s instead of 0.1 s for a small model).
UP_FRONT_COMPILE_BYTES = 32 << 20


class ToolError(RuntimeError):
    """A Node tool is missing or failed in a way that is not the model's fault."""


def node_modules() -> Path:
    """Locate node_modules holding gltfpack and gltf-validator."""
    env = os.environ.get("HERITOUR_NODE_MODULES")
    if env:
        return Path(env)
    for parent in Path(__file__).resolve().parents:
        candidate = parent / "node_modules"
        if (candidate / "gltfpack").is_dir():
            return candidate
    raise ToolError("node_modules with gltfpack not found; set HERITOUR_NODE_MODULES")


def node_binary() -> str:
    """Path of the node executable."""
    found = shutil.which("node")
    if not found:
        raise ToolError("node is not on the PATH")
    return found


def node_flags() -> tuple[str, ...]:
    """Node flags for this process: trap handler off only under an address-space limit."""
    soft, _hard = resource.getrlimit(resource.RLIMIT_AS)
    return () if soft == resource.RLIM_INFINITY else LIMITED_NODE_FLAGS


def _run(args: list[str], timeout: float | None = None) -> subprocess.CompletedProcess[bytes]:
    log.debug("running %s", " ".join(args))
    env = {**os.environ, "NODE_OPTIONS": ""}
    return subprocess.run(
        args,
        capture_output=True,
        timeout=timeout,
        env=env,
        check=False,
        preexec_fn=lifeline.preexec(),  # dies with the worker child that runs it
    )


def _is_oom(text: str) -> bool:
    lowered = text.lower()
    markers = (
        "out of memory",
        "cannot allocate",
        "bad_alloc",
        "fatal process oom",
        "failed to reserve virtual memory",
    )
    return any(marker in lowered for marker in markers)


def _gltfpack_out_of_memory(output: str) -> bool:
    """Did gltfpack fail for lack of memory? Under an address-space limit its WebAssembly
    traps ("unreachable") when an allocation fails, or reports that it cannot load its input
    (always a file just written here) when it cannot allocate room to read it."""
    if _is_oom(output):
        return True
    soft, _hard = resource.getrlimit(resource.RLIMIT_AS)
    limited = soft != resource.RLIM_INFINITY
    return limited and ("unreachable" in output or "file not found" in output)


def run_gltfpack(src: Path, dst: Path, options: list[str]) -> str:
    """Run ``gltfpack -i src -o dst OPTIONS``; returns its log."""
    cli = node_modules() / "gltfpack" / "cli.js"
    flags = node_flags()
    if src.stat().st_size > UP_FRONT_COMPILE_BYTES:
        flags += ("--no-liftoff",)
    started = time.monotonic()
    proc = _run([node_binary(), *flags, str(cli), "-i", str(src), "-o", str(dst), *options])
    log.info("gltfpack %s: %.2f s", " ".join(options), time.monotonic() - started)
    out = (proc.stdout + proc.stderr).decode("utf-8", "replace")
    if proc.returncode != 0 or not dst.is_file():
        if _gltfpack_out_of_memory(out):
            raise MemoryError(f"gltfpack ran out of memory: {out[-500:]}")
        raise ModelError(
            "invalid_gltf",
            {"reason": "gltfpack could not process the model", "tool_output": out[-500:]},
        )
    return out


def _run_script(script: Path, arg: str, paths: list[Path], tool: str) -> list[dict[str, Any]]:
    """Run one of our Node scripts on ``paths``; its JSON output holds one result per file."""
    if not paths:
        return []
    proc = _run(
        [node_binary(), *node_flags(), str(script), str(node_modules()), arg]
        + [str(p) for p in paths]
    )
    if proc.returncode != 0:
        err = proc.stderr.decode("utf-8", "replace")
        if _is_oom(err):
            raise MemoryError(f"{tool} ran out of memory: {err[-500:]}")
        raise ToolError(f"{tool} failed: {err[-1000:]}")
    results: list[dict[str, Any]] = json.loads(proc.stdout)
    return results


def validate_files(paths: list[Path]) -> list[dict[str, Any]]:
    """Validate GLB files with the Khronos glTF-Validator; one report dict per file."""
    return _run_script(VALIDATE_SCRIPT, str(MAX_ISSUES), paths, "the glTF validator")


def validate_document(doc: dict[str, Any], path: Path) -> dict[str, Any]:
    """Validate only the JSON structure of a glTF (written to ``path``, a ``.gltf``).

    Buffer data is not given to the validator, so accessor contents are not checked.
    """
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return validate_files([path])[0]


def decode_ktx2_files(paths: list[Path], out_dir: Path) -> list[dict[str, Any]]:
    """Transcode KTX2 (Basis Universal) files to raw RGBA with three.js's Basis transcoder.

    Writes ``out_dir/<n>.rgba`` for the n-th file; returns ``{width, height, alpha}`` or
    ``{error}`` per file.
    """
    return _run_script(KTX2_SCRIPT, str(out_dir), paths, "the KTX2 transcoder")
