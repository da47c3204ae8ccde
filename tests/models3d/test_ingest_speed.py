"""The cheap paths of the ingest chain: cascade, structure-only validation, lazy textures."""

from __future__ import annotations

import io
import itertools
import os
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest
from m3d_inputs import TESTDATA, patched_glb
from PIL import Image

from models3d import LEVELS, ModelError, ProcessOptions, partsimplify, pipeline, process_file
from models3d import levels as levels_module
from models3d.basis import BASISU
from models3d.glb import read_glb
from models3d.gltfscene import check_geometry_data, count_geometry
from models3d.gpumemory import ktx2_facts
from models3d.nodetools import node_flags
from models3d.options import LevelBudget
from models3d.texprep import ImageInfo, dedupe_images, encode_for_level, image_info

SCAN_BUDGETS = {
    "thumb": LevelBudget(1000, 512, 30_000),
    "low": LevelBudget(4000, 1024),
    "medium": LevelBudget(8000, 2048),
    "high": LevelBudget(500_000, 4096),
}


def test_simplification_is_a_cascade(tmp_path, monkeypatch):
    """Only the first simplification reads the source; each level starts from the one above."""
    runs: list[tuple[str, str, list[str]]] = []
    real = levels_module.run_gltfpack

    def spy(src: Path, dst: Path, options: list[str]) -> str:
        runs.append((src.name, dst.name, options))
        return real(src, dst, options)

    monkeypatch.setattr(levels_module, "run_gltfpack", spy)
    result = process_file(
        TESTDATA / "bunny.ply", tmp_path, options=ProcessOptions(budgets=SCAN_BUDGETS)
    )
    simplified = [(src, dst) for src, dst, options in runs if "-si" in options]
    # high keeps all 16,301 triangles; medium, low and thumb are simplified in turn.
    assert simplified[0][0] == "cascade_source.glb"
    assert sum(src == "cascade_source.glb" for src, _ in simplified) == 1
    for (_, made), (used, _) in itertools.pairwise(simplified):
        assert used == made
    assert all("-noq" in options for _, _, options in runs if "-si" in options)
    tris = [result.report["levels"][level]["triangles"] for level in LEVELS]
    assert tris == sorted(tris) and tris[-1] == 16301


def test_cascade_source_is_written_once_for_both_threads(tmp_path, monkeypatch):
    """The top level packs the source while the background simplifies it: one write, whole."""
    writes: list[str] = []
    askers: dict[int, str] = {}
    real_write = levels_module.write_glb_file
    real_written = levels_module.LevelBuilder._written

    def written(self, geometry):
        if geometry is self.source:
            askers[threading.get_ident()] = threading.current_thread().name
        return real_written(self, geometry)

    def other_is_waiting_or_writing() -> bool:
        others = [ident for ident in askers if ident != threading.get_ident()]
        if not others:
            return False
        frame = sys._current_frames().get(others[0])
        if frame is None or frame.f_code is real_written.__code__:
            return True  # gone, or parked on the lock (acquiring one runs no Python code)
        while frame is not None and frame.f_code is not write.__code__:
            frame = frame.f_back
        return frame is not None  # without the lock, it is writing the source too

    def write(path: Path, *args) -> None:
        writes.append(path.name)
        if path.name == "cascade_source.glb":
            # Hold the first write until the other thread has asked for the source and is
            # either waiting for it or (without the lock) writing it a second time.
            pause = threading.Event()  # never set: a pause between looks at its stack
            deadline = time.monotonic() + 120
            while not other_is_waiting_or_writing():
                assert time.monotonic() < deadline, (
                    f"the other thread neither waited for the source nor wrote it: {askers}"
                )
                pause.wait(0.01)
        real_write(path, *args)

    monkeypatch.setattr(levels_module.LevelBuilder, "_written", written)
    monkeypatch.setattr(levels_module, "write_glb_file", write)
    result = process_file(
        TESTDATA / "bunny.ply", tmp_path, options=ProcessOptions(budgets=SCAN_BUDGETS)
    )
    assert writes.count("cascade_source.glb") == 1
    assert result.report["levels"]["high"]["triangles"] == 16301


def test_structure_only_validation_of_huge_inputs(tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline, "FULL_VALIDATION_MAX_BYTES", 0)
    result = process_file(TESTDATA / "Duck.glb", tmp_path / "out")
    assert result.report["validator"]["scope"] == "structure"
    assert result.report["validator"]["numErrors"] == 0
    assert all(v["validator"]["numErrors"] == 0 for v in result.report["levels"].values())
    monkeypatch.undo()
    full = process_file(TESTDATA / "BoxTextured.glb", tmp_path / "box")
    assert full.report["validator"]["scope"] == "full"


