"""The report's phone verdict counts texture memory; levels say when they are the same file."""

from __future__ import annotations

import io
import struct
from pathlib import Path
from typing import Any

import pytest
from m3d_inputs import TESTDATA
from PIL import Image

from models3d import LEVELS, inspect_file
from models3d.glb import write_glb
from models3d.gpumemory import gpu_bytes
from models3d.report import PHONE_MAX_TEXTURE_GPU_BYTES, texture_gpu_bytes


def png(size: int, shade: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (size, size), (shade, 90, 160)).save(out, format="PNG")
    return out.getvalue()


def textured_glb(sizes: list[int]) -> bytes:
    """One textured triangle per texture, each with its own material (a multi-texture GLB)."""
    geometry = struct.pack("<9f", 0, 0, 0, 1, 0, 0, 0, 1, 0) + struct.pack("<6f", 0, 0, 1, 0, 0, 1)
    binary = bytearray(geometry)
    views: list[dict[str, Any]] = [
        {"buffer": 0, "byteOffset": 0, "byteLength": 36},
        {"buffer": 0, "byteOffset": 36, "byteLength": 24},
    ]
    for i, size in enumerate(sizes):
        data = png(size, 20 * i)
        binary += b"\0" * (-len(binary) % 4)
        views.append({"buffer": 0, "byteOffset": len(binary), "byteLength": len(data)})
        binary += data
    count = len(sizes)
    doc = {
        "asset": {"version": "2.0"},
        "scenes": [{"nodes": [0]}],
        "nodes": [{"mesh": 0}],
        "meshes": [
            {
                "primitives": [
                    {"attributes": {"POSITION": 0, "TEXCOORD_0": 1}, "material": i}
                    for i in range(count)
                ]
            }
        ],
        "materials": [
            {"pbrMetallicRoughness": {"baseColorTexture": {"index": i}}} for i in range(count)
        ],
        "textures": [{"source": i} for i in range(count)],
        "images": [{"bufferView": 2 + i, "mimeType": "image/png"} for i in range(count)],
        "accessors": [
            {
                "bufferView": 0,
                "componentType": 5126,
                "count": 3,
                "type": "VEC3",
                "min": [0, 0, 0],
                "max": [1, 1, 0],
            },
            {"bufferView": 1, "componentType": 5126, "count": 3, "type": "VEC2"},
        ],
        "bufferViews": views,
        "buffers": [{"byteLength": len(binary)}],
    }
    return write_glb(doc, bytes(binary))


def test_gpu_memory_of_a_texture():
    assert texture_gpu_bytes(2048, 2048) == 2048 * 2048 * 4 * 4 // 3
    assert texture_gpu_bytes(3, 1) == 16  # 12 bytes and its mipmaps, rounded down


def test_nine_textures_are_not_ready_for_phones(tmp_path: Path):
    upload = tmp_path / "nine.glb"
    upload.write_bytes(textured_glb([2048] * 4 + [1024] * 5))
    report = inspect_file(upload)
    expected = 4 * texture_gpu_bytes(2048, 2048) + 5 * texture_gpu_bytes(1024, 1024)
    assert report["texture_gpu_bytes"] == expected > PHONE_MAX_TEXTURE_GPU_BYTES
    assert report["phone_ready"]["verdict"] is False
    assert [r["code"] for r in report["phone_ready"]["reasons"]] == ["texture_memory_too_large"]


def test_textures_within_the_budget_are_ready(tmp_path: Path):
    upload = tmp_path / "four.glb"
    upload.write_bytes(textured_glb([1024] * 4))
    report = inspect_file(upload)
    assert report["texture_gpu_bytes"] == 4 * texture_gpu_bytes(1024, 1024)
    assert report["phone_ready"] == {"verdict": True, "reasons": []}


@pytest.mark.parametrize("sample", ["Duck.glb", "BoxTextured.glb", "bunny.ply", "fuze.zip"])
def test_levels_report_gpu_memory_and_identical_files(processed, sample: str):
    result, _ = processed[f"{sample}/a"]
    levels = result.report["levels"]
    for i, level in enumerate(LEVELS):
        data = result.levels[level].read_bytes()
        same = [n for n in LEVELS[i + 1 :] if result.levels[n].read_bytes() == data]
        assert levels[level].get("same_as") == (same[0] if same else None), level
        side = levels[level]["max_texture_px"]
        if side == 0:
            assert levels[level]["texture_gpu_bytes"] == 0
        else:  # every sample here has one square, opaque colour texture: ETC1S without alpha
            assert levels[level]["texture_rgba8_bytes"] == texture_gpu_bytes(side, side)
            ktx2 = levels[level]["ktx2"]
            assert ktx2, level
            expected = (
                gpu_bytes(side, side, "etc1s", False) if ktx2 else texture_gpu_bytes(side, side)
            )
            assert levels[level]["texture_gpu_bytes"] == expected, level


def test_a_small_model_has_one_file_for_every_level(processed):
    """BoxTextured (12 triangles, a 256 px texture) is the same at every level."""
    levels = processed["BoxTextured.glb/a"][0].report["levels"]
    assert [levels[n].get("same_as") for n in LEVELS] == ["low", "medium", "high", None]


def test_the_real_nine_texture_glb_is_not_ready_for_phones():
    """AlphaBlendModeTest.glb: four 2048² and five 1024² textures, 1.2 MB to download."""
    report = inspect_file(TESTDATA / "AlphaBlendModeTest.glb")
    sizes = sorted((t["width"], t["height"]) for t in report["textures"])
    assert sizes == [(1024, 1024)] * 5 + [(2048, 2048)] * 4
    assert report["texture_gpu_bytes"] == 117_440_509  # 112 MiB
    assert report["phone_ready"]["verdict"] is False
    assert [r["code"] for r in report["phone_ready"]["reasons"]] == ["texture_memory_too_large"]
