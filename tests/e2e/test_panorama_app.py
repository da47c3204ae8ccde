"""Panoramas through the app, in the browser: a curator uploads a 360° panorama in the studio,
sets the start view from the live viewer, places a hotspot and a link by clicking in it and
publishes; a tourist on a phone sees it drawn (pixels, not a blank canvas), follows the link
to its stop, and saves the tour for offline use with the panorama in it."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.e2e
EMAIL = "panorama.curator@example.org"
DESKTOP = {"viewport": {"width": 1280, "height": 900}, "locale": "en-US"}
PHONE = {
    "viewport": {"width": 412, "height": 915},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
    "locale": "en-US",
}
DRAWN = "() => document.getElementById('{id}')?.classList.contains('drawn')"
EDITOR_DRAWN = DRAWN.format(id="stop-panorama")
PAGE_DRAWN = DRAWN.format(id="panorama")


def _panorama_jpeg() -> bytes:
    """A 2048 × 1024 equirectangular picture: sky above, ground below, four coloured walls
    around (red ahead, green to the right, blue behind, yellow to the left)."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (2048, 1024), (120, 170, 230))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 512, 2048, 1024), fill=(150, 130, 100))
    walls = [
        (0, (200, 40, 40)),
        (512, (40, 160, 60)),
        (1024, (40, 60, 200)),
        (1536, (230, 200, 40)),
    ]
    for offset, colour in walls:  # centred on yaw 0, 90, 180, 270 (x = 1024 is yaw 0)
        left = (offset + 1024 - 160) % 2048
        draw.rectangle((left, 380, left + 320, 640), fill=colour)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def studio(tmp_path_factory: pytest.TempPathFactory, curator_studio: Any) -> Iterator[str]:
    root = tmp_path_factory.mktemp("panorama-app")
    with curator_studio(root, EMAIL) as (url, _seeded):
        yield url


def _upload(page: Any, path: Path) -> None:
    page.goto("/studio/models/")
    page.wait_for_load_state()
    page.locator("#file").set_input_files(str(path))
    row = page.locator("#models tr", has_text=path.name)
    row.locator(".status-ready").wait_for(timeout=180_000)


def _click_in_viewer(page: Any, dx: float = 0, dy: float = 0) -> None:
    box = page.locator("#stop-panorama").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2 + dx, box["y"] + box["height"] / 2 + dy)


def _curator(page: Any, jpeg: Path, sign_in: Any) -> str:
    """Upload, make a two-stop tour of the panorama, edit stop 1 in the live viewer,
    publish; returns the tour's slug (the file's stem)."""
    sign_in(page, EMAIL)
    _upload(page, jpeg)
    page.goto("/studio/tours/new")
    page.get_by_label("Slug").fill(jpeg.stem)
    page.locator("#default_locale").fill("en")
    page.get_by_label("Title in the default language").fill("The courtyard")
    page.get_by_role("button", name="Create the tour").click()
    tour_url = page.url.split("?")[0]
    for _ in range(2):
        page.goto(tour_url)
        page.locator("#new-stop-model").select_option(label=jpeg.name)
        page.get_by_role("button", name="Add a stop").click()
        page.locator("#narration").fill("A **courtyard**, all around.")
        page.locator("#narration").locator("xpath=ancestor::form").get_by_role(
            "button", name="Save texts"
        ).click()
        page.get_by_text("Saved.").wait_for()
    page.goto(tour_url)
    page.locator("#stop-list a").first.click()
    page.wait_for_function(EDITOR_DRAWN, timeout=120_000)

    # turn the view with the mouse, then keep it as the start view
    box = page.locator("#stop-panorama").bounding_box()
    centre = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.move(*centre)
    page.mouse.down()
    page.mouse.move(centre[0] - 200, centre[1], steps=10)
    page.mouse.up()
    with page.expect_response("**/panorama/view") as answer:
        page.get_by_role("button", name="Use this view").click()
    view = answer.value.json()["view"]
    assert view["yaw"] != 0  # the drag turned it
    page.get_by_text("The start view is saved.").wait_for()

    # a hotspot where the curator clicks
    page.get_by_role("button", name="Place a hotspot").click()
    with page.expect_navigation():  # the editor reloads to show the new hotspot's form
        _click_in_viewer(page)
    page.wait_for_load_state()
    assert page.locator(".hotspot-editor li").first.locator("select[name=link]").input_value() == ""
    page.locator(".hotspot-editor li").first.locator("input[name=label]").fill("The red wall")
    page.locator(".hotspot-editor li").first.get_by_role("button", name="Save hotspot").click()
    page.get_by_text("Saved.").wait_for()

    # a link to stop 2, where the curator clicks
    page.wait_for_function(EDITOR_DRAWN, timeout=120_000)
    page.locator("#link-target").select_option(label="Stop 2")
    page.get_by_role("button", name="Place a link").click()
    stop_two = page.locator("#link-target option", has_text="Stop 2").get_attribute("value")
    with page.expect_navigation():
        _click_in_viewer(page, dx=80, dy=-20)
    page.wait_for_load_state()
    link_select = page.locator(".hotspot-editor li").nth(1).locator("select[name=link]")
    assert link_select.input_value() == stop_two
    page.locator(".hotspot-editor li").nth(1).locator("input[name=label]").fill("Into the hall")
    page.locator(".hotspot-editor li").nth(1).get_by_role("button", name="Save hotspot").click()
    page.get_by_text("Saved.").wait_for()

    page.goto(tour_url)
    page.get_by_text("Ready to publish.").wait_for()
    page.get_by_role("button", name="Publish", exact=True).click()
    page.get_by_text("Published revision 1.").wait_for(timeout=180_000)
    return jpeg.stem


