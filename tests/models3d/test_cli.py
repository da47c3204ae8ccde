"""The command line contract: exit 0 accepted, 2 rejected with a JSON error, 1 otherwise.

Both commands run in a child process under the default limits, as ingest jobs do.
"""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
from pathlib import Path

from m3d_inputs import TESTDATA, ply_with

from models3d import Limits

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "models3d", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
        env=env,
    )


def with_sitecustomize(folder: Path, code: str) -> dict[str, str]:
    """An environment whose Python processes (the CLI and its child) run ``code`` first."""
    (folder / "sitecustomize.py").write_text(code)
    return {**os.environ, "PYTHONPATH": str(folder)}


RECORD_LIMITS = """
import os, resource
cmdline = open("/proc/self/cmdline", "rb").read().split(b"\\0")
limit = resource.getrlimit(resource.RLIMIT_AS)[0]
with open(os.path.join(os.path.dirname(__file__), "seen.txt"), "a") as out:
    out.write(f"{b' '.join(cmdline[1:3]).decode()}|{limit}\\n")
"""
CRASH_WORKER = """
import os
if b"models3d.worker" in open("/proc/self/cmdline", "rb").read():
    os._exit(3)
"""


def test_inspect_ok():
    proc = run("inspect", str(TESTDATA / "teapot.stl"))
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert (report["format"], report["triangles"]) == ("stl", 894)


def test_inspect_rejected():
    proc = run("inspect", str(TESTDATA / "Duck.glb"), "--name", "duck.zip")
    assert proc.returncode == 2
    error = json.loads(proc.stdout)["error"]
    assert error["code"] == "content_mismatch"
    assert set(error) == {"code", "message", "detail"}


def test_process_writes_outputs(tmp_path):
    proc = run(
        "process", str(TESTDATA / "teapot.stl"), "-o", str(tmp_path), "--up", "z", "--unit", "mm"
    )
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "high.glb",
        "low.glb",
        "medium.glb",
        "poster.webp",
        "report.json",
        "thumb.glb",
    ]
    report = json.loads((tmp_path / "report.json").read_text())
    assert report == json.loads(proc.stdout)
    assert (report["up_axis"], report["unit"]) == ("z", "mm")


def test_process_rejected_leaves_nothing(tmp_path):
    bad = tmp_path / "bad.glb"
    bad.write_bytes(b"glTF" + struct.pack("<II", 2, 48) + b"\0" * 36)
    out = tmp_path / "out"
    proc = run("process", str(bad), "-o", str(out))
    assert proc.returncode == 2
    assert json.loads(proc.stdout)["error"]["code"] == "parse_error"
    assert not out.exists()


def test_both_commands_run_in_a_limited_child(tmp_path):
    env = with_sitecustomize(tmp_path, RECORD_LIMITS)
    for args in (
        ["inspect", str(TESTDATA / "teapot.stl")],
        ["process", str(TESTDATA / "teapot.stl"), "-o", str(tmp_path / "out")],
    ):
        (tmp_path / "seen.txt").unlink(missing_ok=True)
        assert run(*args, env=env).returncode == 0
        seen = dict(line.split("|") for line in (tmp_path / "seen.txt").read_text().splitlines())
        assert seen["-m models3d.worker"] == str(Limits().memory_limit_bytes)


def test_crash_of_our_code_exits_1(tmp_path):
    proc = run(
        "inspect", str(TESTDATA / "teapot.stl"), env=with_sitecustomize(tmp_path, CRASH_WORKER)
    )
    assert (proc.returncode, proc.stdout) == (1, "")
    assert "failed on our side" in proc.stderr


def test_ply_texture_outside_is_rejected_cleanly(tmp_path):
    upload = tmp_path / "scan.ply"
    upload.write_bytes(ply_with(texture="../../etc/passwd"))
    proc = run("inspect", str(upload))
    assert proc.returncode == 2
    assert json.loads(proc.stdout)["error"]["code"] == "unsafe_path"
    assert "Traceback" not in proc.stderr


def test_ply_texture_at_an_absolute_path_is_a_note(tmp_path):
    """The author's own path is not followed; the scan is read without that texture."""
    upload = tmp_path / "scan.ply"
    upload.write_bytes(ply_with(texture="/etc/passwd"))
    proc = run("inspect", str(upload))
    assert proc.returncode == 0
    notes = json.loads(proc.stdout)["notes"]
    assert notes[0] == {"code": "texture_not_uploaded", "detail": {"file": "/etc/passwd"}}


def test_usage_errors_exit_1(tmp_path):
    assert run("inspect", str(tmp_path / "missing.glb")).returncode == 1
    assert run("process", str(TESTDATA / "teapot.stl")).returncode == 1
    assert (
        run("process", str(TESTDATA / "teapot.stl"), "-o", str(tmp_path), "--up", "x").returncode
        == 1
    )
