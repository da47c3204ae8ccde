"""The 360° panorama viewer (webapp/static/js/panorama.js) in Chromium on a phone viewport.

The pages are a static fixture site (panorama_site.py: pictures and tiles painted with Pillow,
the app's own static files), not the Flask app: this tests the viewer alone. It draws the
picture, turns by touch, pinch, keys and the device's orientation, opens hotspots, follows
links, picks the tile level by device and network, gives the studio its API, and steps into
the panorama under an emulated WebXR headset (IWER, the npm devDependency ``iwer``, injected by
the test only) and shows no headset button without one.
"""

from __future__ import annotations

import colorsys
import io
import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from headset import INSTALL_HEADSET, IWER
from panorama_site import STOPS, site, site_app
from PIL import Image

pytestmark = pytest.mark.e2e

VISIBLE = "() => (window.heritourPanorama?.events || []).some((e) => e.type === 'visible')"
VIEW = "() => window.heritourPanorama.panorama.getView()"
DESKTOP = {
    "viewport": {"width": 1280, "height": 800},
    "device_scale_factor": 1,
    "is_mobile": False,
    "has_touch": False,
}
SAVE_DATA = (
    "Object.defineProperty(navigator, 'connection', { configurable: true,"
    " get: () => ({ saveData: true, effectiveType: '4g', downlink: 10 }) });"
)


@pytest.fixture(scope="module")
def panorama_url(tmp_path_factory: pytest.TempPathFactory, serve: Any) -> Iterator[str]:
    root = site(tmp_path_factory.mktemp("panorama-site"))
    (root / "studio.html").write_text(STUDIO_PAGE)
    with serve(site_app(root)) as url:
        yield url


def open_stop(
    new_context: Any, url: str, name: str = "a", *, scripts: tuple[str, ...] = (), **options: Any
) -> Any:
    """A guarded phone page (unless ``options`` say otherwise) showing stop ``name``, once the
    viewer has drawn its first frame; ``scripts`` run before the page's own."""
    context = new_context(url, **options)
    for script in scripts:
        if script.endswith(".js") and Path(script).exists():
            context.add_init_script(path=script)
        else:
            context.add_init_script(script=script)
    page = context.new_page()
    page.requests = []
    page.on("request", lambda request: page.requests.append(request.url.removeprefix(url)))
    page.goto(f"/stops/{name}.html")
    page.wait_for_function(VISIBLE, timeout=60_000)
    return page


def fetched(part: str) -> str:
    """A page function: whether the page has fetched a URL containing ``part``."""
    return f"performance.getEntriesByType('resource').some((e) => e.name.includes('{part}'))"


GYROSCOPE_PRESSED = "document.querySelector('[data-panorama=gyroscope]').ariaPressed === '{}'"
PANORAMA = "window.heritourPanorama"


def stage_picture(page: Any) -> Image.Image:
    """What the viewer's canvas shows on screen."""
    return Image.open(io.BytesIO(page.locator("#panorama .psv-canvas").screenshot())).convert("RGB")


