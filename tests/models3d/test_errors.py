"""Every error code, triggered by a real hostile or broken input built here."""

from __future__ import annotations

import base64
import json
import struct
import unicodedata
from pathlib import Path

import pytest
from m3d_inputs import (
    OBJ,
    STRUCTURE_CASES,
    TESTDATA,
    TRIANGLE_BIN,
    bad_json_glb,
    flat_gltf_zip,
    glb_json,
    gltf_with_image,
    gltf_with_uri,
    gltf_zip,
    image_file,
    las_declaring,
    lying_zip,
    make_zip,
    ply_with,
    png_header,
    raw_glb,
    set_key,
    symlink_entry,
    textured_obj_zip,
    tiny_png,
    triangle_gltf,
    with_image,
    with_uri,
)
from pano_inputs import (
    big_text_png,
    jpeg_12bit,
    pano,
    partial_jpeg,
    png_declaring,
    with_xmp,
)

from models3d import MESSAGES, Limits, ModelError, inspect_file

DUCK = (TESTDATA / "Duck.glb").read_bytes()
NFC = unicodedata.normalize("NFC", "café.png")
NFD = unicodedata.normalize("NFD", "café.png")
GIF = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"
MTL_BOMB = b"newmtl m\nmap_Kd bomb.png\n"
BMP = image_file("BMP")


def bmp_header(width: int, height: int) -> bytes:
    """A BMP file header and info header declaring ``width`` x ``height``, with no pixels."""
    info = struct.pack("<IiiHHIIiiII", 40, width, height, 1, 24, 0, 0, 2835, 2835, 0, 0)
    return b"BM" + struct.pack("<IHHI", 14 + len(info), 0, 0, 14 + len(info)) + info


