"""Every level the ingest pipeline makes of every real sample draws in model-viewer.

The samples (``tests/data``) go through ``models3d.process_file``; the smallest and
the largest level of each are opened in a bare page with the app's own model-viewer,
meshopt decoder and Basis transcoder (the levels' textures are KTX2), served from a folder,
and must be drawn (not a blank canvas).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from werkzeug.exceptions import NotFound
from werkzeug.middleware.shared_data import SharedDataMiddleware

from models3d import process_file

ROOT = Path(__file__).resolve().parents[2]
VENDOR = ROOT / "webapp" / "static" / "vendor"
pytestmark = pytest.mark.e2e
SAMPLES = ["AlphaBlendModeTest.glb", "BoxTextured.glb", "CesiumMilkTruck.glb", "Duck.glb"]
SAMPLES += ["bunny.ply", "fuze.zip", "pbr_cubes_emissive_spec_gloss.zip", "teapot.stl"]
PAGE = """<!doctype html><html lang="en"><title>level</title>
<script>self.ModelViewerElement = {meshoptDecoderLocation: '/meshopt_decoder.js',
  ktx2TranscoderLocation: '/basis/'};</script>
<script type="module" src="/model-viewer.min.js"></script>
<model-viewer alt="level" style="width:360px;height:360px"></model-viewer>
<script>
  const viewer = document.querySelector('model-viewer');
  viewer.addEventListener('error', (event) => { window.viewerError = event.detail.type; });
  viewer.src = '/' + new URLSearchParams(location.search).get('model');
</script>
"""


@pytest.fixture(scope="module")
def outputs_site(
    tmp_path_factory: pytest.TempPathFactory, testdata: Path, serve: Any
) -> Iterator[str]:
    """A static site: the viewer page, model-viewer, its decoder and every sample's levels."""
    site = tmp_path_factory.mktemp("outputs-site")
    for name in ("model-viewer.min.js", "meshopt_decoder.js"):
        shutil.copy(VENDOR / name, site / name)
    shutil.copytree(VENDOR / "basis", site / "basis")  # the levels' textures are KTX2
    (site / "index.html").write_text(PAGE)
    for sample in SAMPLES:
        result = process_file(testdata / sample, tmp_path_factory.mktemp("out"))
        for level in ("thumb", "high"):
            shutil.copy(result.levels[level], site / f"{sample}-{level}.glb")
    with serve(SharedDataMiddleware(NotFound(), {"/": str(site)})) as url:
        yield url


@pytest.fixture(scope="module")
def viewer_page(module_context: Any, outputs_site: str) -> Iterator[Any]:
    page = module_context(outputs_site).new_page()
    yield page


@pytest.mark.parametrize("level", ["thumb", "high"])
@pytest.mark.parametrize("sample", SAMPLES)
def test_level_draws_in_model_viewer(
    viewer_page: Any, model_drawn: str, sample: str, level: str
) -> None:
    viewer_page.goto(f"/index.html?model={sample}-{level}.glb")
    assert viewer_page.evaluate("() => document.querySelector('model-viewer').src").endswith(
        f"/{sample}-{level}.glb"
    )
    viewer_page.wait_for_function(
        "() => window.viewerError || document.querySelector('model-viewer').loaded",
        timeout=60_000,
    )
    assert viewer_page.evaluate("() => window.viewerError || null") is None
    viewer_page.wait_for_function(model_drawn, timeout=30_000)
