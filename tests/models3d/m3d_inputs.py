"""Sample model names and builders for hostile inputs (shared by the models3d tests)."""

from __future__ import annotations

import io
import json
import stat
import struct
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from models3d.glb import read_glb, write_glb

TESTDATA = Path(__file__).resolve().parents[1] / "data"  # tests/data, in the repository
SAMPLES = [
    "Duck.glb",
    "BoxTextured.glb",
    "CesiumMilkTruck.glb",
    "AlphaBlendModeTest.glb",
    "bunny.ply",
    "fuze.zip",
    "pbr_cubes_emissive_spec_gloss.zip",
    "teapot.stl",
]
TEXTURED = {
    "Duck.glb",
    "BoxTextured.glb",
    "CesiumMilkTruck.glb",
    "AlphaBlendModeTest.glb",
    "fuze.zip",
    "pbr_cubes_emissive_spec_gloss.zip",
}


def make_zip(entries: list[tuple[str | zipfile.ZipInfo, bytes]]) -> bytes:
    """A zip archive (in memory) with the given raw entry names and contents."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries:
            info = name if isinstance(name, zipfile.ZipInfo) else zipfile.ZipInfo(name)
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
    return buf.getvalue()


def png_header(width: int, height: int) -> bytes:
    """A PNG whose header claims width x height (no real pixel data)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + body))
        return struct.pack(">I", len(body)) + kind + body + crc

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", b"") + chunk(b"IEND", b"")


def tiny_png() -> bytes:
    """A real 2x2 PNG."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (2, 2), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


def triangle_gltf(**extra: Any) -> dict[str, Any]:
    """A minimal valid glTF with one triangle (buffer given by 'uri', default a .bin name)."""
    doc: dict[str, Any] = {
        "asset": {"version": "2.0"},
        "scene": 0,
        "scenes": [{"nodes": [0]}],
        "nodes": [{"mesh": 0}],
        "meshes": [{"primitives": [{"attributes": {"POSITION": 0}}]}],
        "accessors": [
            {
                "bufferView": 0,
                "componentType": 5126,
                "count": 3,
                "type": "VEC3",
                "min": [0, 0, 0],
                "max": [1, 1, 0],
            }
        ],
        "bufferViews": [{"buffer": 0, "byteLength": 36, "target": 34962}],
        "buffers": [{"byteLength": 36, "uri": "tri.bin"}],
    }
    doc.update(extra)
    return doc


TRIANGLE_BIN = struct.pack("<9f", 0, 0, 0, 1, 0, 0, 0, 1, 0)


def gltf_zip(doc: dict[str, Any], files: dict[str, bytes] | None = None) -> bytes:
    """A zip holding model.gltf and companion files."""
    entries = [("model.gltf", json.dumps(doc).encode())]
    entries += list((files if files is not None else {"tri.bin": TRIANGLE_BIN}).items())
    return make_zip(entries)  # type: ignore[arg-type]


def patched_glb(path: Path, edit: Any) -> bytes:
    """GLB bytes of ``path`` after ``edit(doc, binary) -> (doc, binary)``."""
    doc, binary = read_glb(path.read_bytes())
    doc, binary = edit(doc, binary or b"")
    return write_glb(doc, binary)


def image_file(fmt: str, size: tuple[int, int] = (4, 4)) -> bytes:
    """A real image of ``size`` in Pillow format ``fmt`` (PNG, BMP, GIF, ...)."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, (30, 120, 200)).save(out, format=fmt)
    return out.getvalue()


def raw_glb(json_text: bytes) -> bytes:
    """A GLB whose JSON chunk holds ``json_text`` as it is (for JSON no encoder writes)."""
    json_text += b" " * (-len(json_text) % 4)
    chunk = struct.pack("<II", len(json_text), 0x4E4F534A) + json_text
    return b"glTF" + struct.pack("<II", 2, 12 + len(chunk)) + chunk