PSD = b"8BPS\x00\x01" + bytes(40)  # Photoshop: no reader opens it as a texture
# A binary STL whose 80-byte header starts like an ASCII one; its one triangle has no area.
SOLID_HEADER_STL = b"solid fakeheader facet" + b"\0" * 58 + struct.pack("<I", 1) + b"\0" * 50
# (case id, file name, bytes, limits, expected code)
CASES: list[tuple[str, str | None, bytes, Limits | None, str]] = [
    ("unknown bytes", "model.fbx", b"Kaydara FBX Binary  \0\x1a\0", None, "unsupported_format"),
    ("no name, unknown", None, b"hello world, not a model", None, "unsupported_format"),
    ("zip without model", "a.zip", make_zip([("readme.txt", b"hi")]), None, "unsupported_format"),
    ("glb named zip", "duck.zip", DUCK, None, "content_mismatch"),
    ("zip named glb", "fuze.glb", (TESTDATA / "fuze.zip").read_bytes(), None, "content_mismatch"),
    ("ply named stl", "bunny.stl", (TESTDATA / "bunny.ply").read_bytes(), None, "content_mismatch"),
    ("glb bad json", "m.glb", bad_json_glb(), None, "parse_error"),
    ("glb truncated", "m.glb", DUCK[:5000], None, "parse_error"),
    ("garbage named ply", "m.ply", b"\x00\x01garbage" * 10, None, "parse_error"),
    (
        "broken ply body",
        "m.ply",
        b"ply\nformat ascii 1.0\nelement vertex 3\nproperty float x\nproperty float y\n"
        b"property float z\nelement face 1\nproperty list uchar int vertex_indices\nend_header\n"
        b"0 0 0\n1 oops\n",
        None,
        "parse_error",
    ),
    (
        "ply no faces, no vertices",  # a PLY with points is a point cloud (test_pointclouds.py)
        "pts.ply",
        b"ply\nformat ascii 1.0\nelement vertex 0\nproperty float x\nproperty float y\n"
        b"property float z\nend_header\n",
        None,
        "no_geometry",
    ),
    ("las declaring 10^12 points", "scan.las", las_declaring(10**12), None, "too_many_points"),
    (
        "gltf points only",
        "p.zip",
        gltf_zip(
            triangle_gltf(meshes=[{"primitives": [{"attributes": {"POSITION": 0}, "mode": 0}]}])
        ),
        None,
        "no_geometry",
    ),
    ("upload limit", "Duck.glb", DUCK, Limits(max_upload_bytes=1000), "file_too_large"),
    (
        "zip bomb",
        "bomb.zip",
        make_zip([("model.obj", OBJ + b"\n" * 3_000_000)]),
        Limits(max_unpacked_bytes=1_000_000),
        "archive_too_large",
    ),
    (
        "too many files",
        "many.zip",
        make_zip([(f"f{i}.txt", b"x") for i in range(5)]),
        Limits(max_archive_files=3),
        "archive_too_large",
    ),
    ("lying sizes", "lie.zip", lying_zip(), None, "parse_error"),
    ("dot-dot entry", "a.zip", make_zip([("../evil.obj", OBJ)]), None, "unsafe_path"),
    ("nested dot-dot", "a.zip", make_zip([("x/../../evil.obj", OBJ)]), None, "unsafe_path"),
    ("absolute entry", "a.zip", make_zip([("/etc/evil.obj", OBJ)]), None, "unsafe_path"),
    ("drive letter", "a.zip", make_zip([("C:\\temp\\evil.obj", OBJ)]), None, "unsafe_path"),
    ("backslash dot-dot", "a.zip", make_zip([("..\\evil.obj", OBJ)]), None, "unsafe_path"),
    ("symlink entry", "a.zip", make_zip([(symlink_entry(), b"/etc/passwd")]), None, "unsafe_path"),
    ("gltf ../ uri", "g.zip", gltf_with_uri("../tri.bin"), None, "unsafe_path"),
    ("gltf %2e%2e uri", "g.zip", gltf_with_uri("%2e%2e/tri.bin"), None, "unsafe_path"),
    ("gltf %2F.. uri", "g.zip", gltf_with_uri("sub%2F..%2F..%2Ftri.bin"), None, "unsafe_path"),
    ("gltf double-encoded", "g.zip", gltf_with_uri("%252e%252e/tri.bin"), None, "unsafe_path"),
    ("gltf ..\\ uri", "g.zip", gltf_with_uri("..\\tri.bin"), None, "unsafe_path"),
    ("gltf absolute uri", "g.zip", gltf_with_uri("/etc/passwd"), None, "unsafe_path"),
    ("gltf drive uri", "g.zip", gltf_with_uri("C:/Windows/win.ini"), None, "unsafe_path"),
    (
        "mtl escapes",
        "o.zip",
        make_zip([("m.obj", b"mtllib ../x.mtl\n" + OBJ)]),
        None,
        "unsafe_path",
    ),
    (
        "gltf http uri",
        "g.zip",
        gltf_with_uri("http://example.com/tri.bin"),
        None,
        "external_uri_not_allowed",
    ),
    (
        "gltf https image",
        "g.zip",
        gltf_with_image("https://example.com/a.png", {}),
        None,
        "external_uri_not_allowed",
    ),
    (
        "gltf file uri",
        "g.zip",
        gltf_with_uri("file:///etc/passwd"),
        None,
        "external_uri_not_allowed",
    ),
    (
        "gltf //host uri",
        "g.zip",
        gltf_with_uri("//evil.example/tri.bin"),
        None,
        "external_uri_not_allowed",
    ),
    (
        "data of wrong type",
        "g.zip",
        gltf_with_uri("data:text/html;base64," + base64.b64encode(TRIANGLE_BIN).decode()),
        None,
        "external_uri_not_allowed",
    ),
    ("glb external image", "m.glb", glb_json(with_uri("texture.png")), None, "missing_resource"),
    ("gltf missing bin", "g.zip", gltf_zip(triangle_gltf(), {}), None, "missing_resource"),
    (
        "obj missing mtl",
        "o.zip",
        make_zip([("m.obj", b"mtllib m.mtl\n" + OBJ)]),
        None,
        "missing_resource",
    ),
    ("too many triangles", "Duck.glb", DUCK, Limits(max_triangles=1000), "model_too_large"),
    ("too many vertices", "Duck.glb", DUCK, Limits(max_vertices=1000), "model_too_large"),
    (
        "ply header lies",
        "big.ply",
        b"ply\nformat binary_little_endian 1.0\nelement vertex 3\nproperty float x\n"
        b"property float y\nproperty float z\nelement face 2000000000\n"
        b"property list uchar int vertex_indices\nend_header\n",
        None,
        "model_too_large",
    ),
    (
        "png bomb in glb",
        "m.glb",
        glb_json(with_image(png_header(100_000, 100_000))),
        None,
        "texture_too_large",
    ),
    (
        "png over limit",
        "m.glb",
        glb_json(with_image(png_header(300, 300))),
        Limits(max_texture_pixels=256 * 256),
        "texture_too_large",
    ),
    (
        "png bomb in obj zip",
        "o.zip",
        make_zip(
            [
                ("m.obj", b"mtllib m.mtl\nusemtl m\n" + OBJ),
                ("m.mtl", MTL_BOMB),
                ("bomb.png", png_header(100_000, 100_000)),
            ]
        ),
        None,
        "texture_too_large",
    ),
    ("gif texture", "g.zip", gltf_with_image("a.gif", {"a.gif": GIF}), None, "unsupported_texture"),
    ("gif in glb", "m.glb", glb_json(with_image(GIF, "image/gif")), None, "unsupported_texture"),
    ("glTF 1.0", "g.zip", gltf_zip(triangle_gltf(asset={"version": "1.0"})), None, "invalid_gltf"),
    (
        "bad texture index",
        "m.glb",
        glb_json(set_key(["materials", 0, "pbrMetallicRoughness", "baseColorTexture", "index"], 7)),
        None,
        "invalid_gltf",
    ),
    (
        "accessor out of range",
        "m.glb",
        glb_json(set_key(["accessors", 0, "count"], 10**6)),
        None,
        "invalid_gltf",
    ),
    *[(case, "m.glb", glb_json(edit), None, "invalid_gltf") for case, edit, _ in STRUCTURE_CASES],
    (
        "number out of range",
        "m.glb",
        raw_glb(b'{"asset":{"version":"2.0"},"x":1e999}'),
        None,
        "invalid_gltf",
    ),
    (
        "JSON nested too deeply",
        "m.glb",
        raw_glb(b"[" * 100_000 + b"]" * 100_000),
        None,
        "parse_error",
    ),
    ("NaN in JSON", "m.glb", raw_glb(b'{"asset":{"version":"2.0"},"x":NaN}'), None, "parse_error"),
    ("obj nan vertex", "m.obj", OBJ.replace(b"v 0 0 0", b"v nan 0 0"), None, "parse_error"),
    ("obj infinite vertex", "m.obj", OBJ.replace(b"v 0 0 0", b"v 1e999 0 0"), None, "parse_error"),
    ("ply face out of range", "m.ply", ply_with(face="3 0 1 999"), None, "parse_error"),
    ("ply negative face", "m.ply", ply_with(face="3 0 1 -7"), None, "parse_error"),
    (
        "obj zero-area",
        "m.obj",
        OBJ.replace(b"v 1 0 0", b"v 0 0 0").replace(b"v 0 1 0", b"v 0 0 0"),
        None,
        "no_geometry",
    ),
    ("stl zero-area, solid header", "m.stl", SOLID_HEADER_STL, None, "no_geometry"),
    (
        "gltf zero-area",
        "z.zip",
        flat_gltf_zip((0, 0, 0), (0, 0, 0), (0, 0, 0)),
        None,
        "no_geometry",
    ),
    (
        "gltf collinear",
        "z.zip",
        flat_gltf_zip((0, 0, 0), (1, 0, 0), (2, 0, 0)),
        None,
        "no_geometry",
    ),
    (
        "ply texture psd",
        "p.zip",
        make_zip([("m.ply", ply_with(texture="t.psd")), ("t.psd", PSD)]),
        None,
        "unsupported_texture",
    ),
    (
        "ply texture bomb",
        "p.zip",
        make_zip([("m.ply", ply_with(texture="t.png")), ("t.png", png_header(100_000, 100_000))]),
        None,
        "texture_too_large",
    ),
    (
        "ply texture dot-dot",
        "p.zip",
        make_zip([("m.ply", ply_with(texture="../t.png"))]),
        None,
        "unsafe_path",
    ),
    (
        "ply texture http",
        "m.ply",
        ply_with(texture="http://127.0.0.1:9/t.png"),
        None,
        "external_uri_not_allowed",
    ),
    (
        "ply texture missing",
        "p.zip",
        make_zip([("m.ply", ply_with(texture="t.png"))]),
        None,
        "missing_resource",
    ),
    (
        "indented mtllib, psd",
        "o.zip",
        textured_obj_zip(b" mtllib m.mtl", PSD),
        None,
        "unsupported_texture",
    ),
    (
        "indented mtllib, bmp bomb",
        "o.zip",
        textured_obj_zip(b"\tmtllib m.mtl", bmp_header(100_000, 100_000)),
        None,
        "texture_too_large",
    ),
    (
        "indented mtllib, bomb",
        "o.zip",
        textured_obj_zip(b"  mtllib m.mtl", png_header(100_000, 100_000)),
        None,
        "texture_too_large",
    ),
    (
        "two mtllib names, psd in the second",
        "o.zip",
        textured_obj_zip(
            b"mtllib a.mtl m.mtl",
            PSD,
            {"a.mtl": b"newmtl x\n", "m.mtl": b"newmtl m\nmap_Kd t.img\n"},
        ),
        None,
        "unsupported_texture",
    ),
    (
        "two mtllib names, second missing",
        "o.zip",
        textured_obj_zip(b"mtllib m.mtl b.mtl", tiny_png()),
        None,
        "missing_resource",
    ),
    (
        "indented faces over the limit",
        "m.obj",
        OBJ + b" f 1 2 3\n" * 4,
        Limits(max_triangles=3),
        "model_too_large",
    ),
    (
        "nested zip",
        "n.zip",
        make_zip([("inner.zip", make_zip([("m.obj", OBJ)]))]),
        None,
        "nested_archive",
    ),
    (
        "disguised zip",
        "n.zip",
        make_zip([("m.obj", OBJ), ("data.bin", make_zip([("a", b"a")]))]),
        None,
        "nested_archive",
    ),
    (
        "case duplicate",
        "d.zip",
        make_zip([("Model.obj", OBJ), ("model.OBJ", OBJ)]),
        None,
        "duplicate_entry",
    ),
    (
        "unicode duplicate",
        "d.zip",
        make_zip([("m.obj", OBJ), (NFC, tiny_png()), (NFD, tiny_png())]),
        None,
        "duplicate_entry",
    ),
    (
        "two models",
        "two.zip",
        make_zip([("a.obj", OBJ), ("b.stl", (TESTDATA / "teapot.stl").read_bytes())]),
        None,
        "multiple_models",
    ),
    ("text named as a panorama", "pano.jpg", b"not an image", None, "not_a_panorama"),
    ("panorama 3:1", "pano.jpg", pano(600, 200), None, "panorama_aspect"),
    ("panorama bomb", "pano.png", png_declaring(100_000, 50_000), None, "panorama_too_large"),
    (
        "jpeg cut in its header",
        "pano.jpg",
        with_xmp(pano(64, 32), b"x" * 5000)[:1000],
        None,
        "image_truncated",
    ),
    ("png of 0 x 0 pixels", "pano.png", png_declaring(0, 0), None, "image_corrupt"),
    ("12-bit jpeg", "pano.jpg", jpeg_12bit(), None, "unsupported_colour_mode"),
    ("gpano outside", "p.jpg", partial_jpeg(CroppedAreaTopPixels=500), None, "gpano_invalid"),
    (
        "image text over the limit",
        "pano.png",
        big_text_png(5000),
        Limits(max_image_metadata_bytes=4000),
        "image_metadata_too_large",
    ),
]


