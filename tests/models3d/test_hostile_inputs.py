"""Hostile inputs from the ingest audit: structure named precisely, companions never followed.

The table in test_errors.py checks each input's error code; these tests check what else the
audit asked for: the validator's explanation of a structural problem, the safety net behind
the structure check, and that OBJ and PLY companions are read only once checked.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from m3d_inputs import (
    STRUCTURE_CASES,
    TESTDATA,
    glb_json,
    image_file,
    make_zip,
    ply_with,
    textured_obj_zip,
    with_image,
)

from models3d import ModelError, inspect_file, pipeline, process_file
from models3d.glb import read_glb
from models3d.gltfscene import AREA_CHUNK, draws_area
from models3d.structure import check_structure

_RECORDING: list[list[str]] = []


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if event == "open" and _RECORDING and isinstance(args[0], str | bytes | os.PathLike):
        _RECORDING[-1].append(os.fsdecode(args[0]))


sys.addaudithook(_audit)  # records only inside opened_files(); hooks cannot be removed


def opened_files(action: Any) -> list[str]:
    """Every file this process opens while ``action()`` runs."""
    _RECORDING.append([])
    try:
        action()
    finally:
        opened = _RECORDING.pop()
    return opened


@pytest.mark.parametrize(
    ("edit", "pointer"), [c[1:] for c in STRUCTURE_CASES], ids=[c[0] for c in STRUCTURE_CASES]
)
def test_structure_problem_is_named_and_explained(tmp_path: Path, edit, pointer):
    upload = tmp_path / "upload"
    upload.write_bytes(glb_json(edit))
    with pytest.raises(ModelError) as caught:
        inspect_file(upload, original_name="m.glb")
    detail = caught.value.detail
    assert (caught.value.code, detail["pointer"]) == ("invalid_gltf", pointer)
    first = detail["first_error"][0]  # the Khronos validator's own words on the same place
    assert first["severity"] == 0
    assert first["pointer"].startswith(pointer) or pointer.startswith(first["pointer"])
    assert detail["validator"]["scope"] == "structure"


@pytest.mark.parametrize("name", ["Duck.glb", "BoxTextured.glb", "CesiumMilkTruck.glb"])
def test_real_models_pass_the_structure_check(name: str):
    doc, _binary = read_glb((TESTDATA / name).read_bytes())
    check_structure(doc)


@pytest.mark.parametrize(
    ("edit", "pointer"),
    [c[1:] for c in STRUCTURE_CASES if c[0] in ("matrix of 3 numbers", "scene index out of range")],
)
def test_safety_net_behind_the_structure_check(tmp_path: Path, monkeypatch, edit, pointer):
    """Had the check missed the problem, reading the document still rejects it cleanly."""
    monkeypatch.setattr("models3d.formats.embedding.check_structure", lambda doc: None)
    upload = tmp_path / "m.glb"
    upload.write_bytes(glb_json(edit))
    with pytest.raises(ModelError) as caught:
        inspect_file(upload)
    assert caught.value.code == "invalid_gltf"
    assert caught.value.detail["reason"] == "the glTF document could not be read"


def test_bugs_in_later_code_stay_visible(tmp_path: Path, monkeypatch):
    def broken(*args: Any) -> None:
        raise KeyError("a bug of ours")

    monkeypatch.setattr(pipeline, "plan_normalisation", broken)
    with pytest.raises(KeyError):  # the safety net covers reading the upload only
        inspect_file(TESTDATA / "BoxTextured.glb")


def test_lone_ply_reads_nothing_next_to_it(tmp_path: Path):
    upload = tmp_path / "upload.ply"
    upload.write_bytes(ply_with(texture="secret.png"))
    (tmp_path / "secret.png").write_bytes(image_file("PNG", (7, 5)))
    reports: list[dict] = []
    opened = opened_files(lambda: reports.append(inspect_file(upload)))
    assert {p for p in opened if Path(p).parent == tmp_path} == {str(upload)}
    assert reports[0]["textures"] == []  # no texture read, and no placeholder made up
    assert reports[0]["notes"] == [
        {"code": "texture_not_uploaded", "detail": {"file": "secret.png"}},
        {"code": "unused_uvs_dropped", "detail": {}},
    ]


def test_zipped_ply_uses_its_own_checked_texture(tmp_path: Path):
    upload = tmp_path / "upload"
    texture = image_file("PNG", (8, 4))
    upload.write_bytes(make_zip([("m.ply", ply_with(texture="t.png")), ("t.png", texture)]))
    report = inspect_file(upload, original_name="scan.zip")
    assert [(t["width"], t["height"]) for t in report["textures"]] == [(8, 4)]


PNG = image_file("PNG", (8, 4))
MTL = b"newmtl m\nmap_Kd t.img\n"


@pytest.mark.parametrize(
    "data",
    [
        textured_obj_zip(b"mtllib m.mtl", PNG),
        textured_obj_zip(b"  mtllib m.mtl", PNG),
        textured_obj_zip(b"mtllib a.mtl m.mtl", PNG, {"a.mtl": b"newmtl x\n", "m.mtl": MTL}),
        textured_obj_zip(b"# no mtllib here.mtl\nmtllib m.mtl", PNG),
        textured_obj_zip(b"mtllib m.mtl", PNG, {"m.mtl": b"newmtl m\nmap_Kd -s 1 1 1 t.img\n"}),
    ],
    ids=["plain", "indented", "two libraries", "mtllib in a comment", "texture options"],
)
def test_obj_textures_are_kept_however_referenced(tmp_path: Path, data: bytes):
    upload = tmp_path / "upload"
    upload.write_bytes(data)
    report = inspect_file(upload, original_name="scan.zip")
    assert [(t["width"], t["height"]) for t in report["textures"]] == [(8, 4)]


def test_truncated_texture_is_named_when_decoded(tmp_path: Path):
    upload = tmp_path / "upload"
    upload.write_bytes(glb_json(with_image(image_file("PNG", (64, 64))[:60])))
    with pytest.raises(ModelError) as caught:
        process_file(upload, tmp_path / "out", original_name="m.glb")
    assert caught.value.code == "parse_error"
    assert caught.value.detail["texture"] == "image 0"
    assert not (tmp_path / "out").exists()


def test_zero_area_check_reads_indexed_triangles_in_chunks():
    count = AREA_CHUNK + 5  # more than one chunk; only the very last triangle has an area
    positions = np.array([[0, 0, 0], [1, 0, 0], [0, 1, 0]], dtype="<f4").tobytes()
    doc = {
        "asset": {"version": "2.0"},
        "scene": 0,
        "scenes": [{"nodes": [0]}],
        "nodes": [{"mesh": 0}],
        "meshes": [{"primitives": [{"attributes": {"POSITION": 0}, "indices": 1}]}],
        "accessors": [
            {"bufferView": 0, "componentType": 5126, "count": 3, "type": "VEC3"},
            {"bufferView": 1, "componentType": 5125, "count": count * 3, "type": "SCALAR"},
        ],
        "bufferViews": [
            {"buffer": 0, "byteLength": 36},
            {"buffer": 0, "byteOffset": 36, "byteLength": count * 12},
        ],
        "buffers": [{"byteLength": 36 + count * 12}],
    }
    indices = np.zeros((count, 3), dtype="<u4")
    assert not draws_area(doc, positions + indices.tobytes())
    indices[-1] = [0, 1, 2]
    assert draws_area(doc, positions + indices.tobytes())


@pytest.mark.parametrize(
    "reference", ["/etc/passwd", "C:\\Windows\\win.ini", "/etc/../etc/passwd", "~/secret.png"]
)
def test_absolute_texture_paths_read_nothing_outside_the_upload(tmp_path: Path, reference: str):
    """An absolute path is looked up by its base name inside the upload, never followed."""
    upload = tmp_path / "upload"
    mtl = f"newmtl m\nmap_Kd {reference}\n".encode()
    upload.write_bytes(textured_obj_zip(b"mtllib m.mtl", image_file("PNG"), {"m.mtl": mtl}))
    reports: list[dict] = []
    opened = opened_files(lambda: reports.append(inspect_file(upload, original_name="m.zip")))
    outside = [p for p in opened if not Path(p).is_relative_to(tmp_path)]
    assert not [p for p in outside if "passwd" in p or "win.ini" in p or "secret" in p]
    assert reports[0]["textures"] == []
    assert reports[0]["notes"] == [{"code": "texture_not_uploaded", "detail": {"file": reference}}]


def test_lone_ply_with_an_absolute_texture_path_is_read_without_it(tmp_path: Path):
    upload = tmp_path / "m.ply"
    upload.write_bytes(ply_with(texture="/etc/passwd"))
    opened = opened_files(lambda: inspect_file(upload))
    assert "/etc/passwd" not in opened
    assert inspect_file(upload)["notes"][0] == {
        "code": "texture_not_uploaded",
        "detail": {"file": "/etc/passwd"},
    }