def hue_at_centre(picture: Image.Image) -> float:
    """The hue (0..1) of the middle of the picture, a little above the horizon (a grid line)."""
    width, height = picture.size
    red, green, blue = (
        picture.crop((width // 2 + 12, height // 2 - 40, width // 2 + 28, height // 2 - 24))
        .resize((1, 1))
        .getpixel((0, 0))
    )
    return colorsys.rgb_to_hsv(red / 255, green / 255, blue / 255)[0]


def painted_hue(name: str, yaw: float) -> float:
    """The hue panorama_site.paint gives the direction ``yaw`` (degrees) of stop ``name``."""
    return (STOPS[name]["hue"] + (yaw + 180) / 360) % 1


def hue_distance(a: float, b: float) -> float:
    return min(abs(a - b), 1 - abs(a - b))


def touch(page: Any, kind: str, points: list[tuple[float, float]]) -> None:
    """A touch event through Chromium's input pipeline (as a finger on the screen)."""
    if not hasattr(page, "cdp"):
        page.cdp = page.context.new_cdp_session(page)
    page.cdp.send(
        "Input.dispatchTouchEvent",
        {
            "type": kind,
            "touchPoints": [{"x": x, "y": y, "id": i} for i, (x, y) in enumerate(points)],
        },
    )


def stage_box(page: Any) -> dict[str, float]:
    box: dict[str, float] = page.locator("#panorama .panorama-stage").bounding_box()
    return box


def test_draws_the_panorama_and_hides_the_poster(new_context: Any, panorama_url: str) -> None:
    page = open_stop(new_context, panorama_url)
    page.wait_for_function(
        "() => getComputedStyle(document.querySelector('#panorama .poster')).visibility"
        " === 'hidden'"
    )
    picture = stage_picture(page)
    assert len(picture.resize((64, 64)).getcolors(4096) or []) > 50, "the canvas shows no picture"
    # Straight ahead (yaw 0) is the middle of the painted picture.
    assert hue_distance(hue_at_centre(picture), painted_hue("a", 0)) < 0.04
    assert page.evaluate(VIEW) == {"yaw": 0, "pitch": 0, "fov": 75}
    # The preview first, then tiles of the level a phone needs; nothing from the biggest level.
    page.wait_for_function(fetched("/tiles/1/"))
    assert "/pano/a/preview.jpg" in page.requests
    assert not [url for url in page.requests if "/tiles/2/" in url]
    assert "/pano/a/equirect.jpg" not in page.requests


def test_touch_drag_and_pinch_turn_and_zoom(new_context: Any, panorama_url: str) -> None:
    page = open_stop(new_context, panorama_url)
    before = hue_at_centre(stage_picture(page))
    box = stage_box(page)
    y = box["y"] + box["height"] / 2
    page.evaluate(
        "() => document.getElementById('panorama')"
        ".addEventListener('panorama:view', (e) => { window.moved = e.detail; })"
    )
    touch(page, "touchStart", [(box["x"] + 300, y)])
    for step in range(1, 11):
        touch(page, "touchMove", [(box["x"] + 300 - step * 20, y)])
    touch(page, "touchEnd", [])
    # A drag to the left turns the view to the right (and says so once the view settles).
    page.wait_for_function("() => window.moved !== undefined && window.moved.yaw > 15")
    page.wait_for_function(f"JSON.stringify(window.moved) === JSON.stringify(({VIEW})())")
    assert page.url.endswith("/stops/a.html"), (
        "the drag must not be taken for a swipe to the next stop"
    )
    turned = hue_at_centre(stage_picture(page))
    assert hue_distance(turned, painted_hue("a", page.evaluate(VIEW)["yaw"])) < 0.05
    assert hue_distance(turned, before) > 0.03

    fov = page.evaluate(VIEW)["fov"]
    cx = box["x"] + box["width"] / 2
    touch(page, "touchStart", [(cx - 40, y), (cx + 40, y)])
    for step in range(1, 11):
        touch(page, "touchMove", [(cx - 40 - step * 10, y), (cx + 40 + step * 10, y)])
    touch(page, "touchEnd", [])
    page.wait_for_function(f"window.heritourPanorama.panorama.getView().fov < {fov - 5}")


def test_keyboard_turns_the_focused_picture(new_context: Any, panorama_url: str) -> None:
    page = open_stop(new_context, panorama_url)
    stage = page.locator("#panorama .panorama-stage")
    stage.focus()
    assert stage.get_attribute("aria-label") == STOPS["a"]["alt"]
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "() => Math.abs(window.heritourPanorama.panorama.getView().yaw - 20) < 0.5"
    )
    page.keyboard.press("ArrowLeft")
    page.wait_for_function(
        "() => Math.abs(window.heritourPanorama.panorama.getView().yaw - 10) < 0.5"
    )
    page.keyboard.press("+")
    page.wait_for_function("() => window.heritourPanorama.panorama.getView().fov < 75")
    assert page.url.endswith("/stops/a.html"), "arrow keys on the picture must not change stop"


# The view's yaw once it has not moved for ten animation frames.
SETTLED_YAW = f"""() => new Promise((resolve) => {{
    let last = null, same = 0;
    const tick = () => {{
        const yaw = {PANORAMA}.panorama.getView().yaw;
        same = yaw === last ? same + 1 : 0;
        last = yaw;
        if (same >= 10) resolve(yaw); else requestAnimationFrame(tick);
    }};
    tick();
}})"""


def test_device_orientation_turns_the_view_after_the_button(
    new_context: Any, panorama_url: str
) -> None:
    page = open_stop(new_context, panorama_url)
    cdp = page.context.new_cdp_session(page)
    cdp.send("DeviceOrientation.setDeviceOrientationOverride", {"alpha": 0, "beta": 90, "gamma": 0})
    button = page.locator("[data-panorama=gyroscope]")
    button.wait_for(state="visible")
    assert button.get_attribute("aria-pressed") == "false"
    button.click()
    page.wait_for_function(GYROSCOPE_PRESSED.format("true"))
    # The view first turns to the phone's present orientation: start once it has settled.
    start = page.evaluate(SETTLED_YAW)
    # The phone turns 60 degrees to the left (alpha grows counter-clockwise): so does the view.
    cdp.send(
        "DeviceOrientation.setDeviceOrientationOverride", {"alpha": 60, "beta": 90, "gamma": 0}
    )
    page.wait_for_function(
        f"Math.abs((({PANORAMA}.panorama.getView().yaw - ({start}) + 540) % 360) - 180 + 60) < 3"
    )
    button.click()
    page.wait_for_function(GYROSCOPE_PRESSED.format("false"))


def test_a_hotspot_opens_its_text_by_touch_and_keyboard(
    new_context: Any, panorama_url: str
) -> None:
    page = open_stop(new_context, panorama_url)
    spot = page.get_by_role("button", name="1. Bronze urn")
    note = page.locator("#panorama .panorama-note")
    assert note.is_hidden()
    spot.tap()
    assert spot.get_attribute("aria-expanded") == "true"
    assert note.locator("h3").inner_text() == "Bronze urn"
    assert note.locator(".panorama-note-body").inner_html() == "<p>Cast in <em>1835</em>.</p>"
    assert note.get_attribute("aria-live") == "polite"
    # A round button a finger can hit, and the open text drawn over the markers, not under.
    box = spot.bounding_box()
    assert box["width"] == box["height"] >= 44
    # Looking up, the markers (on the horizon) slide down under the text.
    page.evaluate("() => window.heritourPanorama.panorama.setView({ yaw: 0, pitch: 30 })")
    under_the_note = """() => {
        const note = document.querySelector('#panorama .panorama-note');
        const n = note.getBoundingClientRect();
        let covered = 0, shown = 0;
        for (const marker of document.querySelectorAll('#panorama .psv-marker')) {
            const m = marker.getBoundingClientRect();
            const x = Math.max(m.left, n.left) + 1, y = Math.max(m.top, n.top) + 1;
            if (x >= Math.min(m.right, n.right) || y >= Math.min(m.bottom, n.bottom)) continue;
            if (document.elementFromPoint(x, y).closest('.panorama-note')) covered += 1;
            else shown += 1;
        }
        return covered > 0 && shown === 0;
    }"""
    page.wait_for_function(under_the_note)
    spot.focus()
    page.keyboard.press("Enter")
    assert note.is_hidden() and spot.get_attribute("aria-expanded") == "false"
    page.keyboard.press("Enter")
    assert note.is_visible()
    page.keyboard.press("Escape")
    assert note.is_hidden()


def test_a_link_goes_to_its_stop(new_context: Any, panorama_url: str) -> None:
    page = open_stop(new_context, panorama_url)
    link = page.get_by_role("link", name="Through the gate")
    assert link.get_attribute("href") == "/stops/b.html"
    link.tap()
    page.wait_for_url("**/stops/b.html")
    page.wait_for_function(VISIBLE, timeout=60_000)
    assert hue_distance(hue_at_centre(stage_picture(page)), painted_hue("b", 0)) < 0.04


def test_no_headset_button_without_webxr(new_context: Any, panorama_url: str) -> None:
    page = open_stop(new_context, panorama_url)
    page.wait_for_function(
        "() => window.heritourPanorama.events.some((e) => e.type === 'vr-supported')"
    )
    assert (
        page.evaluate(
            "() => window.heritourPanorama.events.find((e) => e.type === 'vr-supported').supported"
        )
        is False
    )
    assert page.locator("[data-panorama=vr]").is_hidden()


def aim(page: Any, yaw: float, pitch: float) -> None:
    """Point the emulated right controller from the headset's place towards ``yaw`` (to the
    right) and ``pitch`` (up), in degrees, relative to the start view."""
    turn, tilt = math.radians(-yaw) / 2, math.radians(pitch) / 2
    # Turn about the vertical axis, then tilt about the turned horizontal axis.
    w = math.cos(turn) * math.cos(tilt)
    x = math.cos(turn) * math.sin(tilt)
    y = math.sin(turn) * math.cos(tilt)
    z = -math.sin(turn) * math.sin(tilt)
    page.evaluate(
        f"""() => {{
        const device = window.xrDevice, hand = device.controllers.right;
        hand.position.set(device.position.x, device.position.y, device.position.z);
        hand.quaternion.set({x}, {y}, {z}, {w});
    }}"""
    )


def pull_trigger(page: Any) -> None:
    """Press and release the right controller's trigger (a WebXR select), a few frames each."""
    for value in (1, 0):
        page.evaluate(
            "(value) => { window.pressedAt = window.heritourPanorama.xr.frames;"
            " window.xrDevice.controllers.right.updateButtonValue('trigger', value); }",
            value,
        )
        page.wait_for_function("() => window.heritourPanorama.xr.frames > window.pressedAt + 2")


def test_headset_steps_in_and_follows_a_link_inside_the_session(
    new_context: Any, panorama_url: str
) -> None:
    page = open_stop(new_context, panorama_url, scripts=(str(IWER), INSTALL_HEADSET))
    button = page.locator("[data-panorama=vr]")
    button.wait_for(state="visible")
    button.click()
    page.wait_for_function(f"{PANORAMA}.xr?.renderer.xr.isPresenting && {PANORAMA}.xr.frames > 3")
    # Inside: the full equirectangular picture around the viewer, the start view straight ahead.
    page.wait_for_function(fetched("/pano/a/equirect.jpg"))
    ahead = page.evaluate("""() => {
        const camera = window.heritourPanorama.xr.renderer.xr.getCamera();
        const e = camera.matrixWorld.elements;
        const ahead = { x: -e[8], y: -e[9], z: -e[10] };
        return window.heritourPanorama.viewer.dataHelper.vector3ToSphericalCoords(ahead).yaw;
    }""")
    assert min(ahead, 2 * math.pi - ahead) < 0.05
    assert page.evaluate("() => window.heritourPanorama.xr.links.children.length") == 1
    assert page.evaluate("() => window.heritourPanorama.xr.hotspots.children.length") == 1

    # The hotspot (15 degrees to the left, 5 down): selecting it opens its text on a panel in
    # the scene; selecting it again closes it.
    aim(page, yaw=-15, pitch=-5)
    pull_trigger(page)
    page.wait_for_function("() => window.heritourPanorama.xr.open === 'h1'")
    opened = page.evaluate(
        "() => window.heritourPanorama.events.filter((e) => e.type === 'hotspot' && e.headset)"
    )
    assert [event["id"] for event in opened] == ["h1"]
    pull_trigger(page)
    page.wait_for_function("() => window.heritourPanorama.xr.open === null")

    # Point the right controller at the link (20 degrees to the right), then pull the trigger.
    aim(page, yaw=20, pitch=0)
    pull_trigger(page)
    page.wait_for_function(
        "() => window.heritourPanorama.events.some((e) => e.type === 'navigate')"
    )
    navigate = page.evaluate(
        "() => window.heritourPanorama.events.find((e) => e.type === 'navigate')"
    )
    assert navigate["href"] == "/stops/b.html"
    page.wait_for_function(fetched("/pano/b/equirect.jpg"))
    assert page.evaluate("() => window.heritourPanorama.xr.renderer.xr.isPresenting") is True
    assert page.url.endswith("/stops/a.html"), "the session goes on in the same page"
    page.wait_for_function(
        "() => window.heritourPanorama.xr.links.children.length === 1"
        " && window.heritourPanorama.xr.links.children[0].children[0].userData.link.id === 'l2'"
        " && window.heritourPanorama.xr.hotspots.children[0].children[0].userData.hotspot.id"
        " === 'h2'"
    )
    # Leaving the headset shows the stop the visitor walked to.
    page.evaluate("() => window.heritourPanorama.xr.session.end()")
    page.wait_for_url("**/stops/b.html")


def test_tile_level_follows_the_screen_and_save_data(new_context: Any, panorama_url: str) -> None:
    wide = open_stop(new_context, panorama_url, **DESKTOP)
    wide.wait_for_function(fetched("/tiles/2/"))
    assert wide.evaluate("() => document.getElementById('panorama').dataset.quality") in (
        "medium",
        "high",
    )
    saving = open_stop(new_context, panorama_url, scripts=(SAVE_DATA,), **DESKTOP)
    saving.wait_for_function(fetched("/tiles/1/"))
    assert saving.evaluate("() => document.getElementById('panorama').dataset.quality") == "low"
    assert not [url for url in saving.requests if "/tiles/2/" in url]
    # The rule itself, as a table.
    levels = [
        {"width": 1500, "cols": 2, "rows": 1},
        {"width": 3000, "cols": 4, "rows": 2},
        {"width": 6000, "cols": 8, "rows": 4},
        {"width": 12000, "cols": 16, "rows": 8},
        {"width": 48000, "cols": 128, "rows": 64},
    ]
    table = saving.evaluate(
        """async (levels) => {
        const { panoramaLevels } = await import('/static/js/panorama-levels.js');
        const widths = (quality, given) =>
            panoramaLevels(given, quality).map((l) => [l.width, l.index]);
        return { low: widths('low', levels), medium: widths('medium', levels),
                 high: widths('high', levels),
                 tooBig: widths('low', levels.slice(1)), none: widths('high', []) };
    }""",
        levels,
    )
    assert table == {
        "low": [[1500, 0]],
        "medium": [[1500, 0], [3000, 1], [6000, 2]],
        "high": [[1500, 0], [3000, 1], [6000, 2], [12000, 3]],
        "tooBig": [[3000, 0]],
        "none": [],
    }


STUDIO_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Editor</title>
<link rel="stylesheet" href="/static/css/app.css"></head><body><main><h1>Editor</h1>
<figure id="editor" class="viewer panorama" data-label="The courtyard"></figure>
</main>
<script type="application/json" id="panorama-assets">{"viewer": "/static/vendor/panorama-viewer.js",
 "viewerCss": "/static/vendor/panorama-viewer.css", "css": "/static/css/panorama.css"}</script>
<script type="module">
import { mountPanorama } from "/static/js/panorama.js";
const config = await (await fetch("/stops/a.json")).json();
const element = document.getElementById("editor");
window.picks = []; window.views = [];
element.addEventListener("panorama:pick", (e) => window.picks.push(e.detail));
element.addEventListener("panorama:view", (e) => window.views.push(e.detail));
element.addEventListener("panorama:ready", () => { window.readyEvent = true; });
const view = { yaw: 90, pitch: 10, fov: 60 };
window.editor = mountPanorama(element, { ...config, view }, { editable: true });
</script></body></html>
"""


def test_studio_api_picks_directions_and_sets_the_view(new_context: Any, panorama_url: str) -> None:
    page = new_context(panorama_url).new_page()
    page.goto("/studio.html")
    page.wait_for_function("() => window.readyEvent === true", timeout=60_000)
    assert page.evaluate("() => window.editor.getView()") == {"yaw": 90, "pitch": 10, "fov": 60}
    # A click in the middle of the picture picks the direction in front of the camera.
    box = page.locator("#editor .panorama-stage").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_function("() => window.picks.length === 1")
    pick = page.evaluate("() => window.picks[0]")
    assert abs(pick["yaw"] - 90) < 1 and abs(pick["pitch"] - 10) < 1
    # A click on a marker is not a pick.
    page.evaluate("() => window.editor.setView({ yaw: 0, pitch: 0, fov: 75 })")
    page.wait_for_function("() => window.editor.getView().yaw === 0 && window.views.length > 0")
    assert page.evaluate("() => window.views.at(-1)") == {"yaw": 0, "pitch": 0, "fov": 75}
    page.get_by_role("button", name="1. Bronze urn").click()
    assert page.evaluate("() => window.picks.length") == 1
    # The editor replaces the markers (a new hotspot placed, the link removed).
    page.evaluate(
        "() => window.editor.setMarkers({ links: [],"
        " hotspots: [{ id: 'new', yaw: 5, pitch: 0, label: 'New', html: '' }] })"
    )
    page.get_by_role("button", name="1. New").wait_for()
    assert page.get_by_role("link", name="Through the gate").count() == 0
    assert page.evaluate("() => window.editor.getView()")["fov"] == 75


def test_viewer_page_has_no_accessibility_violations(
    new_context: Any, panorama_url: str, violations: Any
) -> None:
    page = open_stop(new_context, panorama_url)
    assert violations(page) == []
