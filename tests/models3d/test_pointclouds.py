"""Point clouds: LAS/LAZ/E57/PLY read in chunks, voxel levels as glTF POINTS, hostile files."""

from __future__ import annotations

import json
import struct
from pathlib import Path

import laspy
import numpy as np
import pytest
from m3d_inputs import (
    TESTDATA,
    e57_with_broken_xml,
    las_declaring,
    ply_points,
    small_e57,
    small_las,
)
from PIL import Image

from models3d import Limits, ModelError, inspect_file
from models3d.detect import sniff_bytes
from models3d.formats import las as las_module
from models3d.formats.las import check_chunk_table
from models3d.options import LEVELS, ProcessOptions
from models3d.pipeline import process_file
from models3d.voxels import VoxelSampler, voxel_keys

SMALL_BUDGETS = {"thumb": 100, "low": 300, "medium": 600, "high": 900}


def _doc(glb: bytes) -> dict:
    (length,) = struct.unpack_from("<I", glb, 12)
    return json.loads(glb[20 : 20 + length])


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / "upload"  # stored by content hash: no extension on disk
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        ((TESTDATA / "simple.laz").read_bytes()[:4096], "laz"),
        ((TESTDATA / "autzen_geo_proj.las").read_bytes()[:4096], "las"),
        ((TESTDATA / "1_4_w_evlr.laz").read_bytes()[:4096], "laz"),
        (b"ASTM-E57" + b"\0" * 40, "e57"),
    ],
    ids=["laz 1.2", "las 1.2", "laz 1.4", "e57"],
)
def test_detected_by_signature(head: bytes, expected: str) -> None:
    assert sniff_bytes(head, 100_000) == expected


def test_laz_named_las_is_read_as_laz(tmp_path: Path) -> None:
    path = _write(tmp_path, "scan.las", (TESTDATA / "simple.laz").read_bytes())
    report = inspect_file(path, original_name="scan.las")
    assert (report["format"], report["points"]) == ("laz", 1065)


def test_real_laz_processed_into_points_levels(tmp_path: Path) -> None:
    options = ProcessOptions(point_budgets=SMALL_BUDGETS)
    result = process_file(
        TESTDATA / "simple.laz", tmp_path / "out", original_name="simple.laz", options=options
    )
    report = result.report
    assert (report["kind"], report["format"], report["points"]) == ("point_cloud", "laz", 1065)
    assert report["points_read"] == 1065 and report["colours"] == "rgb"
    counts = []
    for name in LEVELS:
        glb = result.levels[name].read_bytes()
        doc = _doc(glb)
        (prim,) = doc["meshes"][0]["primitives"]
        assert prim["mode"] == 0 and set(prim["attributes"]) == {"POSITION", "COLOR_0"}
        assert "EXT_meshopt_compression" in doc["extensionsUsed"]
        assert "KHR_mesh_quantization" in doc["extensionsUsed"]
        count = doc["accessors"][prim["attributes"]["POSITION"]]["count"]
        assert count == report["levels"][name]["points"] <= SMALL_BUDGETS[name]
        assert report["levels"][name]["validator"]["numErrors"] == 0
        counts.append(count)
    assert counts == sorted(counts) and counts[0] < counts[-1]
    assert counts[0] > SMALL_BUDGETS["thumb"] // 3  # the budget is used, not wasted
    poster = Image.open(result.poster)
    assert poster.size == (512, 512)
    alpha = np.asarray(poster.convert("RGBA"))[:, :, 3]
    assert 0.02 < (alpha > 0).mean() < 0.9  # points drawn on a transparent background
    (note,) = [n for n in report["notes"] if n["code"] == "point_cloud_subsampled"]
    assert note["detail"]["points"] == "1,065"
    assert note["detail"]["kept"] == f"{counts[-1]:,}"
    saved = json.loads((tmp_path / "out" / "report.json").read_text())
    assert saved["levels"]["high"]["points"] == counts[-1]


def test_geotiff_keys_in_feet_become_metres() -> None:
    path = TESTDATA / "autzen_geo_proj.las"
    report = inspect_file(path, original_name="autzen_geo_proj.las")
    crs = report["crs"]
    assert crs["epsg"] == 2994 and crs["linear_unit"] == "foot"
    assert crs["geotiff_keys"]["proj_linear_units"] == 9002
    assert report["scale"] == pytest.approx(0.3048) and report["georeferenced"]
    with laspy.open(str(path)) as reader:
        mins, maxs = np.array(reader.header.mins), np.array(reader.header.maxs)
    assert report["offset"] == pytest.approx(list((mins + maxs) / 2))
    size_m = (maxs - mins) * 0.3048
    # Z-up turned Y-up: (x, y, z) -> (x, z, -y); centred on the offset.
    assert report["size"] == pytest.approx([size_m[0], size_m[2], size_m[1]], abs=1e-5)
    assert report["bounds"]["min"] == pytest.approx([-v / 2 for v in report["size"]], abs=1e-5)
    assert report["colours"] == "intensity"
    codes = {note["code"]: note["detail"] for note in report["notes"]}
    assert codes["point_cloud_units_converted"] == {"unit": "foot"}
    assert codes["point_cloud_recentred"]["offset"].startswith("637240.455, 851170.080")


