"""process_isolated: limits, progress, and errors carried across the process boundary."""

from __future__ import annotations

import os

import pytest
from m3d_inputs import TESTDATA, make_zip

from models3d import LEVELS, Limits, ModelError, ProcessOptions, process_isolated


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
    with pytest.raises(ModelError) as caught:
        process_isolated(TESTDATA / "Duck.glb", tmp_path / "out", options=options)
    assert caught.value.code == "processing_out_of_memory"
    assert os.getpid() > 0  # this process is alive and unaffected


def test_child_crash_is_processing_failed(tmp_path, monkeypatch):
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))
    (tmp_path / "sitecustomize.py").write_text("import os\nos._exit(3)\n")
    with pytest.raises(ModelError) as caught:
        process_isolated(TESTDATA / "Duck.glb", tmp_path / "out")
    assert caught.value.code == "processing_failed"
    assert caught.value.detail["returncode"] == 3
