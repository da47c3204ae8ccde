"""Point clouds through ingest: a real LAZ becomes ready levels; a hostile header is rejected."""

from __future__ import annotations

import io
import json
import struct
from pathlib import Path
from typing import Any

import pytest

from tours.blobstore import BlobStore
from tours.ingest import IngestSettings, process_asset, store_original
from tours.models import AssetStatus


@pytest.fixture
def settings(app: Any) -> IngestSettings:
    from webapp.extensions import jobs

    return jobs.settings


def test_real_laz_becomes_point_levels(
    db: Any, store: BlobStore, settings: IngestSettings, testdata: Path
) -> None:
    data = (testdata / "1_4_w_evlr.laz").read_bytes()
    asset = store_original(db, store, io.BytesIO(data), "1_4_w_evlr.laz", {})
    assert asset.original_key.endswith(".laz")
    assert process_asset(settings, asset.id) == AssetStatus.READY
    db.refresh(asset)
    assert (asset.status, asset.error_code) == (AssetStatus.READY, None)
    assert asset.report["kind"] == "point_cloud" and asset.report["points"] == 1000
    assert asset.report["crs"]["epsg"] == 2903
    for name, level in asset.levels.items():
        glb = store.read(level["key"])
        (length,) = struct.unpack_from("<I", glb, 12)
        doc = json.loads(glb[20 : 20 + length])
        assert doc["meshes"][0]["primitives"][0]["mode"] == 0
        assert level["points"] == asset.report["levels"][name]["points"] > 0
    assert asset.poster_key and store.read(asset.poster_key)[8:12] == b"WEBP"


def test_absurd_point_count_is_rejected(
    db: Any, store: BlobStore, settings: IngestSettings, testdata: Path
) -> None:
    data = bytearray((testdata / "1_4_w_evlr.laz").read_bytes())
    data[247:255] = (10**12).to_bytes(8, "little")
    asset = store_original(db, store, io.BytesIO(bytes(data)), "scan.laz", {})
    assert process_asset(settings, asset.id) == AssetStatus.REJECTED
    db.refresh(asset)
    assert (asset.error_code, asset.levels, asset.report) == ("too_many_points", {}, None)
    assert "point cloud has more points" in asset.error_message
