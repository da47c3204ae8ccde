"""Every real sample processes into valid, monotonic, deterministic levels and a poster."""

from __future__ import annotations

import io
import json
import re
import subprocess

import numpy as np
import pytest
from m3d_inputs import SAMPLES, TESTDATA, TEXTURED
from PIL import Image

from models3d import LEVELS, ProcessOptions, inspect_file, process_file
from models3d import report as report_module
from models3d.glb import read_glb
from models3d.gltfscene import count_geometry
from models3d.nodetools import node_modules, validate_files
from models3d.options import DEFAULT_BUDGETS, LevelBudget

FILES = [*(f"{level}.glb" for level in LEVELS), "poster.webp", "report.json"]


@pytest.mark.parametrize("name", SAMPLES)
def test_outputs_exist_and_validate(processed, name):
    result, out = processed[f"{name}/a"]
    assert sorted(p.name for p in out.iterdir()) == sorted(FILES)
    assert result.levels == {level: out / f"{level}.glb" for level in LEVELS}
    reports = validate_files([result.levels[level] for level in LEVELS])
    assert [r["numErrors"] for r in reports] == [0, 0, 0, 0]
    assert json.loads((out / "report.json").read_text()) == result.report


@pytest.mark.parametrize("name", SAMPLES)
def test_levels_monotonic_and_within_budget(processed, name):
    result, _ = processed[f"{name}/a"]
    levels = result.report["levels"]
    tris = [levels[level]["triangles"] for level in LEVELS]
    px = [levels[level]["max_texture_px"] for level in LEVELS]
    assert tris == sorted(tris)
    assert px == sorted(px)
    for level in LEVELS:
        budget = DEFAULT_BUDGETS[level]
        assert levels[level]["triangles"] <= budget.max_triangles
        assert levels[level]["max_texture_px"] <= budget.max_texture_px
        data = result.levels[level].read_bytes()
        assert levels[level]["bytes"] == len(data)
        doc, _ = read_glb(data)
        assert count_geometry(doc)[0] == levels[level]["triangles"]
        assert "EXT_meshopt_compression" in doc["extensionsUsed"]
    assert result.levels["thumb"].stat().st_size <= 200_000


@pytest.mark.parametrize("name", sorted(TEXTURED))
def test_textures_and_uvs_kept(processed, name):
    result, _ = processed[f"{name}/a"]
    for level in LEVELS:
        doc, _ = read_glb(result.levels[level].read_bytes())
        assert doc["images"], level
        ktx2 = result.report["levels"][level]["ktx2"]
        expected = {"image/ktx2"} if ktx2 else {"image/png", "image/jpeg"}
        assert {i["mimeType"] for i in doc["images"]} <= expected, level
        textured = [
            p
            for m in doc["meshes"]
            for p in m["primitives"]
            if "baseColorTexture" in doc["materials"][p["material"]].get("pbrMetallicRoughness", {})
        ]
        assert textured and all("TEXCOORD_0" in p["attributes"] for p in textured)


@pytest.mark.parametrize("name", SAMPLES)
def test_poster_is_small_webp(processed, name):
    result, _ = processed[f"{name}/a"]
    data = result.poster.read_bytes()
    assert len(data) <= 60_000
    assert data[:4] == b"RIFF" and data[8:12] == b"WEBP"
    image = Image.open(io.BytesIO(data))
    assert image.format == "WEBP" and image.size == (512, 512)
    alpha = image.convert("RGBA").getchannel("A")
    covered = int((np.asarray(alpha) > 0).sum())
    assert 0.05 * 512 * 512 < covered < 0.95 * 512 * 512  # something drawn, not a flat fill


@pytest.mark.parametrize("name", SAMPLES)
def test_deterministic(processed, name):
    _, a = processed[f"{name}/a"]
    _, b = processed[f"{name}/b"]
    for file in FILES:
        assert (a / file).read_bytes() == (b / file).read_bytes(), file


def test_identical_levels_share_bytes(processed):
    """Duck fits every budget: all four levels are the same bytes (stored once)."""
    result, _ = processed["Duck.glb/a"]
    blobs = {result.levels[level].read_bytes() for level in LEVELS}
    assert len(blobs) == 1
    assert result.report["levels"]["high"]["triangles"] == 4212


