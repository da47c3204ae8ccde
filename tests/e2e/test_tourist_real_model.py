"""A real model, put through the ingest pipeline, framed in the studio and seen by tourists.

CesiumMilkTruck.glb (textured, several meshes) comes out of the pipeline with a ``thumb``
that differs from ``low`` and ``medium``, so the viewer really swaps models. On every path
that swaps levels (the upgrade after the thumb, the visitor's own choice, and the fallback
when a level cannot be fetched, as offline), the poster must give way to the drawn model
on a phone (412 × 915). What a curator frames on a laptop stays in view on a phone, a tablet
and a desktop, the studio's phone preview shows it as the phone does, and the poster the
server draws at that camera lines up with the first 3D frame.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tours.db import migrate

pytestmark = pytest.mark.e2e
PHONE_412 = {"viewport": {"width": 412, "height": 915}}
TABLET = {"viewport": {"width": 768, "height": 1024}}
DESKTOP = {"viewport": {"width": 1280, "height": 900}, "is_mobile": False, "has_touch": False}
EMAIL, PASSWORD = "framer@example.org", "a long enough password"
MODEL = "CesiumMilkTruck.glb"
SCAN = "teapot.stl"
# the teapot is 63 "m" wide: an STL has no unit, so the numbers are taken as metres
HOTSPOT_VIEW = {"orbit": "-40deg 55deg 60m", "target": "20m 15m 0m", "field_of_view": "20deg"}
POSTER_HIDDEN = """() => {
    const poster = document.querySelector('figure.viewer img.poster');
    const style = getComputedStyle(poster);
    return style.visibility === 'hidden' && Number(style.opacity) === 0;
}"""


def _loaded(level: str) -> str:
    return f"document.querySelector('model-viewer')?.dataset.loaded === '{level}'"


@dataclass(frozen=True)
class Site:
    url: str
    keys: dict[str, str]  # blob key of each level
    tour_id: int
    stop_id: int
    scan_stop_id: int


@pytest.fixture(scope="module")
def real_site(
    tmp_path_factory: pytest.TempPathFactory, serve: Any, e2e_app: Any, testdata: Path
) -> Iterator[Site]:
    """One published stop showing ``MODEL`` as the ingest pipeline made it, and a curator."""
    from tours.accounts import create_user
    from tours.ingest import process_asset, store_original
    from tours.models import (
        AssetStatus,
        Hotspot,
        HotspotText,
        ModelAsset,
        Stop,
        StopText,
        Tour,
        TourText,
    )
    from tours.publishing import publish_tour
    from webapp.extensions import db, jobs

    app = e2e_app(tmp_path_factory.mktemp("real-model"))
    with app.app_context():
        migrate(db.engine)
        settings = jobs.settings
        data = io.BytesIO((testdata / MODEL).read_bytes())
        asset_id = store_original(db.session, settings.store, data, MODEL).id
        assert process_asset(settings, asset_id) == AssetStatus.READY
        levels = db.session.get(ModelAsset, asset_id).levels
        # the point of this model: the thumb is not the level a phone swaps to
        assert levels["thumb"]["key"] != levels["medium"]["key"] != levels["low"]["key"]
        tour = Tour(slug="truck", default_locale="en")
        tour.texts = [TourText(locale="en", title="A truck", summary="A real model.")]
        stop = Stop(position=0, model_asset_id=asset_id)
        stop.texts = [
            StopText(locale="en", title="The truck", narration="A truck.", model_alt="A truck")
        ]
        tour.stops.append(stop)
        # stop 2: an untextured scan (no units in an STL), with a hotspot that has its own view
        data = io.BytesIO((testdata / SCAN).read_bytes())
        scan_id = store_original(db.session, settings.store, data, SCAN).id
        assert process_asset(settings, scan_id) == AssetStatus.READY
        scan = Stop(position=1, model_asset_id=scan_id)
        scan.texts = [StopText(locale="en", title="The teapot", narration="A teapot.")]
        scan.hotspots = [
            Hotspot(
                position=0,
                surface_position="30m 15m 0m",
                view=HOTSPOT_VIEW,
                texts=[HotspotText(locale="en", label="Spout", body="The spout.")],
            )
        ]
        tour.stops.append(scan)
        db.session.add(tour)
        db.session.commit()
        publish_tour(db.session, tour)
        create_user(db.session, EMAIL, PASSWORD, "curator")
        keys = {level: entry["key"] for level, entry in levels.items()}
        ids = tour.id, stop.id, scan.id
    with serve(app) as url:
        yield Site(url, keys, *ids)


def _level_url(page: Any, level: str) -> str:
    url: str = page.evaluate(f"document.querySelector('model-viewer').dataset.{level}")
    return url


def test_poster_gives_way_after_each_level_swap(
    new_context: Any, real_site: Site, model_drawn: str
) -> None:
    page = new_context(real_site.url, **PHONE_412).new_page()
    page.goto("/en/tours/truck/1")
    # initial thumb, then the upgrade to the level that fits a phone
    page.wait_for_function(_loaded("medium"), timeout=60_000)
    page.wait_for_function(POSTER_HIDDEN, timeout=60_000)
    page.wait_for_function(model_drawn, timeout=60_000)
    loads = [
        e["level"]
        for e in page.evaluate("() => window.heritourViewer.events")
        if e["type"] == "load"
    ]
    assert loads == ["thumb", "medium"]
    # the visitor's own choice of detail
    page.get_by_label("Model detail").select_option("low")
    page.wait_for_function(_loaded("low"), timeout=60_000)
    assert page.evaluate(
        "() => document.querySelector('model-viewer').getAttribute('src')"
    ) == _level_url(page, "low")
    page.wait_for_function(POSTER_HIDDEN, timeout=60_000)
    page.wait_for_function(model_drawn, timeout=60_000)


def test_poster_gives_way_when_a_level_cannot_be_fetched(
    new_context: Any, real_site: Site, model_drawn: str
) -> None:
    keys = real_site.keys
    page = new_context(real_site.url, **PHONE_412).new_page()
    # as offline with only the saved (low) level: the medium level's request fails
    page.route(f"**/{keys['medium']}", lambda route: route.abort("internetdisconnected"))
    page.goto("/en/tours/truck/1")
    assert _level_url(page, "medium").endswith(keys["medium"])
    page.wait_for_function(_loaded("low"), timeout=60_000)
    page.wait_for_function(POSTER_HIDDEN, timeout=60_000)
    page.wait_for_function(model_drawn, timeout=60_000)
    events = page.evaluate("() => window.heritourViewer.events")
    assert [(e["type"], e.get("level")) for e in events if e["type"] in ("load", "error")] == [
        ("load", "thumb"),
        ("error", None),
        ("load", "low"),
    ]


# The camera as the viewer holds it, and the rectangle it has in view at the target's distance.
CAMERA_NOW = """() => {
    const viewer = document.querySelector('model-viewer');
    const orbit = viewer.getCameraOrbit(), target = viewer.getCameraTarget();
    const fov = viewer.getFieldOfView(), box = viewer.getBoundingClientRect();
    const halfHeight = orbit.radius * Math.tan(fov * Math.PI / 360);
    return {theta: orbit.theta, phi: orbit.phi, radius: orbit.radius, fov,
            target: [target.x, target.y, target.z], aspect: box.width / box.height,
            half_width: halfHeight * box.width / box.height, half_height: halfHeight};
}"""
BACKGROUND = (0xEF, 0xE9, 0xE1)  # the viewer's background, behind the poster too


def _outline(
    image: Any, background: tuple[int, int, int] = BACKGROUND
) -> tuple[float, float, float]:
    """Where the model is in a picture of the viewer (on its background colour), as shares
    of the width and height: its left and right edges across the middle band of rows (the
    ground shadow stays below it), and its top edge."""
    import numpy as np

    pixels = np.asarray(image.convert("RGB"), dtype=float)
    model = np.abs(pixels - background).sum(axis=2) > 60
    height, width = model.shape
    band = model[int(height * 0.3) : int(height * 0.7)]
    columns = np.nonzero(band.any(axis=0))[0]
    rows = np.nonzero(model[: int(height * 0.7)].any(axis=1))[0]
    return columns.min() / width, (columns.max() + 1) / width, rows.min() / height


def _poster_against_frame(
    page: Any, background: tuple[int, int, int] = BACKGROUND
) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """The outline of the server's poster (as the page chose it from srcset) and of the
    first 3D frame, once the model is drawn and the poster has faded out, both on
    ``background`` (another colour than the viewer's tells a white model from it)."""
    from PIL import Image

    source = page.evaluate("() => document.querySelector('figure.viewer img.poster').currentSrc")
    assert "/media/posters/" in source
    # the page at its top, as a visitor first sees it (a sticky header cannot cover the viewer)
    page.evaluate("() => window.scrollTo(0, 0)")
    # model-viewer's loading bar (it may still be fading out) is not part of the frame
    page.add_style_tag(content="model-viewer::part(default-progress-bar) { display: none; }")
    if background != BACKGROUND:
        colour = "rgb({}, {}, {})".format(*background)
        page.add_style_tag(content=f"model-viewer {{ background: {colour} !important; }}")
    box = page.locator("model-viewer").bounding_box()
    frame = Image.open(io.BytesIO(page.screenshot(clip=box)))
    poster = Image.open(io.BytesIO(page.request.get(source).body())).convert("RGBA")
    flat = Image.new("RGBA", poster.size, (*background, 255))
    flat.alpha_composite(poster)
    flat = flat.resize(frame.size, Image.Resampling.LANCZOS)
    return _outline(flat, background), _outline(frame, background)


FRAMED = """() => { const v = document.querySelector('model-viewer');
    return v.dataset.framedRadius && v.dataset.framedSrc === v.dataset[v.dataset.wanted]; }"""


def _sign_in(page: Any) -> None:
    page.goto("/studio/")
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Tours").wait_for()


def test_what_the_curator_frames_stays_in_view_on_every_screen(
    new_context: Any, real_site: Site
) -> None:
    studio = new_context(real_site.url, locale="en-US", **DESKTOP).new_page()
    _sign_in(studio)
    studio.goto(f"/studio/tours/{real_site.tour_id}/stops/{real_site.stop_id}")
    studio.wait_for_function("() => document.querySelector('#stop-viewer')?.loaded", timeout=60_000)
    # A close, wide view of the truck's side, as a curator would frame it on a laptop.
    studio.evaluate(
        """async () => { const v = document.querySelector('#stop-viewer');
        v.cameraOrbit = '90deg 80deg ' + (v.getCameraOrbit().radius * 0.55) + 'm';
        v.fieldOfView = '24deg'; v.jumpCameraToGoal(); await v.updateComplete;
        await new Promise((resolve) => setTimeout(resolve, 0)); }"""
    )
    curator = studio.evaluate(CAMERA_NOW)
    assert curator["aspect"] > 1.3  # a laptop's canvas, wider than tall
    # jobs run inside the request here: the answer comes once the posters are drawn
    with studio.expect_response("**/camera", timeout=180_000) as response:
        studio.get_by_role("button", name="Use this view").click()
    studio.get_by_text("The camera view is saved.").wait_for()
    saved = response.value.json()["camera"]
    framing = saved["framing"]
    assert framing["half_width"] == pytest.approx(curator["half_width"], rel=1e-3)
    assert framing["half_height"] == pytest.approx(curator["half_height"], rel=1e-3)

    # The studio's phone preview: the same rectangle, fitted to a 412 × 420 canvas.
    studio.get_by_role("button", name="As on a phone").click()
    studio.wait_for_function(
        "() => document.querySelector('#stop-viewer').dataset.preview === 'phone' "
        "&& document.querySelector('#stop-viewer').dataset.framedRadius",
        timeout=60_000,
    )
    preview = studio.evaluate(CAMERA_NOW)
    assert preview["aspect"] == pytest.approx(412 / 420, rel=0.01)

    studio.goto(f"/studio/tours/{real_site.tour_id}")
    studio.get_by_role("button", name="Publish again").click()
    studio.get_by_text(re.compile(r"Published revision \d+\.")).wait_for()

    seen = {}
    for name, options in [("phone", PHONE_412), ("tablet", TABLET), ("desktop", DESKTOP)]:
        page = new_context(real_site.url, **options).new_page()
        page.goto("/en/tours/truck/1")
        page.wait_for_function(FRAMED, timeout=60_000)
        seen[name] = camera = page.evaluate(CAMERA_NOW)
        # the whole framed rectangle is in view, and fills the canvas along one side
        ratios = (
            camera["half_width"] / framing["half_width"],
            camera["half_height"] / framing["half_height"],
        )
        assert min(ratios) == pytest.approx(1, abs=0.01), (name, ratios)
        assert camera["theta"] == pytest.approx(curator["theta"], abs=1e-3)
        assert camera["phi"] == pytest.approx(curator["phi"], abs=1e-3)
        assert camera["target"] == pytest.approx(curator["target"], abs=1e-3)
        if name == "phone":  # the server's poster lines up with the first frame
            page.wait_for_function(POSTER_HIDDEN, timeout=60_000)
            poster, frame = _poster_against_frame(page)
            assert poster == pytest.approx(frame, abs=0.02)  # within 2% of the canvas
            # AR apps get the level without meshopt compression (the stored levels have it)
            from urllib.parse import parse_qs, urlsplit

            from models3d.glb import glb_json

            intent = page.locator("#scene-viewer-link").get_attribute("href") or ""
            ar_file = parse_qs(urlsplit(intent.split("#")[0]).query)["file"][0]
            medium = page.evaluate("() => document.querySelector('model-viewer').dataset.medium")
            used = [
                glb_json(page.request.get(url).body()).get("extensionsUsed", [])
                for url in (medium, ar_file)
            ]
            assert "EXT_meshopt_compression" in used[0]
            assert "EXT_meshopt_compression" not in used[1]
    # a phone in portrait steps back to show the width a laptop showed
    assert seen["phone"]["radius"] > 1.3 * curator["radius"]
    assert seen["phone"]["radius"] == pytest.approx(preview["radius"], rel=0.02)


CLAY = """() => { const v = document.querySelector('model-viewer');
    return v.loaded && v.model.materials.length > 0 && v.model.materials.every((m) =>
        Math.abs(m.pbrMetallicRoughness.baseColorFactor[0] - 0.78) < 0.01
        && m.pbrMetallicRoughness.baseColorTexture.texture === null); }"""


def test_lighting_hotspot_views_and_real_size(new_context: Any, real_site: Site) -> None:
    studio = new_context(real_site.url, locale="en-US", **DESKTOP).new_page()
    _sign_in(studio)
    studio.goto(f"/studio/tours/{real_site.tour_id}/stops/{real_site.scan_stop_id}")
    studio.wait_for_function("() => document.querySelector('#stop-viewer')?.loaded", timeout=60_000)
    studio.get_by_label("Lighting").select_option("clay")  # previewed at once, unsaved
    studio.wait_for_function(CLAY, timeout=60_000)
    assert studio.locator("#stop-viewer").get_attribute("shadow-intensity") == "1.4"
    studio.get_by_role("button", name="Save the lighting").click()
    studio.get_by_text("The lighting is saved.").wait_for(timeout=180_000)
    studio.goto(f"/studio/tours/{real_site.tour_id}")
    studio.get_by_role("button", name="Publish again").click()
    studio.get_by_text(re.compile(r"Published revision \d+\.")).wait_for()

    page = new_context(real_site.url, **PHONE_412).new_page()
    page.goto("/en/tours/truck/2")
    page.wait_for_function(CLAY, timeout=60_000)  # the scan in clay on the tourist's phone
    assert page.locator("model-viewer").get_attribute("tone-mapping") == "neutral"
    assert page.get_by_role("button", name="Show the real size").count() == 0  # STL: no units
    page.get_by_role("button", name="1. Spout").click()
    # the camera eases to the hotspot's own direction and target (model-viewer keeps the
    # distance within its limits for this model)
    page.wait_for_function(
        """() => { const v = document.querySelector('model-viewer');
        const o = v.getCameraOrbit(), t = v.getCameraTarget();
        const deg = (radians) => radians * 180 / Math.PI;
        return Math.abs(deg(o.theta) + 40) < 0.5 && Math.abs(deg(o.phi) - 55) < 0.5
            && Math.abs(t.x - 20) < 0.01 && Math.abs(t.y - 15) < 0.01; }""",
        timeout=60_000,
    )

    page.goto("/en/tours/truck/1")  # a GLB: in metres by definition
    page.wait_for_function("() => document.querySelector('model-viewer')?.loaded", timeout=60_000)
    page.get_by_role("button", name="Show the real size").click()
    size = page.locator("#model-size")
    assert size.inner_text() == "Width 4.87 m, height 2.58 m, depth 2.79 m"
