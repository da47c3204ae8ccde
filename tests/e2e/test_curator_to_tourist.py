"""The acceptance test of issue 9: real models of each kind, from the curator to the tourist.

A curator on a laptop uploads a real file through the studio's upload page (a textured OBJ
in a zip, an untextured STL, a GLB with several textures, and a scan whose levels of detail
differ), waits until it is ready, makes a tour with a stop showing it, turns and zooms the
model with the mouse, frames it with "Use this view" and publishes. A tourist on a phone
(412 × 915) then opens the stop: the poster gives way once the model is drawn, and again
after a level swap where the levels differ; the framed region is in view on a phone, a
tablet and a desktop; and the server's poster lines up with the first 3D frame.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_tourist_real_model import (
    CAMERA_NOW,
    DESKTOP,
    FRAMED,
    PHONE_412,
    POSTER_HIDDEN,
    TABLET,
    _poster_against_frame,
)

from tours.db import migrate

pytestmark = pytest.mark.e2e
EMAIL, PASSWORD = "accepting.curator@example.org", "a long enough password"
# name, whether its levels must differ (a tourist then swaps levels)
MODELS = [
    ("fuze.zip", False),
    ("teapot.stl", False),
    ("AlphaBlendModeTest.glb", True),
    ("CesiumMilkTruck.glb", True),  # bunny.ply comes out with one level for all four
]
# the level the tourist's page wants is the one it shows, and model-viewer has drawn it
SHOWS_WANTED = """() => { const v = document.querySelector('model-viewer');
    return v && v.loaded && v.dataset.wanted
        && v.getAttribute('src') === v.dataset[v.dataset.wanted]; }"""
# white models (the teapot, the truck's roof) hardly stand out from the viewer's light
# background: the poster and the frame are compared on black (no ground shadow shows on it)
DARK = (0, 0, 0)
OFFERED = """() => { const v = document.querySelector('model-viewer');
    const options = [...document.querySelectorAll('#model-detail option')];
    return Object.fromEntries(options.filter((o) => o.value && v.dataset[o.value])
        .map((o) => [o.value, v.dataset[o.value]])); }"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, serve: Any, e2e_app: Any) -> Iterator[Any]:
    """An empty Heritour with one curator, jobs run as soon as they are queued; yields the
    served URL and the app (to read what the pipeline made)."""
    from tours.accounts import create_user
    from webapp.extensions import db

    app = e2e_app(tmp_path_factory.mktemp("curator-to-tourist"))
    with app.app_context():
        migrate(db.engine)
        create_user(db.session, EMAIL, PASSWORD, "curator")
    with serve(app) as url:
        yield url, app


def _levels(app: Any, name: str) -> dict[str, str]:
    """The blob key of each level the pipeline made from the upload called ``name``."""
    from sqlalchemy import select

    from tours.models import ModelAsset
    from webapp.extensions import db

    with app.app_context():
        asset = db.session.scalars(select(ModelAsset).where(ModelAsset.name == name)).one()
        return {level: entry["key"] for level, entry in asset.levels.items()}


def _curator_publishes(page: Any, testdata: Path, name: str, slug: str) -> dict[str, Any]:
    """Upload, make a tour and a stop, frame the model with the mouse, publish; return the
    camera the curator saw and the framing the server saved."""
    page.goto("/studio/")
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Tours").wait_for()

    page.get_by_role("link", name="Model library").first.click()
    page.wait_for_url("**/studio/models/")
    page.wait_for_load_state()
    page.locator("#file").set_input_files(str(testdata / name))
    page.locator("#models tr", has_text=name).locator(".status-ready").wait_for(timeout=180_000)

    page.goto("/studio/tours/new")
    page.get_by_label("Slug").fill(slug)
    page.locator("#default_locale").fill("en")
    page.get_by_label("Title in the default language").fill(f"A tour of {name}")
    page.get_by_role("button", name="Create the tour").click()
    tour_url = page.url.split("?")[0]
    page.locator("#new-stop-model").select_option(label=name)
    page.get_by_role("button", name="Add a stop").click()
    page.locator("#stop-title").fill(f"The {name}")
    page.locator("#narration").fill("A real model, as uploaded.")
    page.locator("#narration-preview strong, #narration-preview p").first.wait_for()
    page.locator("#narration").locator("xpath=ancestor::form").get_by_role(
        "button", name="Save texts"
    ).click()
    page.get_by_text("Saved.").wait_for()

    # Turn the model with the mouse and zoom in with the wheel, as a curator would.
    page.wait_for_function("() => document.querySelector('#stop-viewer')?.loaded", timeout=120_000)
    box = page.locator("#stop-viewer").bounding_box()
    centre = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.move(*centre)
    page.mouse.down()
    page.mouse.move(centre[0] + 140, centre[1], steps=8)
    page.mouse.up()
    before = page.evaluate(CAMERA_NOW)
    page.mouse.wheel(0, -240)
    # model-viewer eases the camera towards the goal: let it arrive, then read it
    page.evaluate(
        """async () => { const v = document.querySelector('#stop-viewer');
        v.jumpCameraToGoal(); await v.updateComplete;
        await new Promise((resolve) => setTimeout(resolve, 0)); }"""
    )
    curator = page.evaluate(CAMERA_NOW)
    assert curator["radius"] < before["radius"]  # the wheel zoomed in
    assert curator["aspect"] > 1.3  # a laptop's canvas, wider than tall
    with page.expect_response("**/camera", timeout=180_000) as response:
        page.get_by_role("button", name="Use this view").click()
    page.get_by_text("The camera view is saved.").wait_for(timeout=180_000)
    framing = response.value.json()["camera"]["framing"]
    assert framing["half_width"] == pytest.approx(curator["half_width"], rel=1e-3)
    assert framing["half_height"] == pytest.approx(curator["half_height"], rel=1e-3)

    page.goto(tour_url)
    page.get_by_text("Ready to publish.").wait_for()
    page.get_by_role("button", name="Publish", exact=True).click()
    page.get_by_text("Published revision 1.").wait_for(timeout=180_000)
    return {"curator": curator, "framing": framing}