def flat_gltf_zip(*corners: tuple[float, float, float]) -> bytes:
    """A zipped glTF whose one triangle has the given three corners (min/max correct)."""
    doc = triangle_gltf()
    doc["accessors"][0]["min"] = [min(c[i] for c in corners) for i in range(3)]
    doc["accessors"][0]["max"] = [max(c[i] for c in corners) for i in range(3)]
    return gltf_zip(doc, {"tri.bin": struct.pack("<9f", *(x for c in corners for x in c))})


def ply_with(face: str = "3 0 1 2", texture: str | None = None) -> bytes:
    """An ASCII PLY triangle with UVs, its face line and an optional TextureFile comment."""
    comment = f"comment TextureFile {texture}\n" if texture is not None else ""
    return (
        "ply\nformat ascii 1.0\n" + comment + "element vertex 3\nproperty float x\n"
        "property float y\nproperty float z\nproperty float s\nproperty float t\n"
        "element face 1\nproperty list uchar int vertex_indices\nend_header\n"
        f"0 0 0 0 0\n1 0 0 1 0\n0 1 0 0 1\n{face}\n"
    ).encode()


TEXTURED_OBJ = b"v 0 0 0\nv 1 0 0\nv 0 1 0\nvt 0 0\nvt 1 0\nvt 0 1\nusemtl m\nf 1/1 2/2 3/3\n"


def textured_obj_zip(
    mtllib: bytes, texture: bytes, libraries: dict[str, bytes] | None = None
) -> bytes:
    """A zipped OBJ whose ``mtllib`` line is ``mtllib`` and whose material m maps t.img."""
    if libraries is None:
        libraries = {"m.mtl": b"newmtl m\nmap_Kd t.img\n"}
    entries = [("m.obj", mtllib + b"\n" + TEXTURED_OBJ), *libraries.items(), ("t.img", texture)]
    return make_zip(entries)


OBJ = b"v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 3\n"


def symlink_entry() -> zipfile.ZipInfo:
    info = zipfile.ZipInfo("model.obj")
    info.create_system = 3
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info


def lying_zip() -> bytes:
    """A zip whose directory says 10 bytes for an entry holding 2 MB."""
    data = bytearray(make_zip([("model.obj", OBJ + b"#" * 2_000_000)]))
    real = struct.pack("<I", len(OBJ) + 2_000_000)
    fake = struct.pack("<I", 10)
    return bytes(data).replace(real, fake)


def with_image(data: bytes, mime: str = "image/png") -> Callable:
    def edit(doc, binary):
        view = doc["bufferViews"][doc["images"][0]["bufferView"]]
        view["byteOffset"] = len(binary) + (-len(binary) % 4)
        view["byteLength"] = len(data)
        binary = binary + b"\0" * (-len(binary) % 4) + data
        doc["buffers"][0]["byteLength"] = len(binary)
        doc["images"][0]["mimeType"] = mime
        return doc, binary

    return edit


def with_uri(uri: str) -> Callable:
    def edit(doc, binary):
        doc["images"][0].pop("bufferView")
        doc["images"][0]["uri"] = uri
        return doc, binary

    return edit


def gltf_with_uri(uri: str) -> bytes:
    return gltf_zip(triangle_gltf(buffers=[{"byteLength": 36, "uri": uri}]))


def gltf_with_image(uri: str, files: dict[str, bytes]) -> bytes:
    """A textured triangle (positions and UVs in tri.bin) whose image is ``uri``."""
    doc = triangle_gltf(
        images=[{"uri": uri}],
        textures=[{"source": 0}],
        materials=[{"pbrMetallicRoughness": {"baseColorTexture": {"index": 0}}}],
    )
    prim = doc["meshes"][0]["primitives"][0]
    prim["material"] = 0
    prim["attributes"]["TEXCOORD_0"] = 1
    doc["accessors"].append({"bufferView": 1, "componentType": 5126, "count": 3, "type": "VEC2"})
    doc["bufferViews"].append({"buffer": 0, "byteOffset": 36, "byteLength": 24, "target": 34962})
    doc["buffers"][0]["byteLength"] = 60
    uvs = struct.pack("<6f", 0, 0, 1, 0, 0, 1)
    return gltf_zip(doc, {"tri.bin": TRIANGLE_BIN + uvs, **files})