def _bad_index(doc, binary):
    prim = doc["meshes"][0]["primitives"][0]
    view = doc["bufferViews"][doc["accessors"][prim["indices"]]["bufferView"]]
    data = bytearray(binary)
    data[view.get("byteOffset", 0) : view.get("byteOffset", 0) + 2] = b"\xff\xff"
    return doc, bytes(data)


def _nan_position(doc, binary):
    accessor = doc["accessors"][doc["meshes"][0]["primitives"][0]["attributes"]["POSITION"]]
    view = doc["bufferViews"][accessor["bufferView"]]
    data = bytearray(binary)
    start = view.get("byteOffset", 0) + accessor.get("byteOffset", 0)
    data[start : start + 4] = np.array([np.nan], dtype="<f4").tobytes()
    return doc, bytes(data)


@pytest.mark.parametrize(
    ("edit", "code"),
    [(_bad_index, "ACCESSOR_INDEX_OOB"), (_nan_position, "ACCESSOR_INVALID_FLOAT")],
)
def test_structure_only_validation_still_checks_data(tmp_path, monkeypatch, edit, code):
    monkeypatch.setattr(pipeline, "FULL_VALIDATION_MAX_BYTES", 0)
    upload = tmp_path / "upload.glb"
    upload.write_bytes(patched_glb(TESTDATA / "Duck.glb", edit))
    with pytest.raises(ModelError) as caught:
        process_file(upload, tmp_path / "out")
    assert caught.value.code == "invalid_gltf"
    assert caught.value.detail == {"code": code}
    assert not (tmp_path / "out").exists()


def test_check_geometry_data_accepts_real_models():
    for name in ("Duck.glb", "CesiumMilkTruck.glb", "AlphaBlendModeTest.glb"):
        doc, binary = read_glb((TESTDATA / name).read_bytes())
        check_geometry_data(doc, binary or b"")


def test_phone_levels_never_larger_than_the_upload(processed):
    """AlphaBlendModeTest shares one PNG among five images; it is stored once per level.

    thumb and low, the levels for phones, are never larger than the upload. medium and high
    keep its 2048 px textures as KTX2, which costs more to download than its JPEGs (ETC1S
    about 1 bit a pixel, the UASTC normal map more) for a sixth of their GPU memory: they
    stay under 1.5 times the upload (1.42 measured).
    """
    result, _ = processed["AlphaBlendModeTest.glb/a"]
    upload = (TESTDATA / "AlphaBlendModeTest.glb").stat().st_size
    for level in LEVELS:
        limit = upload if level in ("thumb", "low") else upload * 1.5
        assert result.report["levels"][level]["bytes"] <= limit, level
        doc, _ = read_glb(result.levels[level].read_bytes())
        assert len(doc["images"]) == 4, level


def test_dedupe_images_renumbers_textures():
    doc, binary = read_glb((TESTDATA / "AlphaBlendModeTest.glb").read_bytes())
    assert dedupe_images(doc, binary or b"") == 5
    assert [t["source"] for t in doc["textures"]] == [0, 0, 1, 2, 3, 3, 0, 0, 0]
    assert len(doc["images"]) == 4
    assert dedupe_images(doc, binary or b"") == 0


def _encoded(image: Image.Image, fmt: str, **params) -> bytes:
    out = io.BytesIO()
    image.save(out, format=fmt, **params)
    return out.getvalue()


def test_png_kept_when_its_jpeg_would_be_larger():
    squares = np.indices((256, 256)).sum(axis=0) // 8 % 2 * 255
    graphic = Image.fromarray(squares.astype(np.uint8)).convert("RGB")  # a checkerboard
    png = _encoded(graphic, "PNG", optimize=True)
    info = image_info(png, 1 << 26, alpha_candidate=False, where="graphic")
    assert encode_for_level(info, 256, 85) == (png, "image/png")
    smaller, mime = encode_for_level(info, 128, 85)
    assert mime == "image/jpeg" and Image.open(io.BytesIO(smaller)).size == (128, 128)


@pytest.mark.parametrize(("max_px", "size"), [(4096, (1000, 600)), (256, (256, 154))])
def test_jpeg_levels_decode_only_what_they_need(max_px, size):
    rng = np.random.default_rng(1)
    photo = Image.fromarray(rng.integers(0, 255, (600, 1000, 3), dtype=np.uint8))
    jpeg = _encoded(photo, "JPEG", quality=90)
    info = image_info(jpeg, 1 << 26, alpha_candidate=True, where="photo")
    assert isinstance(info, ImageInfo) and not info.needs_alpha
    data, mime = encode_for_level(info, max_px, 85)
    assert mime == "image/jpeg" and Image.open(io.BytesIO(data)).size == size
    if max_px == 256:
        assert info.decoded(max_px).size == (500, 300)  # decoded at 1/2 scale, then resized
    else:
        assert data == jpeg  # no resize: the upload's bytes are kept