def test_report_contents(processed):
    report = processed["Duck.glb/a"][0].report
    assert report["format"] == "glb"
    assert (report["triangles"], report["vertices"], report["meshes"]) == (4212, 2399, 1)
    assert report["textures"][0]["mime_type"] == "image/png"
    assert report["validator"]["numErrors"] == 0
    assert report["up_axis"] == "y" and report["up_axis_detected"] is False
    assert report["bounds"]["min"][1] == 0.0
    lo, hi = report["bounds"]["min"], report["bounds"]["max"]
    assert lo[0] == pytest.approx(-hi[0]) and lo[2] == pytest.approx(-hi[2])
    # 4,212 triangles, 120 KB: fine on a phone although its geometry is not compressed
    assert report["phone_ready"] == {"verdict": True, "reasons": []}
    box = processed["BoxTextured.glb/a"][0].report
    assert box["validator"]["numWarnings"] == 1
    assert box["validator"]["messages"][0]["code"] == "IMAGE_FEATURES_UNSUPPORTED"
    assert box["size"] == [1.0, 1.0, 1.0]
    truck = processed["CesiumMilkTruck.glb/a"][0].report
    assert truck["animations"] == 1


def test_simplification_keeps_uvs_and_budgets(tmp_path):
    budgets = {
        "thumb": LevelBudget(500, 64, 60_000),
        "low": LevelBudget(1000, 128),
        "medium": LevelBudget(2000, 256),
        "high": LevelBudget(3000, 512),
    }
    result = process_file(TESTDATA / "Duck.glb", tmp_path, options=ProcessOptions(budgets=budgets))
    levels = result.report["levels"]
    tris = [levels[level]["triangles"] for level in LEVELS]
    assert tris == sorted(tris) and len(set(tris)) == 4
    for level in LEVELS:
        assert 0 < levels[level]["triangles"] <= budgets[level].max_triangles
        assert levels[level]["max_texture_px"] <= budgets[level].max_texture_px
        doc, _ = read_glb(result.levels[level].read_bytes())
        assert "TEXCOORD_0" in doc["meshes"][0]["primitives"][0]["attributes"]
    assert levels["thumb"]["bytes"] <= 60_000


def test_simplification_of_a_scan(tmp_path):
    budgets = {
        "thumb": LevelBudget(1000, 512, 30_000),
        "low": LevelBudget(4000, 1024),
        "medium": LevelBudget(8000, 2048),
        "high": LevelBudget(500_000, 4096),
    }
    result = process_file(TESTDATA / "bunny.ply", tmp_path, options=ProcessOptions(budgets=budgets))
    levels = result.report["levels"]
    assert levels["high"]["triangles"] == 16301
    for level in ("thumb", "low", "medium"):
        assert budgets[level].max_triangles * 0.5 <= levels[level]["triangles"]
        assert levels[level]["triangles"] <= budgets[level].max_triangles
    assert levels["thumb"]["bytes"] <= 30_000


def test_node_modules_override(monkeypatch, tmp_path):
    monkeypatch.setenv("HERITOUR_NODE_MODULES", str(tmp_path))
    assert node_modules() == tmp_path
    monkeypatch.delenv("HERITOUR_NODE_MODULES")
    assert (node_modules() / "gltfpack" / "cli.js").is_file()
    version = subprocess.run(["node", "--version"], capture_output=True, check=True, text=True)
    assert re.fullmatch(r"v\d+\.\d+\.\d+\n", version.stdout)  # node runs and says its version


def test_phone_verdict_counts_compression_only_where_it_matters(tmp_path):
    import trimesh

    sphere = tmp_path / "sphere.stl"  # 81,920 triangles: about 2 MB of geometry
    trimesh.creation.icosphere(subdivisions=6).export(sphere)
    heavy = inspect_file(sphere)["phone_ready"]
    assert heavy["verdict"] is False
    assert "not_compressed" in [r["code"] for r in heavy["reasons"]]
    assert inspect_file(TESTDATA / "BoxTextured.glb")["phone_ready"]["verdict"] is True


def test_compressed_upload_counts_as_compressed(processed, monkeypatch):
    monkeypatch.setattr(report_module, "PHONE_UNCOMPRESSED_MAX_BYTES", 0)
    source = inspect_file(TESTDATA / "Duck.glb")["phone_ready"]
    assert [r["code"] for r in source["reasons"]] == ["not_compressed"]
    high = processed["Duck.glb/a"][0].levels["high"]  # meshopt-compressed, decoded to read
    assert inspect_file(high)["phone_ready"] == {"verdict": True, "reasons": []}