def test_wkt_crs_in_us_feet_from_a_las_1_4_laz() -> None:
    report = inspect_file(TESTDATA / "1_4_w_evlr.laz", original_name="1_4_w_evlr.laz")
    assert report["format_version"] == "1.4" and report["points"] == 1000
    assert report["crs"]["epsg"] == 2903  # the projected CRS, not its vertical part
    assert report["crs"]["wkt"].startswith('PROJCS["NAD83(HARN) / New Mexico Central (ftUS)"')
    assert report["crs"]["linear_unit"] == "US survey foot"
    assert report["scale"] == pytest.approx(1200 / 3937)


def test_georeferenced_scan_is_recentred_and_intensity_is_grey(tmp_path: Path) -> None:
    data = small_las(400, point_format=1, version="1.2")  # no colours: intensity only
    path = _write(tmp_path, "scan.las", data)
    result = process_file(path, tmp_path / "out", original_name="scan.las")
    assert result.report["offset"][0] == pytest.approx(500_005.0, abs=0.1)
    doc = _doc(result.levels["high"].read_bytes())
    accessor = doc["accessors"][doc["meshes"][0]["primitives"][0]["attributes"]["POSITION"]]
    # Bounds are in the node's dequantised frame: metres around the origin, not 500 km away.
    node = doc["nodes"][0]
    scale = np.array(node.get("scale", [1, 1, 1]))
    translation = np.array(node.get("translation", [0, 0, 0]))
    lo = np.array(accessor["min"]) * scale + translation
    hi = np.array(accessor["max"]) * scale + translation
    assert np.all(np.abs(lo) < 6) and np.all(np.abs(hi) < 6)
    assert result.report["colours"] == "intensity"


def _colours_of(tmp_path: Path, name: str, data: bytes) -> tuple[dict, np.ndarray]:
    path = _write(tmp_path, name, data)
    options = ProcessOptions(point_budgets=SMALL_BUDGETS)
    result = process_file(path, tmp_path / "out", original_name=name, options=options)
    doc, glb = _doc(result.levels["high"].read_bytes()), result.levels["high"].read_bytes()
    assert doc["meshes"][0]["primitives"][0]["mode"] == 0
    poster = np.asarray(Image.open(result.poster).convert("RGBA"))
    drawn = poster[poster[:, :, 3] == 255][:, :3].astype(int)
    assert len(glb) > 0 and len(drawn) > 100
    return result.report, drawn


def test_cloud_within_budget_keeps_every_point(tmp_path: Path) -> None:
    path = _write(tmp_path, "scan.laz", small_las(20_000, compressed=True))
    las = laspy.read(str(path))
    distinct = len(np.unique(np.stack([las.X, las.Y, las.Z], axis=1), axis=0))
    result = process_file(path, tmp_path / "out", original_name="scan.laz")
    assert result.report["points_read"] == 20_000
    assert result.report["levels"]["high"]["points"] == distinct > 19_990  # only duplicates go
    levels = result.report["levels"]
    assert [levels[n].get("same_as") for n in LEVELS] == ["low", "medium", "high", None]
    assert "point_cloud_subsampled" not in {n["code"] for n in result.report["notes"]}


def test_e57_with_colours(tmp_path: Path) -> None:
    report, drawn = _colours_of(tmp_path, "scan.e57", small_e57(1000))
    assert (report["format"], report["points"], report["colours"]) == ("e57", 1000, "rgb")
    assert np.abs(np.median(drawn, axis=0) - [200, 40, 10]).max() <= 8  # its red, not grey


def test_e57_scans_are_placed_by_their_pose(tmp_path: Path) -> None:
    path = _write(tmp_path, "two.e57", small_e57(500, second_scan_at=(10.0, 0.0, 3.0)))
    report = inspect_file(path, original_name="two.e57")
    assert report["points"] == 1000
    # One slab is 4 x 2 x 0.5 m; the second stands 10 m along x and 3 m up (Z-up -> Y-up).
    assert report["size"] == pytest.approx([14.0, 3.5, 2.0], abs=0.05)


