"""Spec-gloss materials become metallic-roughness; emissive light shows in the poster."""

from __future__ import annotations

import io
import struct

import numpy as np
import pytest
from PIL import Image

from models3d import LEVELS
from models3d.glb import read_glb
from models3d.materials import SPEC_GLOSS, convert_spec_gloss, metal_rough_from_spec_gloss
from models3d.poster import render_poster

GOLD = [1.0, 0.766, 0.336]


@pytest.mark.parametrize(
    ("ext", "expected"),
    [
        (  # a metal: black diffuse, coloured specular (the sample's SpecGloss cube)
            {"diffuseFactor": [0, 0, 0, 1], "specularFactor": GOLD, "glossinessFactor": 0.7},
            {"metallicFactor": 1.0, "baseColorFactor": [*GOLD, 1.0], "roughnessFactor": 0.3},
        ),
        (  # a dielectric: specular at 4 %
            {
                "diffuseFactor": [0.5, 0.2, 0.1, 0.8],
                "specularFactor": [0.04, 0.04, 0.04],
                "glossinessFactor": 0.2,
            },
            {
                "metallicFactor": 0.0,
                "baseColorFactor": [0.5, 0.2, 0.1, 0.8],
                "roughnessFactor": 0.8,
            },
        ),
        (  # a texture: its colour goes to base colour, the surface is a dielectric
            {"diffuseTexture": {"index": 3, "texCoord": 1}},
            {"metallicFactor": 0.0, "roughnessFactor": 0.0},
        ),
    ],
)
def test_metal_rough_from_spec_gloss(ext, expected):
    pbr = metal_rough_from_spec_gloss(ext)
    assert pbr.pop("baseColorTexture", None) == ext.get("diffuseTexture")
    assert pbr == pytest.approx(expected)


def test_convert_removes_the_extension():
    doc = {
        "extensionsUsed": [SPEC_GLOSS, "KHR_texture_transform"],
        "extensionsRequired": [SPEC_GLOSS],
        "materials": [
            # the default specular colour is white: a white metal
            {"name": "a", "extensions": {SPEC_GLOSS: {"glossinessFactor": 0.25}}},
            {"name": "b", "pbrMetallicRoughness": {"metallicFactor": 0.5}},
        ],
    }
    assert convert_spec_gloss(doc) == 1
    assert doc == {
        "extensionsUsed": ["KHR_texture_transform"],
        "materials": [
            {"name": "a", "pbrMetallicRoughness": {"metallicFactor": 1.0, "roughnessFactor": 0.75}},
            {"name": "b", "pbrMetallicRoughness": {"metallicFactor": 0.5}},
        ],
    }


def test_sample_levels_have_no_spec_gloss(processed):
    result, _ = processed["pbr_cubes_emissive_spec_gloss.zip/a"]
    assert {"code": "spec_gloss_converted", "detail": {"count": 1}} in result.report["notes"]
    assert SPEC_GLOSS in result.report["extensions_used"]  # the report describes the upload
    for level in LEVELS:
        doc, _ = read_glb(result.levels[level].read_bytes())
        assert SPEC_GLOSS not in doc.get("extensionsUsed", [])
        gold = next(m for m in doc["materials"] if m.get("name") == "SpecGloss")
        assert "extensions" not in gold
        pbr = gold["pbrMetallicRoughness"]
        assert pbr["baseColorFactor"] == pytest.approx([*GOLD, 1.0], abs=1e-6)
        assert pbr.get("metallicFactor", 1.0) == 1.0
        assert pbr["roughnessFactor"] == pytest.approx(0.3)


def _quad(material: dict, image: bytes) -> tuple[dict, bytes]:
    """A unit quad facing +Z with UVs, one material and one image."""
    positions = struct.pack("<12f", 0, 0, 0, 1, 0, 0, 1, 1, 0, 0, 1, 0)
    uvs = struct.pack("<8f", 0, 1, 1, 1, 1, 0, 0, 0)
    indices = struct.pack("<6H", 0, 1, 2, 0, 2, 3) + b"\0" * 4
    binary = positions + uvs + indices + image + b"\0" * (-len(image) % 4)
    doc = {
        "asset": {"version": "2.0"},
        "scenes": [{"nodes": [0]}],
        "nodes": [{"mesh": 0}],
        "meshes": [
            {
                "primitives": [
                    {"attributes": {"POSITION": 0, "TEXCOORD_0": 1}, "indices": 2, "material": 0}
                ]
            }
        ],
        "materials": [material],
        "textures": [{"source": 0}],
        "images": [{"bufferView": 3, "mimeType": "image/png"}],
        "accessors": [
            {"bufferView": 0, "componentType": 5126, "count": 4, "type": "VEC3"},
            {"bufferView": 1, "componentType": 5126, "count": 4, "type": "VEC2"},
            {"bufferView": 2, "componentType": 5123, "count": 6, "type": "SCALAR"},
        ],
        "bufferViews": [
            {"buffer": 0, "byteOffset": 0, "byteLength": 48},
            {"buffer": 0, "byteOffset": 48, "byteLength": 32},
            {"buffer": 0, "byteOffset": 80, "byteLength": 12},
            {"buffer": 0, "byteOffset": 96, "byteLength": len(image)},
        ],
        "buffers": [{"byteLength": len(binary)}],
    }
    return doc, binary


def test_poster_adds_emissive_texture():
    png = io.BytesIO()
    Image.new("RGB", (4, 4), (0, 255, 0)).save(png, format="PNG")
    black = {"baseColorFactor": [0, 0, 0, 1]}
    glowing = {
        "pbrMetallicRoughness": black,
        "emissiveFactor": [1, 1, 1],
        "emissiveTexture": {"index": 0},
        "doubleSided": True,
    }
    dark = {"pbrMetallicRoughness": black, "doubleSided": True}
    for material, colour in ((glowing, [0, 255, 0]), (dark, [0, 0, 0])):
        doc, binary = _quad(material, png.getvalue())
        image = np.asarray(render_poster(doc, binary, 64).convert("RGBA"))
        covered = image[image[:, :, 3] == 255]
        assert len(covered) > 0.3 * 64 * 64
        assert np.median(covered[:, :3], axis=0).tolist() == colour
