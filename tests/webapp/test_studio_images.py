"""Images for texts through the studio: upload with a description, translated refusals of
hostile files, descriptions per language, the preview and the tourist page."""

from __future__ import annotations

import io
import re
import struct
import zlib
from typing import Any

import pytest
from PIL import Image


def _jpeg(size: tuple[int, int] = (1000, 500)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (90, 60, 30)).save(buffer, "JPEG")
    return buffer.getvalue()


def _bomb() -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    head = struct.pack(">IIBBBBB", 60_000, 60_000, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", head)
        + chunk(b"IDAT", zlib.compress(b""))
        + chunk(b"IEND", b"")
    )


def _upload(curator: Any, tour: Any, data: bytes, alt: str, lang: str = "vi") -> Any:
    return curator.post(
        f"/studio/tours/{tour.id}/images",
        data={
            "image": (io.BytesIO(data), "photo.jpg"),
            "alt": alt,
            "lang": lang,
            "stop": str(tour.stops[0].id),
        },
        content_type="multipart/form-data",
        follow_redirects=True,
    )


def test_upload_describe_and_show_an_image(curator: Any, draft_tour: Any, db: Any) -> None:
    page = _upload(curator, draft_tour, _jpeg(), "Tường gạch").get_data(as_text=True)
    (image,) = draft_tour.images
    code = f"![](image:{image.ref})"
    assert f"Image added. Write {code} in the narration or a hotspot text to show it." in page
    assert f'value="{code}" readonly' in page
    assert f'src="/media/{image.variants["320"]}"' in page
    # The description in English, then the image in both languages' narration.
    base = f"/studio/tours/{draft_tour.id}"
    curator.post(
        f"{base}/images/{image.id}/alt",
        data={"alt": "Brick wall", "lang": "en", "stop": str(draft_tour.stops[0].id)},
    )
    assert image.alt == {"vi": "Tường gạch", "en": "Brick wall"}
    preview = curator.post(
        f"/api/v1/narration/preview?tour={draft_tour.id}&lang=en", json={"markdown": code}
    )
    assert 'alt="Brick wall"' in preview.json["html"]
    assert f"/media/{image.variants['640']} 640w" in preview.json["html"]
    for text in draft_tour.stops[0].texts:
        text.narration += f"\n\n{code}"
    db.commit()
    assert "Published revision 1." in curator.post(
        f"{base}/publish", follow_redirects=True
    ).get_data(as_text=True)
    html = curator.get("/en/tours/citadel/1").get_data(as_text=True)
    assert re.search(r'<img src="/media/images/[0-9a-f]{64}\.webp" srcset="[^"]+ 1000w"', html)
    assert 'alt="Brick wall" loading="lazy">' in html


@pytest.mark.parametrize(
    ("data", "alt", "sentence"),
    [
        (b"", "x", "Le fichier image est vide."),
        (b"<svg onload=alert(1)>", "x", "Ce fichier n’est pas une image lisible"),
        (_bomb(), "x", "L’image a trop de pixels."),
        (_jpeg((20, 20)), "", "Décrivez l’image pour les visiteurs qui ne peuvent pas la voir."),
    ],
    ids=["empty", "not-an-image", "decompression-bomb", "no-description"],
)
def test_hostile_images_get_translated_sentences(
    curator: Any, draft_tour: Any, data: bytes, alt: str, sentence: str
) -> None:
    curator.set_cookie("lang", "fr")
    page = _upload(curator, draft_tour, data, alt).get_data(as_text=True)
    assert '<p class="flash error">' + sentence in page
    assert draft_tour.images == []


def test_publishing_needs_a_description_in_each_language_showing_the_image(
    curator: Any, draft_tour: Any, db: Any
) -> None:
    _upload(curator, draft_tour, _jpeg(), "Tường gạch")
    (image,) = draft_tour.images
    draft_tour.stops[1].texts[1].narration += f" ![](image:{image.ref})"  # English, stop 2
    db.commit()
    page = curator.get(f"/studio/tours/{draft_tour.id}").get_data(as_text=True)
    assert "Stop 2 shows an image with no description in English." in page
