"""The studio's model report in the curator's language: notes, validator, levels, verdict."""

from __future__ import annotations

import io
import json
import re
import struct
from html import unescape
from pathlib import Path
from typing import Any

import pytest

from models3d.glb import read_glb

REPORT: dict[str, Any] = {
    "format": "glb",
    "triangles": 4212,
    "textures": [{"width": 2048, "height": 2048}] * 4 + [{"width": 1024, "height": 1024}] * 5,
    "texture_gpu_bytes": 4 * 22369621 + 5 * 5592405,
    "notes": [
        {"code": "glb_padding_repaired", "detail": {}},
        {"code": "texture_not_uploaded", "detail": {"file": "scan.jpg"}},
        "an English note from an older report",
    ],
    "validator": {
        "numErrors": 0,
        "numWarnings": 1,
        "numInfos": 1,
        "messages": [
            {
                "code": "IMAGE_FEATURES_UNSUPPORTED",
                "message": "Image format not supported.",
                "pointer": "/images/0",
                "severity": 1,
            },
            {"code": "SOME_NEW_CODE", "message": "Validator text.", "severity": 2},
        ],
    },
    "phone_ready": {
        "verdict": False,
        "reasons": [{"code": "texture_memory_too_large", "message": "English."}],
    },
    "levels": {
        "thumb": {"triangles": 12, "texture_gpu_bytes": 349525, "same_as": "low"},
        "low": {"triangles": 12, "texture_gpu_bytes": 349525},
        "medium": {"triangles": 12, "texture_gpu_bytes": 349525},
        "high": {
            "triangles": 12,
            "texture_gpu_bytes": 6 << 20,
            "texture_rgba8_bytes": 48 << 20,
            "ktx2": True,
        },
    },
}


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def report_page(curator: Any, db: Any, asset: Any, lang: str) -> str:
    asset.report = json.loads(json.dumps(REPORT))
    db.commit()
    curator.get(f"/studio/language/{lang}")
    response = curator.get(f"/studio/models/{asset.id}")
    assert response.status_code == 200
    return text_of(response.get_data(as_text=True))


def test_report_in_french(curator: Any, db: Any, ready_asset: Any) -> None:
    page = report_page(curator, db, ready_asset, "fr")
    assert "Ce qui a été fait à votre fichier" in page
    assert "n'étaient pas alignées sur 4 octets" in page
    assert "La texture scan.jpg que nomme le modèle n'était pas dans l'envoi" in page
    assert "an English note from an older report" in page
    # severities as words, the validator's sentence translated when the code is known
    assert "Avertissement: Une image utilise des fonctions" in page
    assert "Info: Validator text." in page  # an unknown code keeps its English text
    assert "Le Khronos glTF Validator a vérifié votre fichier tel que vous l'avez envoyé" in page
    # GPU memory: 4 × 2048² + 5 × 1024² as RGBA8 with mipmaps is 112 MiB
    assert "Mémoire des textures sur un téléphone 112,0 MiB" in page
    assert "plus de 64 Mio de mémoire" in page
    # level names translated, the identical level said to be stored once
    assert "Vignette Même fichier que le niveau Basse, stocké une seule fois" in page
    assert "0,3 MiB" in page
    # a KTX2 level: its GPU memory and what plain images would take
    assert "6,0 MiB, compressée sur le GPU (KTX2) ; 48,0 MiB en images ordinaires" in page


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("vi", ["Những gì đã làm với tệp của bạn", "Cảnh báo", "Hình thu nhỏ", "Cao"]),
        ("ja", ["ファイルに行った処理", "警告", "サムネイル", "テクスチャーのメモリー"]),
        ("en", ["What was done to your file", "Warning", "Thumbnail", "Same file as Low"]),
    ],
)
def test_report_in_other_languages(
    curator: Any, db: Any, ready_asset: Any, lang: str, words: list[str]
) -> None:
    page = report_page(curator, db, ready_asset, lang)
    for word in words:
        assert word in page
    assert "IMAGE_FEATURES_UNSUPPORTED" in page  # the code stays, for searching the docs


def unpadded(data: bytes) -> bytes:
    doc, binary = read_glb(data)
    text = json.dumps(doc, separators=(",", ":")).encode()
    text += b" " * ((1 - len(text)) % 4)
    body = struct.pack("<II", len(text), 0x4E4F534A) + text
    body += struct.pack("<II", len(binary or b""), 0x004E4942) + (binary or b"")
    return b"glTF" + struct.pack("<II", 2, 12 + len(body)) + body


def test_unpadded_upload_is_accepted_and_the_page_says_so(
    curator: Any, db: Any, testdata: Path
) -> None:
    from tours.models import ModelAsset

    data = unpadded((testdata / "BoxTextured.glb").read_bytes())
    curator.get("/studio/language/en")
    response = curator.post(
        "/studio/models/",
        data={"file": (io.BytesIO(data), "box.glb"), "up_axis": "auto", "unit": "m"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    asset = db.query(ModelAsset).one()
    db.refresh(asset)
    assert asset.status == "ready", asset.error_message
    assert asset.report["notes"] == [{"code": "glb_padding_repaired", "detail": {}}]
    page = text_of(curator.get(f"/studio/models/{asset.id}").get_data(as_text=True))
    assert "were not aligned to 4 bytes as the standard asks" in page
    assert "Thumbnail Same file as Low, stored once" in page  # 12 triangles: one file
    assert "Warning: An image uses features" in page  # BoxTextured's own validator warning


def test_large_upload_says_the_validator_checked_its_structure(
    curator: Any, db: Any, ready_asset: Any
) -> None:
    REPORT["validator"]["scope"] = "structure"
    try:
        page = report_page(curator, db, ready_asset, "ko")
    finally:
        REPORT["validator"].pop("scope")
    assert "파일이 커서 검사기는 구조만 검사했습니다" in page