@pytest.mark.parametrize(("name", "levels_differ"), MODELS)
def test_a_real_upload_from_the_studio_to_a_tourists_phone(
    site: Any, new_context: Any, testdata: Path, model_drawn: str, name: str, levels_differ: bool
) -> None:
    url, app = site
    slug = name.split(".")[0].lower()
    studio = new_context(url, locale="en-US", **DESKTOP).new_page()
    saved = _curator_publishes(studio, testdata, name, slug)
    curator, framing = saved["curator"], saved["framing"]
    keys = _levels(app, name)
    if levels_differ:
        assert len(set(keys.values())) > 1, keys

    seen = {}
    for screen, options in [("phone", PHONE_412), ("tablet", TABLET), ("desktop", DESKTOP)]:
        page = new_context(url, **options).new_page()
        page.goto(f"/en/tours/{slug}/1")
        page.wait_for_function(FRAMED, timeout=120_000)
        seen[screen] = camera = page.evaluate(CAMERA_NOW)
        # the whole framed rectangle is in view, and fills the canvas along one side
        ratios = (
            camera["half_width"] / framing["half_width"],
            camera["half_height"] / framing["half_height"],
        )
        assert min(ratios) == pytest.approx(1, abs=0.01), (screen, ratios)
        assert camera["theta"] == pytest.approx(curator["theta"], abs=1e-3)
        assert camera["phi"] == pytest.approx(curator["phi"], abs=1e-3)
        assert camera["target"] == pytest.approx(curator["target"], abs=1e-3)
        if screen != "phone":
            continue
        # the poster gives way once the level the phone wants is drawn
        page.wait_for_function(SHOWS_WANTED, timeout=120_000)
        page.wait_for_function(POSTER_HIDDEN, timeout=120_000)
        page.wait_for_function(model_drawn, timeout=120_000)
        # a level swap (to a level that is another file) hides the poster again once drawn
        shown = page.evaluate("() => document.querySelector('model-viewer').getAttribute('src')")
        offered = page.evaluate(OFFERED)  # the levels the visitor may choose, and their URLs
        others = [level for level, level_url in offered.items() if level_url != shown]
        assert bool(others) == levels_differ, (offered, shown)
        for level in others:
            page.get_by_label("Model detail").select_option(level)
            page.wait_for_function(SHOWS_WANTED, timeout=120_000)
            assert (
                page.evaluate("() => document.querySelector('model-viewer').dataset.wanted")
                == level
            )
            page.wait_for_function(POSTER_HIDDEN, timeout=120_000)
            page.wait_for_function(model_drawn, timeout=120_000)
        # the server's poster lines up with the first 3D frame (within 2% of the canvas)
        first = new_context(url, **PHONE_412).new_page()
        first.goto(f"/en/tours/{slug}/1")
        first.wait_for_function(SHOWS_WANTED, timeout=120_000)
        first.wait_for_function(POSTER_HIDDEN, timeout=120_000)
        first.wait_for_function(model_drawn, timeout=120_000)
        poster, frame = _poster_against_frame(first, DARK)
        assert poster == pytest.approx(frame, abs=0.02), curator
    # a phone in portrait steps back to show what a laptop showed
    assert seen["phone"]["radius"] > seen["desktop"]["radius"]
