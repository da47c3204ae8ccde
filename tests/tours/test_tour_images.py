"""Images in a tour's texts: stored like other media, shown with srcset and the alternative
text in the visitor's language, required before publishing, kept in offline packs."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from PIL import Image

from tours.catalogue import published_tour
from tours.images import ImageError, ImageLimits, add_tour_image, image_markdown, set_image_alt
from tours.offline import offline_media_keys
from tours.publishing import Problem, PublishError, publish_problems, publish_tour

LIMITS = ImageLimits(max_bytes=10**7, max_pixels=10**7)


def _jpeg(size: tuple[int, int] = (1600, 800)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (120, 90, 30)).save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.fixture
def image(db: Any, store: Any, draft_tour: Any) -> Any:
    return add_tour_image(
        db,
        store,
        draft_tour,
        _jpeg(),
        name="wall.jpg",
        locale="vi",
        alt="Tường gạch",
        limits=LIMITS,
    )


def test_images_are_stored_content_addressed(store: Any, image: Any) -> None:
    assert sorted(image.variants, key=int) == ["320", "640", "1280"]
    for target, key in image.variants.items():
        assert re.fullmatch(r"images/[0-9a-f]{64}\.webp", key)
        assert Image.open(io.BytesIO(store.read(key))).size == (int(target), int(target) // 2)


def test_the_same_picture_twice_is_one_image(
    db: Any, store: Any, draft_tour: Any, image: Any
) -> None:
    again = add_tour_image(
        db,
        store,
        draft_tour,
        _jpeg(),
        name="copy.jpg",
        locale="en",
        alt="Brick wall",
        limits=LIMITS,
    )
    assert again.id == image.id and len(draft_tour.images) == 1
    assert again.alt == {"vi": "Tường gạch", "en": "Brick wall"}


def test_alt_text_is_required_on_upload(db: Any, store: Any, draft_tour: Any) -> None:
    with pytest.raises(ImageError) as caught:
        add_tour_image(
            db, store, draft_tour, _jpeg(), name="x.jpg", locale="vi", alt="  ", limits=LIMITS
        )
    assert caught.value.code == "image_alt_missing"
    assert draft_tour.images == []


def test_texts_show_images_with_the_visitors_alt_text(
    db: Any, store: Any, draft_tour: Any, image: Any
) -> None:
    stop = draft_tour.stops[0]
    for text in stop.texts:
        text.narration += f"\n\n{image_markdown(image.ref)}"
    stop.hotspots[0].texts[0].body = f"Xem {image_markdown(image.ref)}"
    # English shows the image but has no alternative text yet: publishing says so.
    assert publish_problems(draft_tour) == [Problem("image_alt_missing", 1, "en")]
    with pytest.raises(PublishError):
        publish_tour(db, draft_tour)
    set_image_alt(db, image, "en", "A brick wall")
    publish_tour(db, draft_tour)

    keys = image.variants
    for lang, alt in (("vi", "Tường gạch"), ("en", "A brick wall")):
        view = published_tour(db, "citadel", lang)
        assert view is not None
        html = view.stops[0].narration_html
        assert (
            f'<img src="/media/{keys["640"]}" srcset="/media/{keys["320"]} 320w, '
            f'/media/{keys["640"]} 640w, /media/{keys["1280"]} 1280w" '
            f'sizes="(max-width: 700px) 100vw, 640px" width="1600" height="800" alt="{alt}" '
            'loading="lazy">'
        ) in html
    vi = published_tour(db, "citadel", "vi")
    assert vi is not None and f"/media/{keys['320']} 320w" in vi.stops[0].hotspots[0].body_html
    # A saved copy of the tour keeps the pictures.
    assert set(keys.values()) <= set(offline_media_keys(vi))


def test_unknown_references_and_other_hosts_show_nothing(
    db: Any, draft_tour: Any, image: Any
) -> None:
    stop = draft_tour.stops[0]
    stop.texts[0].narration = (
        "A ![](image:0000000000000000) B ![x](https://evil.example/a.png) "
        "C ![y](image:zz) D ![z](/media/posters/a.webp)"
    )
    db.commit()
    publish_tour(db, draft_tour)
    view = published_tour(db, "citadel", "vi")
    assert view is not None
    html = view.stops[0].narration_html
    assert "evil.example" not in html and "image:" not in html
    # Unknown references show nothing; an image from another host loses its address.
    assert html == '<p>A  B <img alt="x"> C  D <img src="/media/posters/a.webp" alt="z"></p>\n'