def glb_json(edit: Callable) -> bytes:
    return patched_glb(TESTDATA / "BoxTextured.glb", edit)


def bad_json_glb() -> bytes:
    data = bytearray((TESTDATA / "BoxTextured.glb").read_bytes())
    data[20:22] = b"{{"
    return bytes(data)


def set_key(path: list, value) -> Callable:
    def edit(doc, binary):
        target = doc
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
        return doc, binary

    return edit


# glTF structures that our own walks read before the validator runs (see models3d.structure):
# (case id, edit of BoxTextured.glb, JSON pointer of the problem)
STRUCTURE_CASES: list[tuple[str, Callable, str]] = [
    ("scene index out of range", set_key(["scene"], 7), "/scene"),
    ("mesh index out of range", set_key(["nodes"], [{"mesh": 42}]), "/nodes/0/mesh"),
    (
        "accessor index out of range",
        set_key(["meshes", 0, "primitives", 0, "attributes", "POSITION"], 99),
        "/meshes/0/primitives/0/attributes/POSITION",
    ),
    ("image view out of range", set_key(["images", 0, "bufferView"], 99), "/images/0/bufferView"),
    ("image view not an index", set_key(["images", 0, "bufferView"], "x"), "/images/0/bufferView"),
    ("child not an index", set_key(["nodes", 0, "children"], ["x"]), "/nodes/0/children/0"),
    ("nodes not objects", set_key(["nodes"], [1, 2]), "/nodes/0"),
    ("primitives not an array", set_key(["meshes", 0, "primitives"], "x"), "/meshes/0/primitives"),
    ("matrix of 3 numbers", set_key(["nodes", 0, "matrix"], [1, 2, 3]), "/nodes/0/matrix"),
    (
        "byteLength not a number",
        set_key(["buffers", 0, "byteLength"], "x"),
        "/buffers/0/byteLength",
    ),
    ("negative byteLength", set_key(["buffers", 0, "byteLength"], -5), "/buffers/0/byteLength"),
    ("count missing", lambda d, b: (d["accessors"][1].pop("count") and d, b), "/accessors/1/count"),
]


def small_las(
    n: int = 200,
    *,
    point_format: int = 7,
    version: str = "1.4",
    compressed: bool = False,
    seed: int = 1,
    offset: tuple[float, float, float] = (500_000.0, 4_000_000.0, 10.0),
) -> bytes:
    """A LAS/LAZ file made with laspy: ``n`` points on a bumpy 10 m square, with colours."""
    import io

    import laspy
    import numpy as np

    rng = np.random.default_rng(seed)
    header = laspy.LasHeader(point_format=point_format, version=version)
    header.scales = np.array([0.001, 0.001, 0.001])
    header.offsets = np.array(offset)
    las = laspy.LasData(header)
    xy = rng.uniform(0.0, 10.0, size=(n, 2))
    las.x = offset[0] + xy[:, 0]
    las.y = offset[1] + xy[:, 1]
    las.z = offset[2] + np.sin(xy[:, 0]) * 0.5
    las.intensity = rng.integers(0, 4000, n).astype(np.uint16)
    if "red" in las.point_format.dimension_names:
        las.red = (xy[:, 0] * 6000).astype(np.uint16)
        las.green = (xy[:, 1] * 6000).astype(np.uint16)
        las.blue = np.full(n, 30000, np.uint16)
    out = io.BytesIO()
    las.write(out, do_compress=compressed, laz_backend=laspy.LazBackend.Lazrs)
    return out.getvalue()