@pytest.mark.parametrize(
    ("binary", "colour", "check"),
    [
        (True, "rgb", lambda d: np.abs(np.median(d, axis=0) - [10, 200, 30]).max() <= 8),
        (False, "intensity", lambda d: np.median(np.abs(d[:, 0] - d[:, 1])) <= 4 < d.std()),
        (True, "none", lambda d: np.abs(np.median(d, axis=0) - 170).max() <= 4),
    ],
    ids=["binary rgb", "ascii intensity", "binary plain"],
)
def test_ply_point_clouds(tmp_path: Path, binary: bool, colour: str, check) -> None:
    report, drawn = _colours_of(tmp_path, "pts.ply", ply_points(500, binary=binary, colour=colour))
    assert (report["format"], report["points"], report["colours"]) == ("ply", 500, colour)
    assert check(drawn)


@pytest.mark.parametrize(
    ("name", "data", "limits", "code"),
    [
        ("huge.las", las_declaring(10**12), None, "too_many_points"),
        ("over.las", small_las(200), Limits(max_points=150), "too_many_points"),
        ("lying.las", las_declaring(10**6), None, "parse_error"),  # the file holds 200
        ("broken.e57", e57_with_broken_xml(), None, "parse_error"),
        ("e57.las", small_e57(50), None, "content_mismatch"),
        ("over.e57", small_e57(200), Limits(max_points=150), "too_many_points"),
        (
            "huge.ply",
            b"ply\nformat binary_little_endian 1.0\nelement vertex 1000000000000\n"
            b"property float x\nproperty float y\nproperty float z\nend_header\n" + bytes(12),
            None,
            "too_many_points",
        ),
        ("short.ply", ply_points(500)[:-100], None, "parse_error"),
    ],
    ids=[
        "10^12 points",
        "over the limit",
        "count past the end",
        "broken E57 XML",
        "misnamed",
        "E57 over the limit",
        "PLY declaring 10^12",
        "PLY cut short",
    ],
)
def test_hostile_headers_refused_before_reading(tmp_path: Path, name, data, limits, code) -> None:
    path = _write(tmp_path, name, data)
    with pytest.raises(ModelError) as caught:
        process_file(
            path,
            tmp_path / "out",
            original_name=name,
            options=ProcessOptions(limits=limits or Limits()),
        )
    assert caught.value.code == code, caught.value.detail
    assert not (tmp_path / "out").exists()


def _laz_with(tmp_path: Path, damage: str) -> Path:
    data = bytearray(small_las(120_000, point_format=3, version="1.2", compressed=True))
    start = struct.unpack_from("<I", data, 96)[0]
    table = struct.unpack_from("<q", data, start)[0]
    if damage == "table offset":
        struct.pack_into("<q", data, start, len(data) + 10**9)
    elif damage == "table header":  # the decoder would try to allocate 64 GB and abort
        data[table : table + 8] = b"\xff" * 8
    elif damage == "table entries":  # read in order, the entries are not needed
        data[table + 8 :] = b"\x13" * (len(data) - table - 8)
    else:  # the first chunk's arithmetic-coded bytes
        data[start + 8 : start + 400] = bytes(392)
    return _write(tmp_path, "scan.laz", bytes(data))


def test_laz_with_garbage_chunk_table_entries_is_read_in_order(tmp_path: Path) -> None:
    good = _write(tmp_path, "good.laz", small_las(120_000, point_format=3, compressed=True))
    assert check_chunk_table(good, good.read_bytes()[:375], 120_000)  # multi-thread read
    path = _laz_with(tmp_path, "table entries")
    assert not check_chunk_table(path, path.read_bytes()[:375], 120_000)  # read in order
    result = process_file(path, tmp_path / "out", original_name="scan.laz")
    assert result.report["points_read"] == 120_000


@pytest.mark.parametrize("damage", ["table offset", "table header", "chunk data"])
def test_corrupt_laz_chunk_table_is_parse_error(tmp_path: Path, damage: str) -> None:
    path = _laz_with(tmp_path, damage)
    with pytest.raises(ModelError) as caught:
        process_file(path, tmp_path / "out", original_name="scan.laz")
    assert caught.value.code == "parse_error"
    assert "LAZ" in caught.value.detail["reason"]


