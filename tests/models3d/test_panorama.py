"""Panoramas: outputs in Photo Sphere Viewer's layout, corrections, placement, views, and
hostile or broken images, each ending in a code with nothing left behind."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from pano_inputs import (
    PARTIAL,
    alpha_image,
    big_text_png,
    cmyk_jpeg,
    gpano_xmp,
    gradient,
    grey16_png,
    half,
    jpeg_12bit,
    jpeg_declaring,
    noisy_jpeg,
    noisy_png,
    p3_jpeg,
    pano,
    partial_jpeg,
    partial_with_xmp_in,
    png_declaring,
    rgb16_png,
    rotated_jpeg,
    with_xmp,
    zip_bytes,
    ztxt_bomb,
)
from PIL import Image

from models3d import (
    Limits,
    ModelError,
    ProcessOptions,
    inspect_file,
    process_file,
    process_isolated,
    render_view,
)
from models3d.gpano import parse_gpano
from models3d.panorama import plan_levels

REPORT_KEYS = {
    "projection",
    "source",
    "width",
    "height",
    "field_of_view",
    "gpano",
    "corrections",
    "view",
    "tile_size",
    "levels",
    "tiles",
    "preview",
    "equirect",
}


def run(tmp_path: Path, data: bytes, name: str = "pano.jpg", **kwargs: Any):
    """Process ``data`` uploaded as ``name`` into ``tmp_path / "out"``."""
    upload = tmp_path / "upload"
    upload.write_bytes(data)
    return process_file(upload, tmp_path / "out", original_name=name, **kwargs)


def pixels(path: Path) -> np.ndarray:
    with Image.open(path) as image:
        return np.asarray(image.convert("RGB"), dtype=np.float64)


def check_layout(out: Path, info: dict[str, Any]) -> None:
    """Every level a full 2:1 image of square tiles, as EquirectangularTilesAdapter wants."""
    tile = info["tile_size"]
    assert [level["width"] for level in info["levels"]] == sorted(
        level["width"] for level in info["levels"]
    )
    assert info["levels"][-1]["width"] == info["width"] == 2 * info["height"]
    count = 0
    for index, level in enumerate(info["levels"]):
        cols, rows = level["cols"], level["rows"]
        assert cols == 2 * rows and cols & (cols - 1) == 0
        assert level["width"] == tile * cols
        names = {p.name for p in (out / "tiles" / str(index)).iterdir()}
        assert names == {f"{c}_{r}.jpg" for c in range(cols) for r in range(rows)}
        for name in ("0_0.jpg", f"{cols - 1}_{rows - 1}.jpg"):
            with Image.open(out / "tiles" / str(index) / name) as image:
                assert image.size == (tile, tile) and image.format == "JPEG"
        count += cols * rows
    assert sorted(p.name for p in (out / "tiles").iterdir()) == [
        str(i) for i in range(len(info["levels"]))
    ]
    files = list((out / "tiles").rglob("*.jpg"))
    assert info["tiles"] == {"count": count, "bytes": sum(p.stat().st_size for p in files)}
    assert len(files) == count


def test_full_panorama_outputs(tmp_path: Path):
    steps: list[tuple[int, str]] = []
    result = run(tmp_path, pano(2048, 1024), progress=lambda pct, stage: steps.append((pct, stage)))
    percents = [pct for pct, _stage in steps]
    assert percents == sorted(percents) and steps[-1] == (100, "done")
    assert {"checking", "tiles", "equirect", "poster"} <= {stage for _pct, stage in steps}
    out = tmp_path / "out"
    report = result.report
    assert report["kind"] == "panorama" and report["format"] == "jpeg"
    info = report["panorama"]
    assert set(info) == REPORT_KEYS
    assert info["projection"] == "equirectangular"
    assert info["source"] == {
        "width": 2048,
        "height": 1024,
        "format": "jpeg",
        "colour": "rgb",
        "bits": 8,
        "orientation": 1,
        "icc": None,
        "metadata_bytes": info["source"]["metadata_bytes"],
    }
    assert (info["width"], info["height"], info["tile_size"]) == (2048, 1024, 512)
    assert info["levels"] == [
        {"width": 1024, "cols": 2, "rows": 1},
        {"width": 2048, "cols": 4, "rows": 2},
    ]
    assert info["field_of_view"] == {"horizontal": 360.0, "vertical": 180.0}
    assert info["gpano"] is None and info["corrections"] == []
    assert info["view"] == {"yaw": 0.0, "pitch": 0.0, "fov": 75.0}
    check_layout(out, info)
    assert result.levels == {"preview": out / "preview.jpg", "equirect": out / "equirect.jpg"}
    assert (result.poster, result.tiles) == (out / "poster.webp", out / "tiles")
    with Image.open(out / "preview.jpg") as preview:
        assert preview.size == (1024, 512)
    with Image.open(out / "equirect.jpg") as equirect:
        assert equirect.size == (2048, 1024)
    assert info["preview"]["bytes"] == (out / "preview.jpg").stat().st_size
    assert info["equirect"]["bytes"] == (out / "equirect.jpg").stat().st_size
    with Image.open(out / "poster.webp") as poster:
        assert poster.format == "WEBP" and poster.size == (512, 512)
    assert json.loads((out / "report.json").read_text()) == report
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "upload"]  # no staging left


def test_tiles_and_preview_show_the_upload(tmp_path: Path):
    run(tmp_path, pano(2048, 1024))
    out = tmp_path / "out"
    expected = gradient(2048, 1024).astype(np.float64)
    tile = pixels(out / "tiles" / "1" / "2_1.jpg")  # columns 1024-1535, rows 512-1023
    assert np.abs(tile - expected[512:1024, 1024:1536]).mean() < 3
    small = pixels(out / "tiles" / "0" / "1_0.jpg")  # right half at half size
    assert np.abs(small - expected[::2, 1024::2]).mean() < 4
    preview = pixels(out / "preview.jpg")
    assert np.abs(preview - expected[::2, ::2]).mean() < 4


@pytest.mark.parametrize(
    "width", [64, 1000, 1024, 4000, 8192, 12000, 16384, 20000, 32768, 50000, 65536]
)
def test_levels_keep_the_width_with_powers_of_two(width: int):
    tile, out_width, levels = plan_levels(width)
    assert abs(out_width - width) <= 2 ** len(levels) / 2
    assert levels[-1]["width"] == out_width
    assert levels[-1]["cols"] <= 64  # Photo Sphere Viewer's sphere segments
    if 1024 <= width <= 32768:
        assert 512 <= tile < 1024
    for j, level in enumerate(levels, start=1):
        assert level == {"width": tile * 2**j, "cols": 2**j, "rows": 2 ** (j - 1)}


CORRECTIONS = [
    ("cmyk", cmyk_jpeg(), "pano.jpg", ["cmyk_converted"], {"colour": "cmyk", "bits": 8}),
    ("rgb16", rgb16_png(), "pano.png", ["sixteen_bit_reduced"], {"colour": "rgb", "bits": 16}),
    (
        "grey16",
        grey16_png(),
        "pano.png",
        ["grey_converted", "sixteen_bit_reduced"],
        {"colour": "grey"},
    ),
    ("alpha png", alpha_image("PNG"), "pano.png", ["alpha_flattened"], {"colour": "rgb+alpha"}),
    ("alpha webp", alpha_image("WEBP"), "p.webp", ["alpha_flattened"], {"format": "webp"}),
    ("exif 6", rotated_jpeg(), "pano.jpg", ["orientation_applied"], {"orientation": 6}),
    ("p3 profile", p3_jpeg(), "pano.jpg", ["icc_converted"], {"icc": "sP3C"}),
    ("almost 2:1", pano(1024, 510), "pano.jpg", ["aspect_adjusted"], {"height": 510}),
]


@pytest.mark.parametrize(
    ("data", "name", "codes", "source"),
    [c[1:] for c in CORRECTIONS],
    ids=[c[0] for c in CORRECTIONS],
)
def test_corrections_are_made_and_reported(tmp_path: Path, data, name, codes, source):
    info = run(tmp_path, data, name).report["panorama"]
    assert info["corrections"] == codes
    assert source.items() <= info["source"].items()
    assert (info["width"], info["height"]) == (1024, 512)
    equirect = pixels(tmp_path / "out" / "equirect.jpg")
    assert equirect.shape == (512, 1024, 3)
    left, right = equirect[:, :256].mean(axis=(0, 1)), equirect[:, -256:].mean(axis=(0, 1))
    assert right[0] - left[0] > 60  # red still grows from left to right (half over grey)
    if "alpha_flattened" in codes:  # half transparent over neutral grey
        assert abs(equirect[256, 512, 2] - (100 + 128) / 2) < 8
    elif "grey_converted" not in codes:
        top, bottom = equirect[:128].mean(axis=(0, 1)), equirect[-128:].mean(axis=(0, 1))
        assert bottom[1] - top[1] > 100  # green grows downwards: not turned


REAL = [  # real panoramas no one here made (tests/data/README.md)
    ("mars-husband-hill.png", "rgb+alpha", ["alpha_flattened"]),
    ("apollo17-taurus-littrow.png", "grey+alpha", ["grey_converted", "alpha_flattened"]),
]


@pytest.mark.parametrize(("name", "colour", "codes"), REAL, ids=[r[0] for r in REAL])
def test_real_panorama_photographs(tmp_path: Path, testdata: Path, name, colour, codes):
    """Stitched 360° photographs from the Mars rover Spirit and Apollo 17, with a transparent
    sky as planetarium software keeps them: tiled, flattened over grey, their ground intact."""
    info = run(tmp_path, (testdata / name).read_bytes(), name).report["panorama"]
    assert info["source"]["colour"] == colour and info["corrections"] == codes
    assert (info["width"], info["height"]) == (2048, 1024)
    check_layout(tmp_path / "out", info)
    equirect = pixels(tmp_path / "out" / "equirect.jpg")
    sky, ground = equirect[:200], equirect[600:900]
    assert np.abs(sky - 128).max() < 12  # the transparent sky became neutral grey
    assert ground.std() > 20  # the photographed ground is all there, not flattened away


def test_partial_panorama_is_placed_on_the_sphere(tmp_path: Path):
    info = run(tmp_path, partial_jpeg()).report["panorama"]
    assert info["corrections"] == ["gpano_placed"]
    assert info["field_of_view"] == {"horizontal": 180.0, "vertical": 60.0}
    assert info["gpano"]["FullPanoWidthPixels"] == 1200
    assert (info["width"], info["height"]) == (1200, 600)
    assert info["view"] == {"yaw": 0.0, "pitch": 0.0, "fov": 75.0}
    equirect = pixels(tmp_path / "out" / "equirect.jpg")
    grey = np.array([128.0, 128.0, 128.0])
    for x, y in [(100, 300), (1100, 300), (600, 100), (600, 500)]:  # outside: neutral
        assert np.abs(equirect[y, x] - grey).max() < 6, (x, y)
    upload = gradient(600, 200).astype(np.float64)
    assert np.abs(equirect[210:390, 310:890] - upload[10:190, 10:590]).mean() < 4


def test_heading_turns_the_sphere_to_north(tmp_path: Path):
    data = with_xmp(pano(1200, 600), gpano_xmp({**PARTIAL_FULL, "PoseHeadingDegrees": 90}))
    info = run(tmp_path, data).report["panorama"]
    assert info["corrections"] == ["gpano_heading_applied"]
    assert info["view"]["yaw"] == 90.0  # the upload's centre looks east
    equirect = pixels(tmp_path / "out" / "equirect.jpg")
    upload = gradient(1200, 600).astype(np.float64)
    # Turned by a quarter: the upload's column 0 is now at 300.
    assert np.abs(equirect[:, 310:890] - upload[:, 10:590]).mean() < 4


PARTIAL_FULL = {
    **PARTIAL,
    "CroppedAreaImageWidthPixels": 1200,
    "CroppedAreaImageHeightPixels": 600,
    "CroppedAreaLeftPixels": 0,
    "CroppedAreaTopPixels": 0,
}


@pytest.mark.parametrize(("fmt", "name"), [("PNG", "p.png"), ("WEBP", "p.webp")])
def test_gpano_is_read_from_png_and_webp(tmp_path: Path, fmt: str, name: str):
    info = run(tmp_path, partial_with_xmp_in(fmt), name).report["panorama"]
    assert info["corrections"] == ["gpano_placed"]
    assert info["field_of_view"] == {"horizontal": 180.0, "vertical": 60.0}


def test_gpano_as_elements_under_any_prefix():
    packet = gpano_xmp(PARTIAL, elements=True, prefix="pano")
    assert parse_gpano(packet) == {**PARTIAL, "ProjectionType": "equirectangular"}
    assert parse_gpano(b"<x:xmpmeta/>") is None and parse_gpano(None) is None


def test_gpano_scaled_image_is_placed_by_its_own_size(tmp_path: Path):
    """A panorama resized after its metadata was written keeps its place."""
    data = with_xmp(pano(300, 100), gpano_xmp(PARTIAL))
    info = run(tmp_path, data).report["panorama"]
    assert (info["width"], info["height"]) == (600, 300)
    assert info["field_of_view"] == {"horizontal": 180.0, "vertical": 60.0}


HOSTILE = [
    ("bomb png header", png_declaring(100_000, 50_000), "pano.png", "panorama_too_large"),
    ("bomb jpeg header", jpeg_declaring(65_000, 32_500), "pano.jpg", "panorama_too_large"),
    ("truncated jpeg", half(pano()), "pano.jpg", "image_truncated"),
    ("truncated noisy jpeg", half(noisy_jpeg()), "pano.jpg", "image_truncated"),
    ("truncated png", half(noisy_png()), "pano.png", "image_truncated"),
    ("truncated webp", pano(fmt="WEBP")[:3000], "pano.webp", "image_truncated"),
    ("zTXt bomb", ztxt_bomb(), "pano.png", "image_metadata_too_large"),
    ("huge text chunk", big_text_png(), "pano.png", "image_metadata_too_large"),
    ("jpeg with a zip", pano() + zip_bytes(), "pano.jpg", "not_a_panorama"),
    ("png with a zip", pano(fmt="PNG") + zip_bytes(), "pano.png", "not_a_panorama"),
    ("zip named jpg", zip_bytes(), "pano.jpg", "content_mismatch"),
    ("text named jpg", b"not an image at all", "pano.jpg", "not_a_panorama"),
    ("png of size 0", png_declaring(0, 0), "pano.png", "image_corrupt"),
    ("wrong aspect", pano(600, 200), "pano.jpg", "panorama_aspect"),
    (
        "wrong aspect, gpano without sizes",
        partial_jpeg({"ProjectionType": "equirectangular", "UsePanoramaViewer": "True"}),
        "pano.jpg",
        "panorama_aspect",
    ),
    ("wrong aspect, gpano off", partial_jpeg(CroppedAreaTopPixels=500), "p.jpg", "gpano_invalid"),
    ("gpano negative", partial_jpeg(FullPanoWidthPixels=-5), "pano.jpg", "gpano_invalid"),
    ("gpano nan", partial_jpeg(FullPanoWidthPixels="nan"), "pano.jpg", "gpano_invalid"),
    ("gpano not a number", partial_jpeg(CroppedAreaLeftPixels="x"), "p.jpg", "gpano_invalid"),
    ("gpano not 2:1", partial_jpeg(FullPanoHeightPixels=1200), "pano.jpg", "gpano_invalid"),
    ("gpano image mismatch", partial_jpeg(CroppedAreaImageHeightPixels=50), "p", "gpano_invalid"),
    ("gpano cylindrical", partial_jpeg(ProjectionType="cylindrical"), "p.jpg", "gpano_invalid"),
    (
        "gpano absurd sphere",
        partial_jpeg(FullPanoWidthPixels=10**9, FullPanoHeightPixels=5 * 10**8),
        "pano.jpg",
        "panorama_too_large",
    ),
    ("12-bit jpeg", jpeg_12bit(), "pano.jpg", "unsupported_colour_mode"),
]


@pytest.mark.parametrize(
    ("data", "name", "code"), [c[1:] for c in HOSTILE], ids=[c[0] for c in HOSTILE]
)
def test_hostile_images_end_in_a_code_with_nothing_left(tmp_path: Path, data, name, code):
    with pytest.raises(ModelError) as caught:
        run(tmp_path, data, name)
    assert caught.value.code == code, caught.value.detail
    json.dumps(caught.value.to_dict())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["upload"]  # no out, no staging


def test_inspect_reads_only_the_header(tmp_path: Path):
    """A header at the limit is described without decoding its (absent) pixels."""
    upload = tmp_path / "upload"
    upload.write_bytes(png_declaring(32768, 16384))
    report = inspect_file(upload, original_name="big.png")
    info = report["panorama"]
    assert (info["width"], info["tile_size"], len(info["levels"])) == (32768, 512, 6)
    assert info["tiles"] is None and info["preview"] is None
    limits = Limits(max_panorama_width=16384, max_panorama_height=8192)
    with pytest.raises(ModelError) as caught:
        inspect_file(upload, original_name="big.png", limits=limits)
    assert caught.value.code == "panorama_too_large"


def test_metadata_limit_is_configurable(tmp_path: Path):
    upload = tmp_path / "upload"
    upload.write_bytes(big_text_png(5000))
    inspect_file(upload, original_name="p.png")
    with pytest.raises(ModelError) as caught:
        inspect_file(upload, original_name="p.png", limits=Limits(max_image_metadata_bytes=4000))
    assert caught.value.code == "image_metadata_too_large"


def colour_at(view: Image.Image) -> np.ndarray:
    return np.asarray(view, dtype=np.float64)[view.height // 2, view.width // 2]


def test_render_view_looks_where_photo_sphere_viewer_does(tmp_path: Path):
    equirect = tmp_path / "eq.png"
    equirect.write_bytes(pano(2048, 1024, "PNG"))
    expected = gradient(2048, 1024).astype(np.float64)
    for yaw, column in [(0, 1024), (90, 1536), (-90, 512), (45, 1280)]:
        view = render_view(equirect, yaw, 0, 60, 64, 48)
        assert view.size == (64, 48) and view.mode == "RGB"
        assert np.abs(colour_at(view) - expected[512, column]).max() < 3, yaw
    up = render_view(equirect, 0, 45, 60, 64, 48)
    assert np.abs(colour_at(up) - expected[256, 1024]).max() < 3  # pitch up: towards row 0
    # The right edge of a view at yaw 0 with a 90° horizontal field looks 45° to the right.
    wide = np.asarray(render_view(equirect, 0, 0, 2 * math.degrees(math.atan(0.5)), 200, 100))
    assert abs(wide[50, 199, 0] - expected[512, 1280, 0]) < 4
    # Across the seam behind the viewer: no black column.
    behind = np.asarray(render_view(equirect, 180, 0, 60, 64, 48), dtype=np.float64)
    assert behind[..., 2].min() > 90
    for bad in [(0, 0, 60, 0, 48), (math.nan, 0, 60, 64, 48)]:
        with pytest.raises(ValueError):
            render_view(equirect, *bad)


def test_process_isolated_and_command_line(tmp_path: Path):
    upload = tmp_path / "pano.jpg"
    upload.write_bytes(pano(4096, 2048))
    # libvips' thread pool and the worker's imports fit in 1 GiB of address space.
    options = ProcessOptions(limits=Limits(memory_limit_bytes=1 << 30))
    result = process_isolated(upload, tmp_path / "iso", original_name="pano.jpg", options=options)
    assert result.report["kind"] == "panorama" and result.tiles == tmp_path / "iso" / "tiles"
    assert result.levels["preview"].is_file() and result.poster.is_file()
    proc = subprocess.run(
        [sys.executable, "-m", "models3d", "process", str(upload), "-o", str(tmp_path / "cli")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["panorama"]["levels"] == result.report["panorama"]["levels"]
    assert (tmp_path / "cli" / "tiles" / "0" / "0_0.jpg").is_file()
    bomb = tmp_path / "bomb.png"
    bomb.write_bytes(png_declaring(100_000, 50_000))
    proc = subprocess.run(
        [sys.executable, "-m", "models3d", "process", str(bomb), "-o", str(tmp_path / "no")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2 and json.loads(proc.stdout)["error"]["code"] == (
        "panorama_too_large"
    )
    assert not (tmp_path / "no").exists()


def test_a_killed_child_leaves_nothing_behind(tmp_path: Path):
    upload = tmp_path / "pano.jpg"
    upload.write_bytes(pano(1024, 512))
    stale = tmp_path / ".out.panorama-killed"  # as a child killed while staging leaves it
    (stale / "tiles").mkdir(parents=True)
    options = ProcessOptions(limits=Limits(time_limit_s=0.01))
    with pytest.raises(ModelError) as caught:
        process_isolated(upload, tmp_path / "out", original_name="pano.jpg", options=options)
    assert caught.value.code == "processing_timeout"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pano.jpg"]
