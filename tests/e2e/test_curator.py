"""A new curator's whole journey in Chromium: sign in, upload a real model through the
upload UI, build a two-stop tour in Vietnamese and English with a hotspot and a camera
view, publish it, and open it as a tourist in both languages."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.e2e
EMAIL = "new.curator@example.org"
PASSWORD = "a long enough password"  # the one curator_studio gives its curator
LAPTOP = {"viewport": {"width": 1280, "height": 900}, "is_mobile": False, "has_touch": False}


@pytest.fixture(scope="module")
def studio_server(tmp_path_factory: pytest.TempPathFactory, curator_studio: Any) -> Iterator[str]:
    """An empty Heritour with one curator, jobs run as soon as they are queued."""
    # several tus chunks even for a small model
    root = tmp_path_factory.mktemp("curator")
    with curator_studio(root, EMAIL, UPLOAD_CHUNK_MB=1) as (url, _):
        yield url


def _viewer_ready(page: Any) -> None:
    page.wait_for_function(
        "() => { const v = document.querySelector('#stop-viewer'); return v && v.loaded; }",
        timeout=60_000,
    )


def _write_stop(page: Any, title: str, narration: str) -> None:
    page.locator("#stop-title").fill(title)
    page.locator("#narration").fill(narration)
    page.locator("#narration-preview strong").wait_for()  # the live preview, server-rendered
    page.locator("#narration").locator("xpath=ancestor::form").get_by_role(
        "button", name="Save texts"
    ).click()
    page.get_by_text("Saved.").wait_for()


def test_new_curator_builds_and_publishes_a_tour(
    studio_server: str, new_context: Any, testdata: Path
) -> None:
    context = new_context(studio_server, locale="en-US", **LAPTOP)
    page = context.new_page()
    page.goto("/studio/")
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Tours").wait_for()

    # Upload a real scan through the upload UI (tus, in chunks), then wait until it is ready.
    page.get_by_role("link", name="Model library").first.click()
    page.wait_for_url("**/studio/models/")
    page.wait_for_load_state()
    page.locator("#file").set_input_files(str(testdata / "Duck.glb"))
    page.locator("#models tr", has_text="Duck.glb").locator(".status-ready").wait_for(
        timeout=120_000
    )

    # A tour in Vietnamese (default) and English.
    page.goto("/studio/tours/new")
    page.get_by_label("Slug").fill("hanh-trinh")
    page.locator("#default_locale").fill("vi")
    page.get_by_label("Title in the default language").fill("Hành trình thử")
    page.get_by_role("button", name="Create the tour").click()
    tour_url = page.url
    page.get_by_role("button", name="+ English").click()
    page.locator("#tour-title").fill("A test journey")
    page.locator("#tour-summary").fill("Two stops with a duck.")
    page.locator("#tour-title").locator("xpath=ancestor::form").get_by_role(
        "button", name="Save texts"
    ).click()
    page.get_by_text("Saved.").wait_for()

    # Stop 1: texts in both languages, a camera view from the viewer, a hotspot on the model.
    page.locator("#new-stop-model").select_option(label="Duck.glb")
    page.get_by_role("button", name="Add a stop").click()
    stop_url = page.url.split("?")[0]
    _write_stop(page, "Con vịt", "Một con **vịt** vàng.")
    _viewer_ready(page)
    box = page.locator("#stop-viewer").bounding_box()
    centre = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.move(*centre)
    page.mouse.down()
    page.mouse.move(centre[0] + 120, centre[1] + 30, steps=8)
    page.mouse.up()
    page.get_by_role("button", name="Use this view").click()
    page.get_by_text("The camera view is saved.").wait_for()
    orbit = page.locator("#orbit").input_value()
    assert orbit.endswith("m") and "deg" in orbit
    page.get_by_role("button", name="Place a hotspot").click()
    page.mouse.click(*centre)
    page.locator("[id^=hotspot-] input[name=label]").first.wait_for()
    page.locator("[id^=hotspot-] input[name=label]").first.fill("Mỏ vịt")
    page.get_by_role("button", name="Save hotspot").click()
    page.get_by_text("Saved.").wait_for()
    page.goto(stop_url + "?lang=en")
    _write_stop(page, "The duck", "A yellow **duck**.")
    page.locator("[id^=hotspot-] input[name=label]").first.fill("Beak")
    page.get_by_role("button", name="Save hotspot").click()
    page.get_by_text("Saved.").wait_for()

    # Stop 2, then publish.
    page.goto(tour_url.split("?")[0])
    page.locator("#new-stop-model").select_option(label="Duck.glb")
    page.get_by_role("button", name="Add a stop").click()
    second = page.url.split("?")[0]
    _write_stop(page, "Mặt sau", "Phía **sau** con vịt.")
    page.goto(second + "?lang=en")
    _write_stop(page, "The back", "Behind the **duck**.")
    page.goto(tour_url.split("?")[0])
    page.get_by_text("Ready to publish.").wait_for()
    page.get_by_role("button", name="Publish", exact=True).click()
    page.get_by_text("Published revision 1.").wait_for()

    # The tourist's view, in both languages, on a phone.
    tourist = new_context(studio_server).new_page()
    for lang, title, stop, label in [
        ("vi", "Hành trình thử", "Con vịt", "Mỏ vịt"),
        ("en", "A test journey", "The duck", "Beak"),
    ]:
        tourist.goto(f"/{lang}/tours/hanh-trinh/")
        assert tourist.locator("h1").first.inner_text().strip().startswith(title)
        tourist.goto(f"/{lang}/tours/hanh-trinh/1")
        assert stop in tourist.locator("h1").first.inner_text()
        assert label in tourist.locator(".hotspot-list").inner_text()
        viewer = tourist.locator("model-viewer").first
        assert viewer.get_attribute("camera-orbit") == orbit
        poster = tourist.locator("figure.viewer img.poster").get_attribute("src") or ""
        assert poster.startswith("/media/posters/")
        tourist.goto(f"/{lang}/tours/hanh-trinh/2")
        assert ("Mặt sau" if lang == "vi" else "The back") in tourist.locator(
            "h1"
        ).first.inner_text()

    # Reorder the draft's stops by drag and drop, then back with the keyboard's buttons.
    page.goto(tour_url.split("?")[0])
    stops = page.locator("#stop-list li")
    with page.expect_navigation():  # the new order is saved, then the page reloads
        stops.nth(1).drag_to(stops.nth(0), target_position={"x": 20, "y": 5})
    page.locator("#stop-list li").first.filter(has_text="Mặt sau").wait_for()
    page.get_by_role("button", name="Move Mặt sau down").focus()
    page.keyboard.press("Enter")
    page.locator("#stop-list li").first.filter(has_text="Con vịt").wait_for()
