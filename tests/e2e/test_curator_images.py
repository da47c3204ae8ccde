"""A curator puts a photo in a narration through the studio; a phone shows it, sharp and
described, in the preview as a tourist."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

pytestmark = pytest.mark.e2e
EMAIL = "images@example.org"
LAPTOP = {"viewport": {"width": 1280, "height": 900}, "is_mobile": False, "has_touch": False}


@pytest.fixture(scope="module")
def studio_tour(
    tmp_path_factory: pytest.TempPathFactory, curator_studio: Any, one_stop_draft: Any
) -> Iterator[tuple[str, int, int]]:
    """A studio with one curator and a one-stop draft tour in vi: (url, tour id, stop id)."""
    seed = one_stop_draft("anh", {"vi": ("Ảnh", "", "Huế")})
    with curator_studio(tmp_path_factory.mktemp("images"), EMAIL, seed) as (url, ids):
        yield url, *ids


def test_photo_in_narration_from_upload_to_phone(
    studio_tour: tuple[str, int, int], new_context: Any, sign_in_curator: Any, tmp_path: Path
) -> None:
    url, tour_id, stop_id = studio_tour
    photo = tmp_path / "cong.jpg"
    Image.new("RGB", (2400, 1600), (180, 60, 40)).save(photo, "JPEG")
    curator = new_context(url, locale="en-US", **LAPTOP).new_page()
    sign_in_curator(curator, EMAIL)
    curator.goto(f"/studio/tours/{tour_id}/stops/{stop_id}?lang=vi")
    curator.locator("#image-file").set_input_files(str(photo))
    curator.locator("#image-alt").fill("Cổng gạch đỏ")
    curator.get_by_role("button", name="Upload image").click()
    curator.get_by_text("Image added.").wait_for()
    code = curator.locator("[id^=image-code-]").input_value()
    assert code.startswith("![](image:")
    narration = curator.locator("#narration")
    narration.fill(f"Lời kể.\n\n{code}")
    curator.locator("#narration-preview img[alt='Cổng gạch đỏ']").wait_for(timeout=60_000)
    narration.locator("xpath=ancestor::form").get_by_role("button", name="Save texts").click()
    curator.get_by_text("Saved.").wait_for()

    # The same session on a phone: the preview shows a copy fit for the screen.
    cookies = curator.context.cookies()
    phone = new_context(url, locale="vi-VN")
    phone.add_cookies(cookies)
    page = phone.new_page()
    page.goto(f"/studio/tours/{tour_id}/preview/vi/1")
    image = page.locator(".narration img[alt='Cổng gạch đỏ']")
    image.scroll_into_view_if_needed()
    page.wait_for_function(
        "(img) => img.complete && img.naturalWidth > 0", arg=image.element_handle(), timeout=60_000
    )
    chosen = image.evaluate("(img) => img.currentSrc")
    copy = Image.open(io.BytesIO(page.request.get(chosen).body()))
    # A 390-pixel-wide phone at density 2 needs at least 640 real pixels: not the 320 copy.
    assert copy.format == "WEBP" and copy.width in (640, 1280)
    assert not copy.getexif()
