"""A KTX2 level (Basis Universal textures, meshopt geometry) drawn by model-viewer on a phone.

A square whose texture is red on the left and blue on the right goes through
``models3d.process_file``; its ``thumb`` level (KTX2, ETC1S: the level a phone shows
first) is opened in a bare page with the app's own model-viewer, meshopt decoder and Basis
transcoder (``ktx2TranscoderLocation``, no CDN: the browser context refuses every request
off the test server) on a phone viewport. The canvas must show both colours on their own
sides, so the texture was transcoded and drawn, not only the mesh.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import trimesh
from PIL import Image
from werkzeug.exceptions import NotFound
from werkzeug.middleware.shared_data import SharedDataMiddleware

from models3d import process_file
from models3d.glb import glb_json

ROOT = Path(__file__).resolve().parents[2]
VENDOR = ROOT / "webapp" / "static" / "vendor"
pytestmark = pytest.mark.e2e
PAGE = """<!doctype html><html lang="en"><title>ktx2</title>
<script>self.ModelViewerElement = {meshoptDecoderLocation: '/meshopt_decoder.js',
  ktx2TranscoderLocation: '/basis/'};</script>
<script type="module" src="/model-viewer.min.js"></script>
<model-viewer alt="square" camera-orbit="0deg 90deg auto" interaction-prompt="none"
  style="width:100vw;height:100vw;background:#fff"></model-viewer>
<script>
  const viewer = document.querySelector('model-viewer');
  viewer.addEventListener('error', (event) => { window.viewerError = event.detail.type; });
  viewer.src = '/' + new URLSearchParams(location.search).get('model');
</script>
"""
# Shares of the canvas's left and right halves (sampled at 128 x 128) that are red / blue.
SIDES = """() => {
    const viewer = document.querySelector('model-viewer');
    const canvas = viewer && viewer.shadowRoot && viewer.shadowRoot.querySelector('canvas');
    if (!canvas || !viewer.loaded || canvas.width === 0) return null;
    const copy = document.createElement('canvas');
    copy.width = 128; copy.height = 128;
    const ctx = copy.getContext('2d');
    ctx.drawImage(canvas, 0, 0, 128, 128);
    const data = ctx.getImageData(0, 0, 128, 128).data;
    const count = {leftRed: 0, leftBlue: 0, rightRed: 0, rightBlue: 0};
    for (let i = 0; i < data.length; i += 4) {
        const [r, g, b] = [data[i], data[i + 1], data[i + 2]];
        const side = (i / 4) % 128 < 64 ? 'left' : 'right';
        if (r > 120 && r > 2 * g && r > 2 * b) count[side + 'Red']++;
        if (b > 120 && b > 2 * r && b > 1.5 * g) count[side + 'Blue']++;
    }
    for (const key in count) count[key] /= 64 * 128;
    return count;
}"""


def _red_blue_square(path: Path) -> Path:
    pixels = np.zeros((256, 256, 3), np.uint8)
    pixels[:, :128] = (220, 30, 30)
    pixels[:, 128:] = (30, 50, 220)
    vertices = [[-1, -1, 0], [1, -1, 0], [1, 1, 0], [-1, 1, 0]]
    uv = [[0, 0], [1, 0], [1, 1], [0, 1]]
    material = trimesh.visual.material.PBRMaterial(
        baseColorTexture=Image.fromarray(pixels), metallicFactor=0.0, roughnessFactor=1.0
    )
    mesh = trimesh.Trimesh(
        vertices=vertices,
        faces=[[0, 1, 2], [0, 2, 3]],
        visual=trimesh.visual.TextureVisuals(uv=uv, material=material),
        process=False,
    )
    mesh.export(path)
    return path


@pytest.fixture(scope="module")
def ktx2_site(tmp_path_factory: pytest.TempPathFactory, serve: Any) -> Iterator[str]:
    """A static site: the viewer page, model-viewer, the decoders and the KTX2 level."""
    site = tmp_path_factory.mktemp("ktx2-site")
    for name in ("model-viewer.min.js", "meshopt_decoder.js"):
        shutil.copy(VENDOR / name, site / name)
    shutil.copytree(VENDOR / "basis", site / "basis")
    (site / "index.html").write_text(PAGE)
    square = _red_blue_square(tmp_path_factory.mktemp("model") / "square.glb")
    result = process_file(square, tmp_path_factory.mktemp("out"), original_name="square.glb")
    thumb = result.levels["thumb"]
    assert "KHR_texture_basisu" in glb_json(thumb.read_bytes())["extensionsRequired"]
    shutil.copy(thumb, site / "square-thumb.glb")
    with serve(SharedDataMiddleware(NotFound(), {"/": str(site)})) as url:
        yield url


def test_ktx2_level_drawn_on_a_phone(module_context: Any, ktx2_site: str) -> None:
    page = module_context(ktx2_site).new_page()  # a phone viewport (the contexts' default)
    transcoder = []
    page.on("request", lambda r: transcoder.append(r.url) if "/basis/" in r.url else None)
    page.goto("/index.html?model=square-thumb.glb")
    page.wait_for_function(
        "() => window.viewerError || document.querySelector('model-viewer').loaded",
        timeout=60_000,
    )
    assert page.evaluate("() => window.viewerError || null") is None
    assert page.viewport_size["width"] < 500  # a phone, not a desktop
    page.wait_for_function(
        f"() => {{ const s = ({SIDES})(); return s && s.leftRed > 0.2 && s.rightBlue > 0.2; }}",
        timeout=30_000,
    )
    sides = page.evaluate(SIDES)
    assert sides["leftBlue"] < 0.02 and sides["rightRed"] < 0.02, sides  # each on its side
    assert any(url.endswith("basis_transcoder.wasm") for url in transcoder), transcoder
