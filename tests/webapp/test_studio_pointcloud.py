"""A laser scan uploaded in the studio: processed, and its report shown in French."""

from __future__ import annotations

import io
import re
from html import unescape
from pathlib import Path
from typing import Any


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def test_laz_upload_is_processed_and_reported(curator: Any, db: Any, testdata: Path) -> None:
    from tours.models import ModelAsset

    curator.get("/studio/language/fr")
    hint = text_of(curator.get("/studio/models/").get_data(as_text=True))
    assert "ou des relevés laser en LAS, LAZ, E57 ou points PLY" in hint
    data = (testdata / "simple.laz").read_bytes()
    response = curator.post(
        "/studio/models/",
        data={"file": (io.BytesIO(data), "simple.laz"), "up_axis": "auto", "unit": "m"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    asset = db.query(ModelAsset).one()
    db.refresh(asset)
    assert asset.status == "ready", asset.error_message
    page = text_of(curator.get(f"/studio/models/{asset.id}").get_data(as_text=True))
    assert "Nombre de points 1065" in page and "Nombre de triangles" not in page.split("Niveaux")[0]
    assert "1,065 points relevés" in page  # the levels table counts points, not triangles
    assert "Le relevé a été déplacé au centre de la vue" in page
    assert "637301.200, 851217.565, 496.485" in page  # the offset, in the file's units
    assert "Un fichier de relevé laser ne peut pas être affiché" in page


def test_unsupported_upload_names_the_scan_formats(curator: Any, db: Any) -> None:
    from tours.models import ModelAsset

    curator.get("/studio/language/en")
    curator.post(
        "/studio/models/",
        data={"file": (io.BytesIO(b"Kaydara FBX Binary  \0"), "m.fbx"), "up_axis": "auto"},
        content_type="multipart/form-data",
    )
    asset = db.query(ModelAsset).one()
    db.refresh(asset)
    assert asset.error_code == "unsupported_format"
    page = text_of(curator.get(f"/studio/models/{asset.id}").get_data(as_text=True))
    assert "a laser scan (point cloud) as LAS, LAZ, E57 or PLY" in page
    assert "or a 360° panorama as JPEG, PNG or WebP" in page