def _colours(png: bytes) -> set[tuple[int, int, int]]:
    """The distinct colours of a screenshot, rounded (JPEG and filtering blur them)."""
    import numpy as np
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB").resize((64, 64))
    return {(r, g, b) for r, g, b in (np.asarray(image) // 32).reshape(-1, 3).tolist()}


@pytest.mark.parametrize("source", ["generated", "mars-husband-hill.png"])
def test_curator_makes_a_panorama_stop_and_a_tourist_follows_it(
    studio: str, new_context: Any, sign_in_curator: Any, tmp_path: Path, testdata: Path, source: str
) -> None:
    """Once with a generated picture whose walls are known, once with a real photograph no
    one here made (a PNG with a transparent sky, see tests/data/README.md)."""
    if source == "generated":
        jpeg = tmp_path / "courtyard.jpg"
        jpeg.write_bytes(_panorama_jpeg())
    else:
        jpeg = testdata / source
    slug = _curator(new_context(studio, **DESKTOP).new_page(), jpeg, sign_in_curator)

    page = new_context(studio, **PHONE).new_page()
    page.goto(f"/en/tours/{slug}/1")
    # the poster paints first, then the viewer draws the panorama over it
    assert page.locator("#panorama img.poster").is_visible()
    page.wait_for_function(PAGE_DRAWN, timeout=120_000)
    colours = _colours(page.locator("#panorama").screenshot())
    assert len(colours) >= 3, colours  # walls, sky, ground: pixels, not a blank canvas
    # hotspot and link are in the page as HTML too, for screen readers and without JS
    assert page.locator(".hotspot-list li", has_text="The red wall").count() == 1
    assert page.locator(".panorama-links a", has_text="Into the hall").count() == 1
    # the link in the picture takes the tourist to stop 2
    marker = page.locator("a.panorama-link", has_text="Into the hall")
    marker.wait_for(timeout=60_000)
    marker.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/en/tours/{slug}/2")
    page.wait_for_function(PAGE_DRAWN, timeout=120_000)

    # saved for offline use: the panorama stops open without a network
    page.goto(f"/en/tours/{slug}/")
    page.click("#save-offline")
    page.wait_for_function(
        "() => document.getElementById('offline').dataset.state === 'saved'", timeout=120_000
    )
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=30_000)
    page.context.set_offline(True)
    for number in (1, 2):
        page.goto(f"/en/tours/{slug}/{number}")
        page.wait_for_function(PAGE_DRAWN, timeout=120_000)
        assert len(_colours(page.locator("#panorama").screenshot())) >= 3
    page.context.set_offline(False)