def test_read_in_chunks_with_bounded_memory(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(las_module, "CHUNK_POINTS", 5_000)
    seen: list[int] = []
    real_add = VoxelSampler.add

    def spy(self: VoxelSampler, xyz: np.ndarray, rgb: np.ndarray) -> None:
        if self.budget == 3000:  # the streaming pass (lower levels come from it in memory)
            seen.append(len(xyz))
        real_add(self, xyz, rgb)
        assert self._held <= 2 * self.budget  # never more than twice the budget in memory

    monkeypatch.setattr(VoxelSampler, "add", spy)
    path = _write(tmp_path, "scan.laz", small_las(40_000, compressed=True))
    options = ProcessOptions(
        point_budgets={"thumb": 500, "low": 1000, "medium": 2000, "high": 3000}
    )
    result = process_file(path, tmp_path / "out", original_name="scan.laz", options=options)
    assert seen == [5_000] * 8  # eight chunks, never the whole cloud at once
    assert result.report["points_read"] == 40_000
    assert 1_000 < result.report["levels"]["high"]["points"] <= 3_000


def test_voxel_sampler_keeps_one_point_per_voxel_deterministically() -> None:
    rng = np.random.default_rng(7)
    xyz = rng.uniform(0, 10, size=(50_000, 3))
    rgb = rng.integers(0, 255, size=(50_000, 3), dtype=np.uint8)
    lo, hi = np.zeros(3), np.full(3, 10.0)
    runs = []
    for _ in range(2):
        sampler = VoxelSampler(4_000, lo, hi)
        for start in range(0, len(xyz), 7_000):
            sampler.add(xyz[start : start + 7_000], rgb[start : start + 7_000])
        runs.append(sampler.result())
    out_xyz, out_rgb = runs[0]
    assert np.array_equal(out_xyz, runs[1][0]) and np.array_equal(out_rgb, runs[1][1])
    assert 1_000 < len(out_xyz) <= 4_000
    keys = voxel_keys(out_xyz.astype(np.float64), lo, sampler.voxel)
    assert len(np.unique(keys)) == len(keys)
    # Every kept point is one of the input points, with its own colour.
    index = {tuple(p): i for i, p in enumerate(xyz.astype(np.float32))}
    for p, c in zip(out_xyz[:200], out_rgb[:200], strict=True):
        assert np.array_equal(rgb[index[tuple(p)]], c)


WKT2 = (
    'PROJCRS["NAD83 / California zone 3 (ftUS)",BASEGEOGCRS["NAD83",DATUM["North American '
    'Datum 1983",ELLIPSOID["GRS 1980",6378137,298.257222101,LENGTHUNIT["metre",1]]],'
    'ANGLEUNIT["degree",0.0174532925199433],ID["EPSG",4269]],CONVERSION["SPCS83 California '
    'zone 3 (US Survey feet)",METHOD["Lambert Conic Conformal (2SP)",ID["EPSG",9802]]],'
    'CS[Cartesian,2],AXIS["easting (X)",east,ORDER[1],LENGTHUNIT["US survey foot",'
    '0.304800609601219]],ID["EPSG",2227]]'
)
WKT1_METRES = (
    'PROJCS["WGS 84 / UTM zone 48N",GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",'
    '6378137,298.257223563]],UNIT["degree",0.0174532925199433],AUTHORITY["EPSG","4326"]],'
    'PROJECTION["Transverse_Mercator"],UNIT["metre",1,AUTHORITY["EPSG","9001"]],'
    'AUTHORITY["EPSG","32648"]]'
)


@pytest.mark.parametrize(
    ("wkt", "epsg", "unit", "scale"),
    [
        (WKT2, 2227, "US survey foot", 0.304800609601219),
        (WKT1_METRES, 32648, "metre", 1.0),
        (
            'GEOGCS["WGS 84",UNIT["degree",0.0174532925199433],AUTHORITY["EPSG","4326"]]',
            4326,
            None,
            1.0,
        ),
    ],
    ids=["WKT2 in US feet", "WKT1 UTM in metres", "geographic"],
)
def test_crs_from_wkt(wkt: str, epsg: int, unit: str | None, scale: float) -> None:
    from models3d.formats.crs import crs_from_wkt

    crs, found = crs_from_wkt(wkt)
    assert (crs["epsg"], crs.get("linear_unit"), found) == (epsg, unit, pytest.approx(scale))


@pytest.mark.parametrize(
    ("keys", "epsg", "scale"),
    [
        ({1024: 1, 3072: 2227, 3076: 9003}, 2227, 1200 / 3937),
        ({1024: 1, 3072: 32648, 3076: 9001}, 32648, 1.0),
        ({1024: 2, 2048: 4326}, 4326, 1.0),
        ({1024: 1, 3072: 32767}, None, 1.0),  # user-defined: no EPSG code to report
    ],
)
def test_crs_from_geokeys(keys: dict[int, int], epsg: int | None, scale: float) -> None:
    from models3d.formats.crs import crs_from_geokeys

    crs, found = crs_from_geokeys(keys)
    assert (crs.get("epsg"), found) == (epsg, pytest.approx(scale))
