"""A point-cloud level (glTF POINTS, meshopt-compressed) is drawn by model-viewer on a phone.

A generated scan of pure red points on a plane goes through ``models3d.process_file``;
its ``thumb`` and ``high`` levels, and the real ``simple.laz`` (laspy's sample), are opened
in a bare page with the app's own model-viewer and meshopt decoder on a phone viewport.
The canvas must show the scan's own red, so the points and their COLOR_0 were drawn.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from werkzeug.exceptions import NotFound
from werkzeug.middleware.shared_data import SharedDataMiddleware

from models3d import process_file

ROOT = Path(__file__).resolve().parents[2]
VENDOR = ROOT / "webapp" / "static" / "vendor"
pytestmark = pytest.mark.e2e
PAGE = """<!doctype html><html lang="en"><title>points</title>
<script>self.ModelViewerElement = {meshoptDecoderLocation: '/meshopt_decoder.js'};</script>
<script type="module" src="/model-viewer.min.js"></script>
<model-viewer alt="scan" camera-orbit="0deg 0deg auto"
  style="width:100vw;height:100vw;background:#fff"></model-viewer>
<script>
  const viewer = document.querySelector('model-viewer');
  viewer.addEventListener('error', (event) => { window.viewerError = event.detail.type; });
  viewer.src = '/' + new URLSearchParams(location.search).get('model');
</script>
"""
# Share of the canvas (sampled at 128 x 128) that shows the scan's red.
RED_SHARE = """() => {
    const viewer = document.querySelector('model-viewer');
    const canvas = viewer && viewer.shadowRoot && viewer.shadowRoot.querySelector('canvas');
    if (!canvas || !viewer.loaded || canvas.width === 0) return -1;
    const copy = document.createElement('canvas');
    copy.width = 128; copy.height = 128;
    const ctx = copy.getContext('2d');
    ctx.drawImage(canvas, 0, 0, 128, 128);
    const data = ctx.getImageData(0, 0, 128, 128).data;
    let red = 0;
    for (let i = 0; i < data.length; i += 4) {
        const [r, g, b, a] = [data[i], data[i + 1], data[i + 2], data[i + 3]];
        if (a > 0 && r > 120 && r > 2 * g && r > 2 * b) red++;
    }
    return red / (128 * 128);
}"""


def _red_plane_laz(path: Path, n: int = 300_000) -> Path:
    import laspy

    rng = np.random.default_rng(2)
    header = laspy.LasHeader(point_format=3, version="1.2")
    header.scales = np.array([0.001, 0.001, 0.001])
    header.offsets = np.array([300_000.0, 5_000_000.0, 0.0])
    las = laspy.LasData(header)
    xy = rng.uniform(0.0, 8.0, size=(n, 2))
    las.x, las.y = 300_000.0 + xy[:, 0], 5_000_000.0 + xy[:, 1]
    las.z = 0.2 * np.sin(xy[:, 0])
    las.red = np.full(n, 60000, np.uint16)
    las.green = np.full(n, 3000, np.uint16)
    las.blue = np.full(n, 3000, np.uint16)
    las.write(str(path), do_compress=True, laz_backend=laspy.LazBackend.Lazrs)
    return path


@pytest.fixture(scope="module")
def points_site(
    tmp_path_factory: pytest.TempPathFactory, testdata: Path, serve: Any
) -> Iterator[str]:
    """A static site: the viewer page, model-viewer, the decoder and point-cloud levels."""
    site = tmp_path_factory.mktemp("points-site")
    for name in ("model-viewer.min.js", "meshopt_decoder.js"):
        shutil.copy(VENDOR / name, site / name)
    (site / "index.html").write_text(PAGE)
    red = _red_plane_laz(tmp_path_factory.mktemp("scan") / "red.laz")
    for name, source in (("red", red), ("simple", testdata / "simple.laz")):
        result = process_file(source, tmp_path_factory.mktemp("out"), original_name=source.name)
        for level in ("thumb", "high"):
            shutil.copy(result.levels[level], site / f"{name}-{level}.glb")
    with serve(SharedDataMiddleware(NotFound(), {"/": str(site)})) as url:
        yield url


@pytest.fixture(scope="module")
def phone_page(module_context: Any, points_site: str) -> Iterator[Any]:
    yield module_context(points_site).new_page()  # a phone viewport (the contexts' default)


def _open(page: Any, model: str) -> None:
    page.goto(f"/index.html?model={model}")
    page.wait_for_function(
        "() => window.viewerError || document.querySelector('model-viewer').loaded",
        timeout=60_000,
    )
    assert page.evaluate("() => window.viewerError || null") is None


@pytest.mark.parametrize("level", ["thumb", "high"])
def test_points_level_drawn_on_a_phone(phone_page: Any, level: str) -> None:
    _open(phone_page, f"red-{level}.glb")
    assert phone_page.viewport_size["width"] < 500  # a phone, not a desktop
    phone_page.wait_for_function(f"() => ({RED_SHARE})() > 0.05", timeout=30_000)
    assert phone_page.evaluate(RED_SHARE) < 0.95  # a cloud on the page's white, not a wash


def test_real_laz_level_drawn(phone_page: Any, model_drawn: str) -> None:
    _open(phone_page, "simple-high.glb")
    phone_page.wait_for_function(model_drawn, timeout=30_000)