@pytest.mark.parametrize(
    ("name", "data", "limits", "code"),
    [c[1:] for c in CASES],
    ids=[c[0] for c in CASES],
)
def test_rejected_with_code(tmp_path: Path, name, data, limits, code):
    upload = tmp_path / "upload"  # stored by content hash: no extension on disk
    upload.write_bytes(data)
    with pytest.raises(ModelError) as caught:
        inspect_file(upload, original_name=name, limits=limits or Limits())
    err = caught.value
    assert err.code == code, err.detail
    assert err.message == MESSAGES[code]
    assert err.to_dict() == {"code": code, "message": MESSAGES[code], "detail": err.detail}
    json.dumps(err.to_dict())
    assert not (tmp_path / "etc").exists()


def test_every_code_is_covered():
    covered = {c[-1] for c in CASES}
    processing = {"processing_timeout", "processing_out_of_memory", "processing_failed"}
    assert covered | processing == set(MESSAGES)  # processing codes: see test_isolation.py


DATA = "data:application/octet-stream;base64," + base64.b64encode(TRIANGLE_BIN).decode()


def test_valid_inputs_in_the_same_shapes_are_accepted(tmp_path: Path):
    """The builders above make valid models when nothing hostile is added."""
    cases = {
        "ok.zip": gltf_zip(triangle_gltf()),
        "tex.zip": gltf_with_image("a%20b.png", {"a b.png": tiny_png()}),
        "data.zip": gltf_with_uri(DATA),
        "obj.zip": make_zip([("dir/m.obj", OBJ)]),
        "late.gltf": json.dumps(  # its "asset" key after the first 64 KB
            {"extras": "x" * 70_000, **triangle_gltf(buffers=[{"byteLength": 36, "uri": DATA}])}
        ).encode(),
        "bare.obj": b"mtllib missing.mtl\n" + OBJ,
    }
    for name, data in cases.items():
        upload = tmp_path / name
        upload.write_bytes(data)
        report = inspect_file(upload, original_name=name)
        assert report["triangles"] == 1, name
    assert report["notes"] == [
        {"code": "material_file_not_uploaded", "detail": {"file": "missing.mtl"}}
    ]
