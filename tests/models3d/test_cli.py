"""The command line contract: exit 0 accepted, 2 rejected with a JSON error, 1 otherwise."""

from __future__ import annotations

import json
import struct
import subprocess
import sys
from pathlib import Path

from m3d_inputs import TESTDATA

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "models3d", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )


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


def test_usage_errors_exit_1(tmp_path):
    assert run("inspect", str(tmp_path / "missing.glb")).returncode == 1
    assert run("process", str(TESTDATA / "teapot.stl")).returncode == 1
    assert (
        run("process", str(TESTDATA / "teapot.stl"), "-o", str(tmp_path), "--up", "x").returncode
        == 1
    )
