"""process_isolated and inspect_isolated: limits, progress, and errors across the boundary.

A rejection (the upload's fault, timeouts and out-of-memory included) is a ModelError; a
crash or an exception in our own code is a ProcessingError.
"""

from __future__ import annotations

import os
import resource
import signal

import pytest
from m3d_inputs import TESTDATA, make_zip

from models3d import (
    LEVELS,
    Limits,
    ModelError,
    ProcessingError,
    ProcessingInterrupted,
    ProcessOptions,
    inspect_file,
    inspect_isolated,
    process_isolated,
)


def test_success_with_progress(tmp_path):
    seen: list[tuple[int, str]] = []
    result = process_isolated(
        TESTDATA / "BoxTextured.glb",
        tmp_path / "out",
        original_name="BoxTextured.glb",
        progress=lambda pct, stage: seen.append((pct, stage)),
    )
    assert seen[0] == (5, "checking") and seen[-1] == (100, "done")
    assert [p for p, _ in seen] == sorted(p for p, _ in seen)
    assert {s for _, s in seen} >= {f"level {name}" for name in LEVELS}
    assert all(path.is_file() for path in result.levels.values())
    assert result.poster.is_file()
    assert result.report["triangles"] == 12


def test_model_error_keeps_its_code(tmp_path):
    upload = tmp_path / "upload"
    upload.write_bytes(make_zip([("../evil.obj", b"v 0 0 0\n")]))
    with pytest.raises(ModelError) as caught:
        process_isolated(upload, tmp_path / "out", original_name="evil.zip")
    assert caught.value.code == "unsafe_path"
    assert caught.value.detail["entry"] == "../evil.obj"
    assert not (tmp_path / "out").exists()


def test_timeout(tmp_path):
    options = ProcessOptions(limits=Limits(time_limit_s=0.3))
    with pytest.raises(ModelError) as caught:
        process_isolated(TESTDATA / "Duck.glb", tmp_path / "out", options=options)
    assert caught.value.code == "processing_timeout"
    assert caught.value.detail == {"time_limit_s": 0.3}


@pytest.mark.parametrize("limit", [60_000_000, 400_000_000])
def test_memory_limit(tmp_path, limit):
    options = ProcessOptions(limits=Limits(memory_limit_bytes=limit))
    ours = resource.getrlimit(resource.RLIMIT_AS)
    with pytest.raises(ModelError) as caught:
        process_isolated(TESTDATA / "Duck.glb", tmp_path / "out", options=options)
    assert caught.value.code == "processing_out_of_memory"
    # The limit was the child's alone: this process keeps its own, and can still allocate
    # more than the child was allowed.
    assert resource.getrlimit(resource.RLIMIT_AS) == ours
    assert len(bytearray(limit)) == limit


def test_child_crash_is_a_processing_error(tmp_path, monkeypatch):
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))
    (tmp_path / "sitecustomize.py").write_text("import os\nos._exit(3)\n")
    with pytest.raises(ProcessingError) as caught:
        process_isolated(TESTDATA / "Duck.glb", tmp_path / "out")
    assert caught.value.code == "processing_failed"
    assert caught.value.detail["returncode"] == 3
    assert "on our side" in caught.value.message


@pytest.mark.parametrize("number", [signal.SIGKILL, signal.SIGTERM])
def test_child_killed_from_outside_is_interrupted_not_out_of_memory(tmp_path, monkeypatch, number):
    """A signal we did not send (an operator, a service manager, the kernel) is no verdict on
    the upload: only an allocation refused under our own limit is out of memory."""
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))
    kill = f"import os\nos.kill(os.getpid(), {int(number)})\n"
    (tmp_path / "sitecustomize.py").write_text(kill)
    with pytest.raises(ProcessingInterrupted) as caught:
        process_isolated(TESTDATA / "Duck.glb", tmp_path / "out")
    assert caught.value.code == "processing_failed"
    assert caught.value.detail["returncode"] == -number


def test_child_temporary_files_go_to_the_given_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))
    probe = "import os, tempfile\nos.write(2, ('TMP=' + tempfile.gettempdir()).encode())\n"
    (tmp_path / "sitecustomize.py").write_text(probe + "os._exit(3)\n")
    logged = bytearray()
    with pytest.raises(ProcessingError):
        process_isolated(
            TESTDATA / "Duck.glb",
            tmp_path / "out",
            tmp_dir=tmp_path / "t",
            stderr_sink=logged.extend,
        )
    assert logged.decode() == f"TMP={tmp_path / 't'}"


def test_exception_in_our_code_is_a_processing_error(tmp_path):
    with pytest.raises(ProcessingError) as caught:  # no such file: the caller's mistake
        process_isolated(tmp_path / "missing.glb", tmp_path / "out")
    assert caught.value.detail["error"].startswith("FileNotFoundError(")
    assert "Traceback" in caught.value.detail["traceback"]


def test_inspect_isolated_gives_the_same_report(tmp_path):
    name = "teapot.stl"
    assert inspect_isolated(TESTDATA / name, original_name=name) == inspect_file(
        TESTDATA / name, original_name=name
    )
    with pytest.raises(ModelError) as caught:
        inspect_isolated(TESTDATA / name, original_name="teapot.glb")
    assert caught.value.code == "content_mismatch"


def test_gltfpack_short_of_memory_is_out_of_memory_not_invalid(tmp_path):
    """A valid scan that gltfpack cannot fit in the memory limit is not the curator's glTF
    error: the WebAssembly's "unreachable" trap under the limit means out of memory."""
    import trimesh

    scan = tmp_path / "sphere.glb"  # 1.3 M triangles: without the fix, "invalid_gltf" at 900 MB
    scan.write_bytes(trimesh.creation.icosphere(subdivisions=8).export(file_type="glb"))
    options = ProcessOptions(limits=Limits(memory_limit_bytes=900 << 20))
    with pytest.raises(ModelError) as caught:
        process_isolated(scan, tmp_path / "out", options=options)
    assert caught.value.code == "processing_out_of_memory"


def test_tools_die_with_the_process_that_started_them(tmp_path):
    """What nodetools and the isolation do (models3d.lifeline): a tool started by a process
    that is then killed with SIGKILL does not stay behind as an orphan."""
    import subprocess
    import sys
    import time
    from pathlib import Path

    script = (
        "import subprocess, sys\n"
        "from models3d import lifeline\n"
        "tool = subprocess.Popen(['sleep', '600'], preexec_fn=lifeline.preexec())\n"
        "print(tool.pid, flush=True)\n"
        "tool.wait()\n"
    )
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    tool = int(parent.stdout.readline())
    parent.kill()
    parent.wait()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:  # wait for the kernel's signal, not a fixed time
        try:
            state = Path(f"/proc/{tool}/stat").read_text().rpartition(")")[2].split()[0]
        except OSError:
            break
        if state in {"Z", "X"}:
            break
        time.sleep(0.05)
    else:
        os.kill(tool, signal.SIGKILL)
        raise AssertionError("the tool outlived the process that started it")
