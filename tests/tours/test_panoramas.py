"""Panorama stops: authoring (start view, hotspots by direction, links), the published
document, how tourists get it, and bundles that carry panoramas and their tile sets."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from tours.authoring import AuthoringError, remove_stop, save_hotspot_text, translation_matrix
from tours.blobstore.local import LocalBlobStore
from tours.bundles import BundleLimits, bundle_bytes, bundle_schema, import_bundle
from tours.catalogue import tour_view
from tours.models import Hotspot, ModelAsset, Tour
from tours.offline import offline_media_keys
from tours.panoramas import check_view
from tours.panoramastops import add_panorama_hotspot, set_hotspot_link, set_panorama_view
from tours.publishing import publish_tour

LIMITS = BundleLimits(max_unpacked_bytes=50 * 1024 * 1024, max_files=200)


@pytest.mark.parametrize(
    ("yaw", "pitch", "fov", "expected"),
    [
        ("30", "-5", "70", {"yaw": 30.0, "pitch": -5.0, "fov": 70.0}),
        (190, 0, 75, {"yaw": -170.0, "pitch": 0.0, "fov": 75.0}),
        (-540, 90, 30, {"yaw": 180.0, "pitch": 90.0, "fov": 30.0}),
        (180, 0, 75, {"yaw": 180.0, "pitch": 0.0, "fov": 75.0}),
        (-180, 0, 75, {"yaw": 180.0, "pitch": 0.0, "fov": 75.0}),
        (0, 0, 29.9, None),
        (0, 0, 90.1, None),
        ("nan", 0, 75, None),
        ("inf", 0, 75, None),
        (0, 91, 75, None),
        (0, 0, 150, None),
        (0, 0, 5, None),
        ("x", 0, 75, None),
        (None, 0, 75, None),
        ("1e300", 0, 75, None),
    ],
)
def test_views_are_checked_and_normalised(
    yaw: Any, pitch: Any, fov: Any, expected: dict[str, float] | None
) -> None:
    assert check_view(yaw, pitch, fov) == expected


def test_start_view_hotspots_and_links_are_authored(db: Any, panorama_tour: Any) -> None:
    first, courtyard, hall = panorama_tour.stops[0], *panorama_tour.stops[2:]
    set_panorama_view(db, courtyard, "-100.5", "12", "60")
    assert courtyard.panorama_view == {"yaw": -100.5, "pitch": 12.0, "fov": 60.0}
    spot = add_panorama_hotspot(db, courtyard, 45, -10)
    assert (spot.yaw, spot.pitch, spot.link_stop_id, spot.position) == (45.0, -10.0, None, 2)
    set_hotspot_link(db, spot, first.id)
    assert spot.link_stop_id == first.id
    for bad in (courtyard.id, 10**6):
        with pytest.raises(AuthoringError) as raised:
            set_hotspot_link(db, spot, bad)
        assert raised.value.code == "invalid_link"
    for call, code in (
        (lambda: set_panorama_view(db, first, 0, 0, 75), "not_a_panorama_stop"),
        (lambda: add_panorama_hotspot(db, first, 0, 0), "not_a_panorama_stop"),
        (lambda: set_panorama_view(db, hall, 0, 100, 75), "invalid_view"),
        (lambda: add_panorama_hotspot(db, hall, "east", 0), "invalid_hotspot"),
    ):
        with pytest.raises(AuthoringError) as raised:
            call()
        assert raised.value.code == code
    assert hall.panorama_view == {"yaw": 30.0, "pitch": -5.0, "fov": 70.0}


def test_link_texts_are_in_the_translation_matrix(db: Any, panorama_tour: Any) -> None:
    courtyard = panorama_tour.stops[2]
    link = courtyard.hotspots[1]
    save_hotspot_text(db, link, "en", "Into the hall", "Through the main door.")
    _languages, rows = translation_matrix(panorama_tour)
    mine = [row for row in rows if row.hotspot_id == link.id]
    assert [(row.kind, row.stop, row.hotspot) for row in mine] == [
        ("label", 3, 2),
        ("body", 3, 2),
    ]
    assert mine[1].done == {"vi": False, "en": True}


def test_removing_a_stop_removes_the_links_to_it(db: Any, panorama_tour: Any) -> None:
    hall = panorama_tour.stops[3]
    remove_stop(db, hall)
    courtyard = panorama_tour.stops[2]
    assert [spot.link_stop_id for spot in courtyard.hotspots] == [None]
    assert db.query(Hotspot).filter(Hotspot.link_stop_id == hall.id).count() == 0


def test_published_document_carries_panorama_stops(db: Any, panorama_tour: Any) -> None:
    revision = publish_tour(db, panorama_tour)
    stops = revision.document["stops"]
    courtyard = stops[2]
    asset = panorama_tour.stops[2].model
    assert courtyard["model"] is None
    assert courtyard["view"] == {"yaw": 30.0, "pitch": -5.0, "fov": 70.0}
    assert courtyard["panorama"]["tiles"] == asset.tiles
    assert courtyard["panorama"]["preview"]["key"].startswith("panoramas/")
    assert courtyard["panorama"]["poster"] == asset.poster_key
    assert courtyard["hotspots"] == [
        {
            "yaw": -40.0,
            "pitch": 10.0,
            "label": {"vi": "Bia đá", "en": "Stele"},
            "body": {"vi": "Một tấm bia.", "en": "A stone stele."},
        },
        {
            "yaw": 90.0,
            "pitch": 0.0,
            "label": {"vi": "Vào điện", "en": "Into the hall"},
            "body": {},
            "link": 4,
        },
    ]
    assert stops[3]["hotspots"][1]["link"] == 1
    assert "panorama" not in stops[0] and stops[0]["model"]["levels"]
    view = tour_view(revision.document, revision.number, "en")
    shown = view.stops[2]
    assert (shown.panorama, shown.view, shown.levels) == (
        courtyard["panorama"],
        courtyard["view"],
        {},
    )
    assert [spot.label.text for spot in shown.spots] == ["Stele"]
    assert [(spot.label.text, spot.link) for spot in shown.links] == [("Into the hall", 4)]
    assert shown.poster_key == asset.poster_key


def test_publishing_needs_a_ready_panorama(db: Any, panorama_tour: Any) -> None:
    from tours.publishing import publish_problems

    panorama_tour.stops[3].model.status = "processing"
    db.commit()
    assert [(p.code, p.stop) for p in publish_problems(panorama_tour)] == [
        ("model_not_ready", 3),
        ("model_not_ready", 4),
    ]


def test_offline_copy_takes_the_preview_and_the_small_tiles(db: Any, panorama_tour: Any) -> None:
    revision = publish_tour(db, panorama_tour)
    view = tour_view(revision.document, revision.number, "vi")
    keys = offline_media_keys(view)
    asset = panorama_tour.stops[2].model
    tile_set = asset.tiles["set"]
    assert asset.levels["preview"]["key"] in keys
    assert asset.levels["equirect"]["key"] not in keys
    # the levels a phone uses offline: at most 2048 wide (both levels here)
    assert sorted(k for k in keys if k.startswith("tiles/")) == sorted(
        f"tiles/{tile_set}/{level}/{col}_{row}.jpg"
        for level, (cols, rows) in enumerate(((2, 1), (4, 2)))
        for col in range(cols)
        for row in range(rows)
    )
    assert len(keys) == len(set(keys))


def _manifest(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read("bundle.json")


def test_bundle_round_trip_with_panoramas(
    db: Any, store: Any, panorama_tour: Any, tmp_path: Path
) -> None:
    first = bundle_bytes(store, panorama_tour)
    manifest = json.loads(_manifest(first))
    jsonschema.validate(manifest, bundle_schema())
    tile_set = panorama_tour.stops[2].model.tiles["set"]
    tiles = [key for key in manifest["files"] if key.startswith(f"tiles/{tile_set}/")]
    assert len(tiles) == 10
    assert manifest["files"][tiles[0]]["type"] == "image/jpeg"
    db.delete(panorama_tour)
    db.commit()
    for asset in db.query(ModelAsset).all():
        db.delete(asset)
    db.commit()
    other = LocalBlobStore(tmp_path / "other")
    imported = import_bundle(db, other, io.BytesIO(first), LIMITS)
    courtyard, hall = imported.stops[2:]
    assert courtyard.model.kind == "panorama" and courtyard.model_asset_id == hall.model_asset_id
    assert courtyard.panorama_view == {"yaw": 30.0, "pitch": -5.0, "fov": 70.0}
    assert courtyard.hotspots[1].link_stop is hall
    assert hall.hotspots[1].link_stop is imported.stops[0]
    assert _manifest(bundle_bytes(other, imported)) == _manifest(first)
    assert db.query(ModelAsset).count() == 2  # the duck and the panorama


def _entries(store: Any, tour: Any) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(bundle_bytes(store, tour))) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _zip(entries: dict[str, bytes]) -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    buffer.seek(0)
    return buffer


def _refused(db: Any, store: Any, entries: dict[str, bytes]) -> str:
    with pytest.raises(AuthoringError) as raised:
        import_bundle(db, store, _zip(entries), LIMITS, slug="elsewhere")
    return raised.value.code


def _with_manifest(entries: dict[str, bytes], change: Any) -> dict[str, bytes]:
    manifest = json.loads(entries["bundle.json"])
    change(manifest)
    return {**entries, "bundle.json": json.dumps(manifest).encode()}


def test_bundle_import_checks_panoramas(db: Any, store: Any, panorama_tour: Any) -> None:
    entries = _entries(store, panorama_tour)
    tile = next(name for name in entries if name.startswith("files/tiles/"))
    key = tile.removeprefix("files/")
    # a tile whose bytes differ from the manifest
    assert _refused(db, store, {**entries, tile: b"\xff\xd8 other"}) == "blob_mismatch"

    # a tile replaced consistently in the manifest: the set no longer hashes to its name
    def swap(manifest: dict[str, Any]) -> None:
        import hashlib

        manifest["files"][key].update(sha256=hashlib.sha256(b"other").hexdigest(), bytes=5)

    swapped = _with_manifest({**entries, tile: b"other"}, swap)
    assert _refused(db, store, swapped) == "blob_mismatch"
    without = {name: data for name, data in entries.items() if name != tile}
    assert _refused(db, store, without) == "missing_blob"

    def self_link(manifest: dict[str, Any]) -> None:
        manifest["tour"]["stops"][2]["hotspots"][1]["link"] = 3

    def far_link(manifest: dict[str, Any]) -> None:
        manifest["tour"]["stops"][2]["hotspots"][1]["link"] = 99

    def link_on_model(manifest: dict[str, Any]) -> None:
        manifest["tour"]["stops"][0]["hotspots"][0]["link"] = 2

    for change in (self_link, far_link, link_on_model):
        assert _refused(db, store, _with_manifest(entries, change)) == "invalid_link"

    def bad_view(manifest: dict[str, Any]) -> None:
        manifest["tour"]["stops"][2]["view"] = {"yaw": 0, "pitch": 400, "fov": 75}

    def bad_tile_key(manifest: dict[str, Any]) -> None:
        manifest["tour"]["stops"][2]["panorama"]["tiles"]["set"] = "../../etc"

    for change in (bad_view, bad_tile_key):
        assert _refused(db, store, _with_manifest(entries, change)) == "schema_invalid"
    assert db.query(Tour).count() == 1