# Written out, not imported: the flag node needs to start under an address-space limit.
LIMITED = ("--disable-wasm-trap-handler",)


def test_node_keeps_the_wasm_trap_handler_without_a_memory_limit():
    soft, _ = resource.getrlimit(resource.RLIMIT_AS)
    assert node_flags() == (() if soft == resource.RLIM_INFINITY else LIMITED)
    code = (
        "import resource; resource.setrlimit(resource.RLIMIT_AS, (8 << 30, 8 << 30));"
        "from models3d.nodetools import node_flags; print(','.join(node_flags()))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=os.environ
    )
    assert out.stdout.strip() == ",".join(LIMITED)


def test_poster_shows_the_texture(processed):
    """The poster of the textured duck shows its texture colours (drawn from the medium level)."""
    result, _ = processed["Duck.glb/a"]
    poster = np.asarray(Image.open(result.poster).convert("RGBA"), dtype=float)
    covered = poster[poster[:, :, 3] > 0]
    red, green, blue = covered[:, 0].mean(), covered[:, 1].mean(), covered[:, 2].mean()
    assert red > green > blue  # a yellow-orange duck


def test_huge_single_mesh_is_simplified_in_two_halves(tmp_path, monkeypatch):
    """The first simplification runs as two gltfpack processes whose results are welded."""
    monkeypatch.setattr(partsimplify, "MIN_TRIANGLES", 10_000)
    halves: list[tuple[str, list[str]]] = []
    real = partsimplify.run_gltfpack

    def spy(src: Path, dst: Path, options: list[str]) -> str:
        halves.append((src.name, options))
        return real(src, dst, options)

    monkeypatch.setattr(partsimplify, "run_gltfpack", spy)
    budgets = {**SCAN_BUDGETS, "high": LevelBudget(8000, 4096), "medium": LevelBudget(6000, 2048)}
    result = process_file(TESTDATA / "bunny.ply", tmp_path, options=ProcessOptions(budgets=budgets))
    assert sorted(name for name, _ in halves) == ["half_0.glb", "half_1.glb"]
    assert all("-slb" in options for _, options in halves)
    levels = result.report["levels"]
    assert 0.9 * 8000 <= levels["high"]["triangles"] <= 8000
    doc, _ = read_glb(result.levels["high"].read_bytes())
    assert len(doc["meshes"]) == 1 and len(doc["meshes"][0]["primitives"]) == 1
    assert all(level["validator"]["numErrors"] == 0 for level in levels.values())


def test_halves_partition_the_triangles(tmp_path):
    doc, binary = read_glb((TESTDATA / "Duck.glb").read_bytes())
    assert not partsimplify.splittable(doc)  # too small
    paths = [write() for write in partsimplify.half_writers(doc, binary or b"", tmp_path)]
    merged = partsimplify.merge_halves(paths, tmp_path / "merged.glb")
    assert merged == 4212
    halves = [count_geometry(read_glb(p.read_bytes())[0])[0] for p in paths]
    assert sum(halves) == 4212 and abs(halves[0] - halves[1]) < 100


def _opaque_user_first(doc, binary):
    """Make an opaque material the first user of the PNG that MASK materials share."""
    by_name = {m["name"]: m for m in doc["materials"]}
    by_name["MatOpaque"]["pbrMetallicRoughness"]["baseColorTexture"]["index"] = 0
    by_name["MatCutoff25"]["pbrMetallicRoughness"]["baseColorTexture"]["index"] = 7
    return doc, binary


def test_merged_image_keeps_alpha_when_any_material_needs_it(tmp_path):
    upload = tmp_path / "upload.glb"
    upload.write_bytes(patched_glb(TESTDATA / "AlphaBlendModeTest.glb", _opaque_user_first))
    result = process_file(upload, tmp_path / "out")
    for level in LEVELS:
        doc, binary = read_glb(result.levels[level].read_bytes())
        for material in doc["materials"]:
            if material.get("alphaMode", "OPAQUE") == "OPAQUE":
                continue
            texture = doc["textures"][material["pbrMetallicRoughness"]["baseColorTexture"]["index"]]
            source = texture.get(
                "source", texture.get("extensions", {}).get(BASISU, {}).get("source")
            )
            image = doc["images"][source]
            view = doc["bufferViews"][image["bufferView"]]
            start = view.get("byteOffset", 0)
            data = (binary or b"")[start : start + view["byteLength"]]
            if image["mimeType"] == "image/ktx2":  # every level, by default
                assert ktx2_facts(data)["alpha"], (level, material["name"])
                continue
            assert image["mimeType"] == "image/png", (level, material["name"])
            assert Image.open(io.BytesIO(data)).mode in ("RGBA", "LA", "P"), level