def las_declaring(points: int) -> bytes:
    """A LAS 1.4 file whose header declares ``points`` points (it holds 200)."""
    data = bytearray(small_las())
    data[107:111] = (0).to_bytes(4, "little")  # legacy count: 0 above 2**32 points
    data[247:255] = points.to_bytes(8, "little")
    return bytes(data)


def _crc32c(data: bytes) -> int:
    """CRC-32C (Castagnoli), the checksum of every E57 page."""
    table = []
    for i in range(256):
        c = i
        for _ in range(8):
            c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
        table.append(c)
    crc = 0xFFFFFFFF
    for byte in data:
        crc = table[(crc ^ byte) & 0xFF] ^ (crc >> 8)
    return crc ^ 0xFFFFFFFF


def small_e57(
    n: int = 1000,
    *,
    colours: bool = True,
    intensity: bool = True,
    second_scan_at: tuple[float, float, float] | None = None,
) -> bytes:
    """An E57 file written by pye57 (libE57Format): one scan of ``n`` points on a slab, and
    the same scan again placed at ``second_scan_at`` (its pose) if given."""
    import tempfile

    import numpy as np
    import pye57

    rng = np.random.default_rng(3)
    data = {
        "cartesianX": rng.uniform(0.0, 4.0, n),
        "cartesianY": rng.uniform(0.0, 2.0, n),
        "cartesianZ": rng.uniform(0.0, 0.5, n),
    }
    if colours:
        data["colorRed"] = np.full(n, 200, np.uint8)
        data["colorGreen"] = np.full(n, 40, np.uint8)
        data["colorBlue"] = np.full(n, 10, np.uint8)
    if intensity:
        data["intensity"] = rng.uniform(0.0, 1.0, n)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "scan.e57"
        with pye57.E57(str(path), mode="w") as e57:
            e57.write_scan_raw(data)
            if second_scan_at is not None:
                e57.write_scan_raw(
                    data, rotation=np.array([1.0, 0, 0, 0]), translation=np.array(second_scan_at)
                )
        return path.read_bytes()


def e57_with_broken_xml() -> bytes:
    """A valid E57 whose XML section no longer parses (mismatched closing tag), with the
    page checksum recomputed so that only the XML is wrong."""
    data = bytearray(small_e57(200))
    at = data.rfind(b"</e57Root>")
    page = at // 1024
    assert at >= 0 and (at + 10) // 1024 == page and at % 1024 + 10 <= 1020
    data[at : at + 10] = b"</e57Rooz>"
    start = page * 1024
    data[start + 1020 : start + 1024] = _crc32c(bytes(data[start : start + 1020])).to_bytes(
        4, "big"
    )
    return bytes(data)


def ply_points(n: int = 500, *, binary: bool = True, colour: str = "rgb") -> bytes:
    """A face-less PLY (a point cloud): colours as uchar RGB, or an intensity, or nothing."""
    import numpy as np

    rng = np.random.default_rng(5)
    xyz = rng.uniform(0.0, 1.0, size=(n, 3)).astype(np.float32)
    fields = [("x", "f4"), ("y", "f4"), ("z", "f4")]
    if colour == "rgb":
        fields += [("red", "u1"), ("green", "u1"), ("blue", "u1")]
    elif colour == "intensity":
        fields += [("intensity", "f4")]
    records = np.zeros(n, np.dtype([(k, "<" + t) for k, t in fields]))
    records["x"], records["y"], records["z"] = xyz.T
    if colour == "rgb":
        records["red"], records["green"], records["blue"] = 10, 200, 30
    elif colour == "intensity":
        records["intensity"] = np.linspace(0.0, 1.0, n)
    types = {"f4": "float", "u1": "uchar"}
    header = "ply\nformat {} 1.0\nelement vertex {}\n".format(
        "binary_little_endian" if binary else "ascii", n
    )
    header += "".join(f"property {types[t]} {k}\n" for k, t in fields) + "end_header\n"
    if binary:
        return header.encode() + records.tobytes()
    lines = "".join(" ".join(str(v) for v in row) + "\n" for row in records.tolist())
    return (header + lines).encode()
