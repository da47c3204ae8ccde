"""Up-axis detection, unit conversion and placement, with exact bounds."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
import trimesh
from m3d_inputs import TESTDATA

from models3d import ProcessOptions, inspect_file, process_file
from models3d.glb import read_glb
from models3d.gltfscene import world_bounds
from models3d.nodetools import run_gltfpack


def pyramid_stl() -> bytes:
    """A square-based pyramid standing on z=5 (Z-up): base 40 x 20, height 30."""
    vertices = np.array(
        [[10, 40, 5], [50, 40, 5], [50, 60, 5], [10, 60, 5], [30, 50, 35]], dtype=float
    )
    faces = np.array([[0, 2, 1], [0, 3, 2], [0, 1, 4], [1, 2, 4], [2, 3, 4], [3, 0, 4]])
    out = io.BytesIO()
    trimesh.Trimesh(vertices, faces).export(out, file_type="stl")
    return out.getvalue()


def decoded_bounds(glb: Path, tmp: Path) -> np.ndarray:
    """World bounds of a produced level, read back after decoding it with gltfpack."""
    run_gltfpack(glb, tmp / "decoded.glb", ["-noq"])
    doc, binary = read_glb((tmp / "decoded.glb").read_bytes())
    bounds = world_bounds(doc, binary or b"")
    assert bounds is not None
    return bounds


@pytest.mark.parametrize(
    ("up", "unit", "axis", "detected", "lo", "hi"),
    [
        ("auto", "cm", "z", True, [-0.2, 0.0, -0.1], [0.2, 0.3, 0.1]),
        ("z", "mm", "z", False, [-0.02, 0.0, -0.01], [0.02, 0.03, 0.01]),
        ("y", "cm", "y", False, [-0.2, 0.0, -0.15], [0.2, 0.2, 0.15]),
        ("auto", "m", "z", True, [-20.0, 0.0, -10.0], [20.0, 30.0, 10.0]),
    ],
)
def test_pyramid_bounds(tmp_path, up, unit, axis, detected, lo, hi):
    src = tmp_path / "upload"
    src.write_bytes(pyramid_stl())
    out = tmp_path / "out"
    result = process_file(
        src, out, original_name="pyramid.stl", options=ProcessOptions(up_axis=up, unit=unit)
    )
    report = result.report
    assert report["up_axis"] == axis
    assert report["up_axis_detected"] is detected
    assert report["unit"] == unit
    assert report["scale"] == {"m": 1.0, "cm": 0.01, "mm": 0.001}[unit]
    assert report["bounds"] == {"min": lo, "max": hi}
    assert report["size"] == pytest.approx(np.subtract(hi, lo).tolist(), abs=1e-9)
    back = decoded_bounds(result.levels["high"], tmp_path)
    size = max(np.subtract(hi, lo))
    assert back[0] == pytest.approx(lo, abs=size * 1e-3)
    assert back[1] == pytest.approx(hi, abs=size * 1e-3)


def test_teapot_is_z_up_and_in_millimetres(tmp_path):
    mesh = trimesh.load(TESTDATA / "teapot.stl")
    ex, ey, ez = mesh.extents
    result = process_file(TESTDATA / "teapot.stl", tmp_path, options=ProcessOptions(unit="mm"))
    report = result.report
    assert report["up_axis"] == "z" and report["up_axis_detected"] is True
    expected = [ex / 1000, ez / 1000, ey / 1000]
    assert report["size"] == pytest.approx(expected, abs=1e-6)
    assert report["bounds"]["min"] == pytest.approx(
        [-expected[0] / 2, 0, -expected[2] / 2], abs=1e-6
    )
    assert [r["code"] for r in report["phone_ready"]["reasons"]] == ["z_up"]


@pytest.mark.parametrize(
    ("name", "axis"),
    [("bunny.ply", "y"), ("teapot.stl", "z"), ("fuze.zip", "z"), ("Duck.glb", "y")],
)
def test_auto_detection_on_samples(name, axis):
    report = inspect_file(TESTDATA / name, original_name=name)
    assert report["up_axis"] == axis
    assert report["bounds"]["min"][1] == 0.0


def test_gltf_is_never_guessed_but_hint_is_read(tmp_path):
    from m3d_inputs import patched_glb

    def hint(doc, binary):
        doc["asset"]["extras"] = {"upAxis": "Z"}
        return doc, binary

    src = tmp_path / "hinted.glb"
    src.write_bytes(patched_glb(TESTDATA / "BoxTextured.glb", hint))
    report = inspect_file(src)
    assert (report["up_axis"], report["up_axis_detected"]) == ("z", True)
    assert report["up_axis_evidence"] == "asset.extras up-axis hint"
    plain = inspect_file(TESTDATA / "BoxTextured.glb")
    assert (plain["up_axis"], plain["up_axis_detected"]) == ("y", False)


def test_root_transform_not_geometry(tmp_path):
    """glTF inputs get a root node; the mesh data (accessors) are untouched."""
    from models3d.formats import LoadContext, load
    from models3d.normalise import ROOT_NAME, apply_normalisation, plan_normalisation
    from models3d.options import Limits

    model = load(TESTDATA / "Duck.glb", "glb", LoadContext(None, Limits(), tmp_path))
    before = model.binary
    norm = plan_normalisation(model, "y", "cm")
    apply_normalisation(model, norm)
    assert model.binary == before
    root = model.doc["nodes"][-1]
    assert root["name"] == ROOT_NAME
    assert model.doc["scenes"][0]["nodes"] == [len(model.doc["nodes"]) - 1]
    bounds = world_bounds(model.doc, model.binary)
    assert bounds is not None
    assert bounds[0][1] == pytest.approx(0.0, abs=1e-12)
    assert np.allclose(bounds, norm.bounds, rtol=0, atol=1e-9)
